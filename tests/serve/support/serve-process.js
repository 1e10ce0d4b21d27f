/**
 * Runs `pandora-mq serve` from the installed package (node_modules/pandora-mq,
 * what `npm publish` ships) as a child process on a free port.
 *
 * @module
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const BIN = path.join(ROOT, "node_modules/pandora-mq/bin/pandora-mq.js");

/**
 * @param {string[]} args flags after `serve`, e.g. ["--store", "sqlite:./q.db"]
 * @param {{ env?: Record<string, string>, node?: string, port?: number, bin?: string, cwd?: string, command?: string[] }} [options]
 *   `command` replaces `node bin`, e.g. ["npx", "pandora-mq"]
 * @returns {Promise<{ url: string, port: number, pid: number, stderr: () => string,
 *   stop(signal?: NodeJS.Signals): Promise<{ code: number | null, signal: string | null }> }>}
 */
export function startServe(args, { env = {}, node = process.execPath, port = 0, bin = BIN, cwd = ROOT, command = [node, bin] } = {}) {
  const child = spawn(command[0], [...command.slice(1), "serve", "--port", String(port), ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a signal reaches the server also through a
    // launcher such as npx (which does not pass SIGTERM on to its child).
    detached: true,
  });
  let stderr = "";
  let stdout = "";
  /** @type {Set<() => void>} */
  const onStderr = new Set();
  child.stderr.on("data", (c) => {
    stderr += c;
    for (const check of onStderr) check();
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`serve exited (${code}) before listening:\n${stderr}${stdout}`)));
    child.stdout.on("data", (c) => {
      stdout += c;
      const m = /listening on (http:\/\/[^\s]+) /.exec(stdout);
      if (!m) return;
      const url = m[1];
      resolve({
        url,
        port: Number(new URL(url).port),
        pid: /** @type {number} */ (child.pid),
        stderr: () => stderr,
        /**
         * Resolves with stderr once it matches `pattern`: stderr and stdout are
         * separate pipes, so a line logged before the listening line may arrive after it.
         */
        stderrMatching(/** @type {RegExp} */ pattern, ms = 10_000) {
          return new Promise((found, missing) => {
            const timer = setTimeout(() => {
              onStderr.delete(check);
              missing(new Error(`stderr did not match ${pattern} within ${ms} ms:\n${stderr}`));
            }, ms);
            const check = () => {
              if (!pattern.test(stderr)) return;
              clearTimeout(timer);
              onStderr.delete(check);
              found(stderr);
            };
            onStderr.add(check);
            check();
          });
        },
        async stop(signal = "SIGTERM") {
          if (child.exitCode === null && child.signalCode === null) process.kill(-(/** @type {number} */ (child.pid)), signal);
          return /** @type {any} */ (await exited);
        },
      });
    });
  });
}
