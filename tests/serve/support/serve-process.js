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
 * @param {{ env?: Record<string, string>, node?: string, port?: number, bin?: string, cwd?: string }} [options]
 * @returns {Promise<{ url: string, port: number, pid: number, stderr: () => string,
 *   stop(signal?: NodeJS.Signals): Promise<{ code: number | null, signal: string | null }> }>}
 */
export function startServe(args, { env = {}, node = process.execPath, port = 0, bin = BIN, cwd = ROOT } = {}) {
  const child = spawn(node, [bin, "serve", "--port", String(port), ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr.on("data", (c) => (stderr += c));
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
        async stop(signal = "SIGTERM") {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return /** @type {any} */ (await exited);
        },
      });
    });
  });
}
