/** The fuzz sources inside workerd, which cannot read the disk: the corpus as the
 * `virtual:corpus` module has it, the fixtures inlined by vite (`?url&inline`: base64,
 * so that bytes that are not UTF-8 survive). scripts/fuzz.ts lists the same files in Node. */
import corpus from "virtual:corpus";
import { ordered, SOURCE_FILE, type Source } from "./cases";

const fixtures = import.meta.glob<string>("../fixtures/**/*.{eml,msg,txt,html,ics,vcf,csv}", { query: "?url&inline", import: "default", eager: true });

export const SOURCES: readonly Source[] = ordered([
  ...Object.entries(corpus)
    .filter(([path]) => SOURCE_FILE.test(path))
    .map(([path, b64]) => ({ name: `corpus/${path}`, bytes: atob(b64) })),
  ...Object.entries(fixtures).map(([path, url]) => ({ name: path.replace(/^\.\.\//, ""), bytes: atob(url.slice(url.indexOf(",") + 1)) })),
]);
