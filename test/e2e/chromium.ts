import { execFileSync } from "node:child_process";

/** Debian's chromium (CI installs it; playwright's own download does not work here). */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      const path = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
      if (path) return path;
    } catch {
      // Not this one.
    }
  }
  throw new Error("No chromium on the PATH: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH");
}
