/**
 * The harness of the fault-injection tests: a workload of queue steps run on
 * faultyStorage(memoryStorage(), { failAt: N }), so call N rejects. The step
 * that call hits must fail with code `storage`, leave the store exactly as it
 * was, and succeed when retried; the run then ends with the answers and the
 * store of a run without faults.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Server, memoryStorage, faultyStorage } from "pandora-mq";
import { fakeClock } from "./clock.js";
import { assertPandoraError } from "./errors.js";
import { snapshot } from "./storage.js";

/**
 * A step gets the server, the clock and a context of earlier answers (`t0`:
 * the clock's start); it returns what the caller saw. Steps are retried as a
 * whole, so they must not advance the clock before their one queue operation fails.
 * @typedef {[string, (s: any, time: any, ctx: any) => Promise<unknown>]} Step
 */

/** A delivered message without its lid (random) so runs compare. */
export const plain = (/** @type {any} */ msg) => (msg === null ? null : { ...msg, lid: typeof msg.lid });

/**
 * Runs `steps` with storage call `failAt` failing (Infinity: none).
 * @param {Step[]} steps
 * @param {number} failAt
 * @param {{ server?: object, afterStep?: (label: string, ctx: any) => void }} [options]
 *   `server`: Server options besides storage and clock; `afterStep`: called after each step's answer
 */
export async function runWorkload(steps, failAt, { server: serverOptions = {}, afterStep } = {}) {
  const inner = memoryStorage();
  const storage = faultyStorage(inner, { failAt });
  const time = fakeClock();
  const server = new Server({ ...serverOptions, storage, clock: time.clock });
  const ctx = { t0: time.now() };
  const answers = [];
  const failures = [];
  for (const [label, step] of steps) {
    const before = await snapshot(inner);
    let answer;
    try {
      answer = await step(server, time, ctx);
    } catch (err) {
      assertPandoraError(err, "storage");
      assert.match(/** @type {Error} */ (err).message, /injected fault/);
      assert.deepStrictEqual(await snapshot(inner), before, `failAt ${failAt}: "${label}" failed but changed the store`);
      failures.push(label);
      answer = await step(server, time, ctx); // the retry must succeed
    }
    afterStep?.(label, ctx);
    answers.push([label, answer]);
  }
  return { answers, failures, calls: storage.calls, final: await snapshot(inner) };
}

/**
 * Runs the workload once without faults, then once with a fault at each of its
 * storage calls: each faulty run has exactly one failed step and ends as the
 * reference did. Returns how many fault positions were checked.
 * @param {(failAt: number) => ReturnType<typeof runWorkload>} run
 */
export async function checkEveryFault(run) {
  const reference = await run(Infinity);
  for (let failAt = 1; failAt <= reference.calls; failAt++) {
    const faulty = await run(failAt);
    assert.strictEqual(faulty.failures.length, 1, `failAt ${failAt}: expected exactly one failed operation, got ${faulty.failures}`);
    assert.deepStrictEqual(faulty.answers, reference.answers, `failAt ${failAt} (${faulty.failures[0]}): answers differ`);
    assert.deepStrictEqual(faulty.final, reference.final, `failAt ${failAt} (${faulty.failures[0]}): final store differs`);
  }
  return reference.calls;
}
