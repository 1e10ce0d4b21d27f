/**
 * Assertions about PandoraError, for the Node tests of the package.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PandoraError } from "pandora-mq";

/**
 * Checks that `err` is a PandoraError with `code` and a non-empty message.
 * @param {unknown} err
 * @param {string} code
 * @returns {PandoraError}
 */
export function assertPandoraError(err, code) {
  assert.ok(err instanceof PandoraError, `expected a PandoraError (${code}), got ${String(err)}`);
  assert.ok(err instanceof Error, "a PandoraError is an Error");
  assert.strictEqual(err.code, code, `code of: ${err.message}`);
  assert.strictEqual(typeof err.message, "string");
  assert.ok(err.message.length > 0, "the message is empty");
  return err;
}

/**
 * Awaits `what` (a promise, or a function that returns one or throws) and
 * checks it fails with a PandoraError of `code`. Synchronous throws count too:
 * `await` users see both the same way (the promise-only rule is its own test).
 * @param {Promise<unknown> | (() => unknown)} what
 * @param {string} code
 * @returns {Promise<PandoraError>}
 */
export async function rejectsWithCode(what, code) {
  try {
    await (typeof what === "function" ? what() : what);
  } catch (err) {
    return assertPandoraError(err, code);
  }
  assert.fail(`expected a PandoraError with code ${code}, but the call succeeded`);
}

/**
 * Checks that `fn` throws a PandoraError of `code` synchronously (constructors).
 * @param {() => unknown} fn
 * @param {string} code
 * @returns {PandoraError}
 */
export function throwsWithCode(fn, code) {
  try {
    fn();
  } catch (err) {
    return assertPandoraError(err, code);
  }
  assert.fail(`expected a PandoraError with code ${code}, but nothing was thrown`);
}
