/**
 * Runs a runtime binary on a script and parses the JSON line it prints.
 *
 * @module
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const ROOT = path.resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const SCRIPTS = path.join(ROOT, "tests/runtimes/scripts");

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: Record<string, string> }} [options]
 * @returns {Promise<any>} the last stdout line, parsed as JSON
 */
export async function runJson(command, args, { env = {} } = {}) {
  let out;
  try {
    out = await promisify(execFile)(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      maxBuffer: 16 << 20,
      timeout: 120_000,
    });
  } catch (err) {
    const e = /** @type {any} */ (err);
    throw new Error(`${command} ${args.join(" ")} failed (${e.code}):\n${e.stderr ?? ""}\n${e.stdout ?? ""}`);
  }
  const lines = out.stdout.trim().split("\n");
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    throw new Error(`${command} printed no JSON:\n${out.stdout}\n${out.stderr}`);
  }
}
