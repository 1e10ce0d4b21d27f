/**
 * A real PostgreSQL server for one test file: `initdb` + `pg_ctl` in a fresh
 * temporary directory, listening on a free loopback port, removed at the end.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres`
 * user that Debian's package creates.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Debian installs the server binaries outside PATH. */
function binary(name) {
  for (const dir of ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"]) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return name;
}

/** @returns {Promise<number>} a port nobody listens on right now */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}

/** @returns {{ uid: number, gid: number } | null} the user to run as when we are root */
async function runAsUser() {
  if (process.getuid?.() !== 0) return null;
  const { stdout: uid } = await run("id", ["-u", "postgres"]);
  const { stdout: gid } = await run("id", ["-g", "postgres"]);
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ uid: number, gid: number } | null} user
 */
function as(cmd, args, user) {
  return run(cmd, args, { ...(user ? { uid: user.uid, gid: user.gid } : {}), env: { ...process.env, LC_ALL: "C" }, timeout: 60_000 });
}

/**
 * Starts a server. `url` connects as the superuser `pandora` (trust auth on loopback).
 * `durable: true` keeps PostgreSQL's fsync on (benchmarks); tests turn it off.
 * @param {{ durable?: boolean }} [options]
 * `freeze()` stops every process of the server (SIGSTOP), as a hung machine
 * would: connections stay open, nothing answers; `thaw()` lets them go on.
 * @returns {Promise<{ url: string, port: number, stop(): Promise<void>, pause(): Promise<void>, resume(): Promise<void>, freeze(): Promise<void>, thaw(): void }>}
 */
export async function startPostgres({ durable = false } = {}) {
  const user = await runAsUser();
  const dir = mkdtempSync(path.join(tmpdir(), "pandora-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, "data");
  const port = await freePort();
  await as(binary("initdb"), ["-D", data, "-U", "pandora", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"], user);
  // fsync off: tests kill processes, never the machine, so the OS cache keeps every commit;
  // synchronous_commit stays on, so a commit has reached the WAL before it returns.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=${durable ? "on" : "off"}`;
  const start = () => as(binary("pg_ctl"), ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "start"], user);
  // "immediate": the server dies at once, as on a crash; in-flight transactions are lost, never half-kept.
  const halt = () => as(binary("pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], user);
  await start();
  let running = true;
  /** @type {number[]} */
  let frozen = [];
  return {
    async freeze() {
      const postmaster = Number(readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
      const { stdout } = await run("pgrep", ["-P", String(postmaster)]);
      frozen = [postmaster, ...stdout.trim().split("\n").filter(Boolean).map(Number)];
      for (const pid of frozen) process.kill(pid, "SIGSTOP");
    },
    thaw() {
      for (const pid of frozen) process.kill(pid, "SIGCONT");
      frozen = [];
    },
    url: `postgres://pandora@127.0.0.1:${port}/postgres`,
    port,
    async pause() {
      await halt();
      running = false;
    },
    async resume() {
      await start();
      running = true;
    },
    async stop() {
      if (running) await halt().catch(() => {});
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
