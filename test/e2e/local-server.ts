/// <reference types="node" />
/**
 * The local server exactly as a user starts it (`npm start`), on a free port and a
 * throwaway state directory, for end-to-end tests that talk to it over HTTP only.
 *
 * `npm start` is a tree of processes (npm, a shell, the start script, wrangler's launcher
 * and CLI, esbuild, two workerd). It runs detached, in a process group of its own, so
 * that stopping it kills the whole tree even when a test failed halfway.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const root = join(import.meta.dirname, "..", "..");

const STARTUP_MS = 60_000;

export interface LocalServer {
  port: number;
  base: string;
  stateDir: string;
  /** Everything the server printed so far (stdout and stderr, colours stripped). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output, or fails after `ms`. */
  waitFor(pattern: RegExp, ms: number): Promise<RegExpExecArray>;
  /** Kills the whole process tree; resolves with any of its processes still alive. */
  stop(): Promise<string[]>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The environment of a user's shell: the test runner's own markers removed. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(VITEST|TEST$|NODE_ENV$|KITH_)/.test(k)) delete env[k];
  }
  return Object.assign(env, { FORCE_COLOR: "0", NO_COLOR: "1" }, extra);
}

/** Starts `npm start`. Two wrangler dev processes starting at the same moment can race
 * for the same local sockets ("Address already in use"), so starts (not the servers'
 * lives) take turns through a lock directory shared by the test files. */
export async function startLocalServer(extraEnv: Record<string, string> = {}): Promise<LocalServer> {
  const lock = join(tmpdir(), "kith-e2e-start.lock");
  const deadline = Date.now() + 2 * STARTUP_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than a start may take was left by a killed run.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > STARTUP_MS + 30_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`another end-to-end server kept ${lock} for too long`);
      await sleep(200);
    }
  }
  try {
    return await startUnlocked(extraEnv);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function startUnlocked(extraEnv: Record<string, string>): Promise<LocalServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const stateDir = mkdtempSync(join(tmpdir(), "kith-e2e-state-"));
  const child = spawn("npm", ["start"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: userEnv({ PORT: String(port), KITH_STATE_DIR: stateDir, ...extraEnv }),
  });
  const pgid = child.pid!;
  // If the test process exits without reaching stop(), the server must not outlive it.
  // An exit handler covers process.exit(); a watchdog covers signals (Ctrl-C kills the
  // test worker without running exit handlers) and SIGKILL.
  const killOnExit = () => signalGroup(pgid, "SIGKILL");
  process.once("exit", killOnExit);
  watchdog(process.pid, pgid, stateDir);

  let text = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString("utf8").replace(/\x1b\[[0-9;]*m/g, "");
    for (const l of listeners) l();
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  let exited: string | null = null;
  child.on("exit", (code, signal) => {
    exited = `npm start exited (code ${code}, signal ${signal})`;
    for (const l of listeners) l();
  });

  const waitFor = (pattern: RegExp, ms: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(text);
        if (m) done(() => resolve(m));
        else if (exited) done(() => reject(new Error(`${exited} before ${pattern} appeared:\n${tail(text)}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${tail(text)}`))), ms);
      const done = (f: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        f();
      };
      listeners.add(check);
      check();
    });

  let stopped: Promise<string[]> | undefined;
  const server: LocalServer = {
    port,
    base,
    stateDir,
    output: () => text,
    waitFor,
    stop: () =>
      (stopped ??= (async () => {
        signalGroup(pgid, "SIGTERM");
        let left = await settle(pgid, port, stateDir, 10_000);
        if (left.length > 0) {
          signalGroup(pgid, "SIGKILL");
          left = await settle(pgid, port, stateDir, 5_000);
        }
        process.off("exit", killOnExit);
        rmSync(stateDir, { recursive: true, force: true });
        return left;
      })()),
  };

  try {
    await waitForHealth(server, () => exited);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

async function waitForHealth(server: LocalServer, exited: () => string | null): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline) {
    const why = exited();
    if (why) throw new Error(`${why} before /health answered:\n${tail(server.output())}`);
    // wrangler dev stays up after a failed build, waiting for a fix that a test run won't make.
    const failed = server.output().search(/\[ERROR\] Build failed/);
    if (failed >= 0) throw new Error(`wrangler could not build the Worker:\n${server.output().slice(failed, failed + 4000)}`);
    try {
      const res = await fetch(`${server.base}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`${server.base}/health did not answer within ${STARTUP_MS} ms:\n${tail(server.output())}`);
}

/** A detached process (in a group of its own, so a Ctrl-C aimed at the test run does not
 * reach it) that kills the server's group and removes its state once `parent` is gone,
 * and quits by itself when the group is gone. */
function watchdog(parent: number, pgid: number, stateDir: string): void {
  const script = `
    const { rmSync } = require("node:fs");
    const [parent, pgid] = process.argv.slice(1, 3).map(Number);
    const stateDir = process.env.KITH_E2E_STATE_DIR;
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === "EPERM"; } };
    const signal = (s) => { try { process.kill(-pgid, s); } catch {} };
    let orphanedAt = 0;
    setInterval(() => {
      if (!alive(-pgid)) {
        if (orphanedAt) rmSync(stateDir, { recursive: true, force: true });
        process.exit(0);
      }
      if (!orphanedAt && !alive(parent)) { orphanedAt = Date.now(); signal("SIGTERM"); }
      if (orphanedAt && Date.now() - orphanedAt > 5000) signal("SIGKILL");
    }, 250);`;
  // The state directory goes in the environment, so that leftovers() does not count this.
  spawn(process.execPath, ["-e", script, String(parent), String(pgid)], {
    detached: true,
    stdio: "ignore",
    env: { ...process.env, KITH_E2E_STATE_DIR: stateDir },
  }).unref();
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Processes of this server still alive: its process group, or anything (a workerd that
 * left the group) still bound to its port or its state directory. Zombies are dead. */
export function leftovers(pgid: number, port: number, stateDir: string): string[] {
  const listener = new RegExp(`127\\.0\\.0\\.1:${port}(?!\\d)`);
  return processes().filter((p) => p.state !== "Z" && (p.pgid === pgid || listener.test(p.args) || p.args.includes(stateDir))).map((p) => `${p.pid} ${p.args}`);
}

interface Proc {
  pid: number;
  pgid: number;
  state: string;
  args: string;
}

/** Every process on the machine, from /proc where there is one (slim CI images have no
 * ps), else from ps. */
function processes(): Proc[] {
  if (existsSync("/proc/self/stat")) {
    const found: Proc[] = [];
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      try {
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const [state = "", , pgrp = ""] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const args = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").join(" ").trim();
        found.push({ pid: Number(name), pgid: Number(pgrp), state, args });
      } catch {
        // The process ended while we looked.
      }
    }
    return found;
  }
  return execFileSync("ps", ["-eo", "pid=,pgid=,stat=,args="], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => {
      const [pid = "", pgid = "", stat = "", ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), pgid: Number(pgid), state: stat.slice(0, 1), args: args.join(" ") };
    });
}

async function settle(pgid: number, port: number, stateDir: string, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  let left = leftovers(pgid, port, stateDir);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(100);
    left = leftovers(pgid, port, stateDir);
  }
  return left;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tail = (s: string) => s.split("\n").slice(-40).join("\n");
