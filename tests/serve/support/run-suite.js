/**
 * Runs a node:test suite file under another runtime binary (a newer Node) and
 * asserts that it ran tests and none failed.
 *
 * @module
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(fileURLToPath(new URL("../../..", import.meta.url)));

/**
 * @param {string} binary
 * @param {string | string[]} suite path(s) relative to the repository root
 * @param {Record<string, string>} [env]
 */
export function runSuite(binary, suite, env = {}) {
  // The child is a test run of its own, not a subtest of this one.
  const { NODE_TEST_CONTEXT, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    execFile(binary, ["--test", "--test-reporter=tap", ...[suite].flat()], { cwd: ROOT, env: { ...inherited, ...env }, timeout: 300_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      try {
        const pass = Number(/^# pass (\d+)$/m.exec(stdout)?.[1] ?? 0);
        const fail = Number(/^# fail (\d+)$/m.exec(stdout)?.[1] ?? -1);
        assert.ok(pass > 0, `no test passed:\n${stdout}\n${stderr}`);
        assert.strictEqual(fail, 0, `failures:\n${stdout.split("\n").filter((l) => /^not ok|^\s+(error|expected|actual)/.test(l)).join("\n")}\n${stderr}`);
        assert.ifError(err);
        resolve({ pass });
      } catch (e) {
        reject(e);
      }
    });
  });
}
