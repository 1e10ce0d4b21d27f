// consume(): the worker loop over an in-process Server, on a fake clock with
// fake timers. Handlers are promises the test settles, so "while it runs" is a
// state the test holds, not a duration.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Server, PandoraError, memoryStorage } from "pandora-mq";
import { fakeTime, settle } from "./support/timers.js";
import { T0 } from "./support/clock.js";

const BOX = "worker@x";

/** A promise with its resolve and reject outside. */
function deferred() {
  /** @type {(value?: unknown) => void} */
  let resolve = () => {};
  /** @type {(reason?: unknown) => void} */
  let reject = () => {};
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A server on a fake clock and fake timers; its consume() runs on the same. */
function setup(serverOptions = {}) {
  const time = fakeTime();
  const server = new Server({ clock: time.clock, timers: time.timers, ...serverOptions });
  return { time, server };
}

/** A handler whose every call waits for the test: `calls[i]` is `{ message, done }`. */
function heldHandler() {
  /** @type {{ message: any, done: ReturnType<typeof deferred> }[]} */
  const calls = [];
  let running = 0;
  let most = 0;
  const handler = async (/** @type {any} */ message) => {
    const done = deferred();
    calls.push({ message, done });
    running++;
    most = Math.max(most, running);
    try {
      await done.promise;
    } finally {
      running--;
    }
  };
  return { handler, calls, running: () => running, most: () => most };
}

/** Whether `promise` has settled by now (after letting pending work run). */
async function settled(/** @type {Promise<unknown>} */ promise) {
  let done = false;
  promise.then(() => (done = true), () => (done = true));
  await settle();
  return done;
}

const send = (/** @type {Server} */ server, /** @type {string} */ topic) =>
  server.send({ sender: "s@x", receiver: BOX, body: { topic } });

test("a resolving handler confirms its message; one that throws rejects it", async () => {
  const { time, server } = setup();
  const seen = [];
  const consumer = server.consume(BOX, async (m) => {
    seen.push(m.body.topic);
    if (m.body.topic === "bad" && m.deliveryCount === 1) throw new Error("first try fails");
  }, { wait: 0 });
  await send(server, "good");
  await send(server, "bad");
  await time.advance(1_000);
  consumer.stop();
  await consumer.done;
  // The rejected one came back (no back-off configured) and was confirmed on its second delivery.
  assert.deepEqual(seen, ["good", "bad", "bad"]);
  assert.deepEqual(await server.fetchHeaders(BOX), []);
});

test("a handler slower than the lease keeps its message: renewed at half the lease, never redelivered while it runs", async () => {
  const { time, server } = setup();
  const held = heldHandler();
  const consumer = server.consume(BOX, held.handler, { lease: 1_000 });
  await send(server, "slow");
  await time.advance(0);
  assert.equal(held.calls.length, 1);
  const { mid, lid } = held.calls[0].message;
  for (let step = 0; step < 20; step++) {
    await time.advance(700); // more than half a lease per step: only renewals keep it
    assert.equal(await server.fetchLatest(BOX), null, "a second consumer sees nothing");
    const stats = await server.stats(BOX);
    assert.deepEqual([stats.leased, stats.ready], [1, 0], "the lease still runs");
  }
  assert.equal(held.calls.length, 1, "not redelivered to this consumer either");
  assert.equal((await server.stats(BOX)).leased, 1);
  held.calls[0].done.resolve();
  await time.advance(0);
  const after = await server.stats(BOX);
  assert.deepEqual([after.ready, after.leased, after.delayed], [0, 0, 0], "confirmed with the lid it was fetched with");
  await assert.rejects(server.ack(mid, lid, "confirmed"), (e) => e.code === "not_found");
  consumer.stop();
  await time.advance(20_000); // the pending long poll runs out
  await consumer.done;
});

test("a throwing handler is retried with the server's back-off and ends dead after maxDeliveries", async () => {
  const { time, server } = setup({ maxDeliveries: 3, retryBackoff: { initial: 1_000, factor: 2, max: 10_000 } });
  /** @type {[number, number][]} */
  const deliveries = [];
  const consumer = server.consume(BOX, (m) => {
    deliveries.push([time.clock() - T0, m.deliveryCount]);
    throw new Error("always fails");
  });
  await send(server, "poison");
  await time.advance(60_000);
  // Due again 1 s after the first failure, 2 s after the second; dead after the third.
  assert.deepEqual(deliveries, [[0, 1], [1_000, 2], [3_000, 3]]);
  const dead = await server.fetchHeaders(BOX, { status: "dead" });
  assert.deepEqual(dead.map((h) => [h.status, h.deliveryCount]), [["dead", 3]]);
  assert.equal((await server.stats(BOX)).dead, 1);
  consumer.stop();
  await time.advance(20_000);
  await consumer.done;
});

test("the default wait long-polls: a send wakes the consumer at once, and an idle one reads storage only per wait", async () => {
  const inner = memoryStorage();
  let reads = 0;
  const counted = (/** @type {Function} */ fn) => (/** @type {any[]} */ ...args) => {
    reads++;
    return fn(...args);
  };
  const { time, server } = setup({ storage: { get: counted(inner.get), list: counted(inner.list), write: inner.write } });
  const handledAt = [];
  const consumer = server.consume(BOX, () => void handledAt.push(time.clock() - T0));
  await time.advance(5_000);
  await send(server, "wake up");
  await settle();
  assert.deepEqual(handledAt, [5_000], "handled at the moment it was sent");
  reads = 0;
  await time.advance(60_000);
  // Three 20 s polls in a minute, each a few reads: nothing like a poll loop.
  assert.ok(reads > 0 && reads <= 3 * 10, `reads: ${reads}`);
  consumer.stop();
  await time.advance(20_000);
  await consumer.done;
});

test("a lease lost while the handler runs is a loop error: reported by onError, or rejecting done", async () => {
  const { time, server } = setup();
  const held = heldHandler();
  const errors = [];
  const consumer = server.consume(BOX, held.handler, {
    lease: 1_000, wait: 0, onError: (/** @type {any} */ e, /** @type {any} */ c) => errors.push([c.phase, e.code, c.message?.body.topic]),
  });
  await send(server, "cancelled meanwhile");
  await time.advance(0);
  assert.deepEqual(await server.cancel(BOX, held.calls[0].message.mid), { cancelled: true });
  await time.advance(600);
  assert.deepEqual(errors, [["extend", "not_found", "cancelled meanwhile"]]);
  held.calls[0].done.resolve();
  await time.advance(0);
  assert.deepEqual(errors.map((e) => e[0]), ["extend", "ack"]);
  consumer.stop();
  await consumer.done;

  const plain = server.consume(BOX, held.handler, { lease: 1_000, wait: 0 });
  await send(server, "again");
  await time.advance(0);
  await server.cancel(BOX, held.calls[1].message.mid);
  await time.advance(600);
  assert.equal(await settled(plain.done), false, "the handler still runs");
  held.calls[1].done.resolve();
  await assert.rejects(plain.done, (e) => e instanceof PandoraError && e.code === "not_found");
});

test("stop() takes no new message and resolves done only after in-flight handlers finish", async () => {
  const { time, server } = setup();
  const held = heldHandler();
  const consumer = server.consume(BOX, held.handler, { concurrency: 2, wait: 0 });
  await send(server, "a");
  await send(server, "b");
  await time.advance(500);
  assert.equal(held.calls.length, 2);

  consumer.stop();
  await send(server, "after stop");
  await time.advance(10_000);
  assert.equal(await settled(consumer.done), false, "done waits for both handlers");
  held.calls[0].done.resolve();
  assert.equal(await settled(consumer.done), false, "one handler still runs");
  held.calls[1].done.resolve();
  await consumer.done;

  assert.equal(held.calls.length, 2, "no message taken after stop()");
  const left = await server.fetchHeaders(BOX);
  assert.deepEqual(left.map((h) => h.leased), [false], "a and b confirmed, the later one untouched");
  assert.equal((await server.fetchLatest(BOX)).body.topic, "after stop");
});

test("stop() during a long poll ends its wait at once: nothing is leased after it, and a handler under way finishes first", async () => {
  const { time, server } = setup();
  const held = heldHandler();
  const idle = server.consume(BOX, held.handler, { wait: "10s" });
  await time.advance(1_000);
  idle.stop();
  assert.equal(await settled(idle.done), true, "done without the wait running out");
  await send(server, "after the stop");
  await time.advance(20_000);
  assert.equal(held.calls.length, 0, "nothing was leased after stop()");
  assert.equal((await server.stats(BOX)).ready, 1, "the message waits for the next consumer");

  const busy = server.consume(BOX, held.handler, { wait: "10s" });
  await settle();
  assert.equal(held.calls.length, 1);
  busy.stop();
  assert.equal(await settled(busy.done), false, "its handler runs");
  held.calls[0].done.resolve();
  await busy.done;
  assert.deepEqual(await server.fetchHeaders(BOX), [], "confirmed");
});

test("at most `concurrency` handlers run at once, and every message is handled once", async () => {
  const { time, server } = setup();
  const held = heldHandler();
  const consumer = server.consume(BOX, held.handler, { concurrency: 3, wait: 0 });
  for (let i = 0; i < 10; i++) await send(server, `m${i}`);
  await time.advance(500);
  assert.equal(held.running(), 3);
  // Release handlers one at a time: each free slot is refilled, never more than three.
  for (let released = 0; released < 10; released++) {
    await time.advance(500);
    assert.ok(held.running() <= 3);
    held.calls[released].done.resolve();
    await time.advance(500);
  }
  consumer.stop();
  await consumer.done;
  assert.equal(held.most(), 3);
  assert.deepEqual(held.calls.map((c) => c.message.body.topic).sort(), Array.from({ length: 10 }, (_, i) => `m${i}`).sort());
  assert.deepEqual(await server.fetchHeaders(BOX), []);
});

test("an abort signal stops the loop like stop(); an aborted one never starts it", async () => {
  const { time, server } = setup();
  const held = heldHandler();
  const controller = new AbortController();
  const consumer = server.consume(BOX, held.handler, { wait: 0, signal: controller.signal });
  await send(server, "one");
  await send(server, "two");
  await time.advance(500);
  assert.equal(held.calls.length, 1);
  controller.abort();
  held.calls[0].done.resolve();
  await consumer.done;
  await time.advance(5_000);
  assert.equal(held.calls.length, 1, "nothing taken after the abort");

  const never = server.consume(BOX, held.handler, { signal: AbortSignal.abort() });
  await never.done;
  assert.equal(held.calls.length, 1);
  assert.equal((await server.fetchLatest(BOX)).body.topic, "two");
});

test("with nothing to fetch and no wait it polls with back-off, not in a busy loop", async () => {
  const inner = memoryStorage();
  let reads = 0;
  const counted = (/** @type {Function} */ fn) => (/** @type {any[]} */ ...args) => {
    reads++;
    return fn(...args);
  };
  const storage = { get: counted(inner.get), list: counted(inner.list), write: inner.write };
  const { time, server } = setup({ storage });
  await server.fetchLatest(BOX); // the first operation also reads the store's format
  reads = 0;
  await server.fetchLatest(BOX);
  const perFetch = reads;
  assert.ok(perFetch > 0);
  reads = 0;
  const consumer = server.consume(BOX, () => {}, { wait: 0 });
  await time.advance(10_000);
  consumer.stop();
  await consumer.done;
  // Pauses of 100 ms doubling up to 5 s: fetches at 0, 0.1, 0.3, 0.7, 1.5, 3.1 and 6.3 s.
  assert.equal(reads / perFetch, 7);
  assert.equal(time.pendingCount(), 0, "stop() cleared the pause");
});

test("a loop error without onError stops the loop and rejects done; with onError the loop goes on", async () => {
  let broken = false;
  const inner = memoryStorage();
  const failing = (/** @type {Function} */ fn) => (/** @type {any[]} */ ...args) => {
    if (broken) throw new Error("disk gone");
    return fn(...args);
  };
  const storage = { get: failing(inner.get), list: failing(inner.list), write: failing(inner.write) };
  const { time, server } = setup({ storage });

  broken = true;
  const plain = server.consume(BOX, () => {}, { wait: 0 });
  await assert.rejects(plain.done, (e) => e instanceof PandoraError && e.code === "storage");

  const errors = [];
  const handled = [];
  const consumer = server.consume(BOX, (m) => void handled.push(m.body.topic), {
    wait: 0, onError: (/** @type {any} */ e, /** @type {any} */ context) => errors.push([e.code, context.phase]),
  });
  await time.advance(1_000);
  assert.ok(errors.length >= 2, "each failed fetch reported, and retried");
  assert.deepEqual(errors[0], ["storage", "fetch"]);
  broken = false;
  await send(server, "after repair");
  await time.advance(10_000);
  consumer.stop();
  await consumer.done;
  assert.deepEqual(handled, ["after repair"]);

  // An onError that throws ends the loop with its own error.
  broken = true;
  const strict = server.consume(BOX, () => {}, { wait: 0, onError: () => { throw new RangeError("give up"); } });
  await assert.rejects(strict.done, RangeError);
});

test("bad options throw at the call with a stable code", () => {
  const server = new Server();
  const code = (/** @type {string} */ c) => (/** @type {any} */ e) => e instanceof PandoraError && e.code === c;
  assert.throws(() => server.consume(BOX, "not a function"), code("bad_request"));
  assert.throws(() => server.consume(BOX, () => {}, { concurrency: 0 }), code("bad_request"));
  assert.throws(() => server.consume(BOX, () => {}, { concurrency: 101 }), code("bad_request"));
  assert.throws(() => server.consume(BOX, () => {}, { concurrency: 1.5 }), code("bad_request"));
  assert.throws(() => server.consume(BOX, () => {}, { wait: 20_001 }), code("out_of_range"));
  assert.throws(() => server.consume(BOX, () => {}, { wait: -1 }), code("out_of_range"));
  assert.throws(() => server.consume(BOX, () => {}, { signal: {} }), code("bad_request"));
  assert.throws(() => server.consume(BOX, () => {}, { onError: 1 }), code("bad_request"));
  assert.throws(() => server.consume(BOX, () => {}, { timers: {} }), code("bad_request"));
  assert.throws(() => server.consume(BOX, () => {}, { leaseTime: "1s" }), code("bad_request"));
});
