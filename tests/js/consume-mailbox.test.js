// consume() over the HTTP client: a Mailbox speaking to the real HTTP handler
// (Server.handle behind a fetch shim), client and server on one fake time.
// The same loop as in-process: long polls over POST …/fetch with wait and
// max, renews leases over POST …/extend, acks over POST …/ack.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Server, Mailbox, PandoraError } from "pandora-mq";
import { fakeTime, settle } from "./support/timers.js";
import { T0 } from "./support/clock.js";

const BOX = "worker@x";

function setup(options = {}) {
  const time = fakeTime();
  const server = new Server({ clock: time.clock, timers: time.timers, ...options });
  /** @type {string[]} */
  const routes = [];
  const box = new Mailbox("http://queue.test/mq", {
    clock: time.clock,
    timers: time.timers,
    fetch: (url, init) => {
      routes.push(new URL(url).pathname.replace("/mq/", ""));
      return server.handle(new Request(url, init));
    },
  });
  const send = (/** @type {string} */ topic) => box.send({ sender: "s@x", receiver: BOX, body: { topic } });
  return { time, server, box, routes, send };
}

test("over HTTP a slow handler keeps its lease by extend, and its message is confirmed when it resolves", async () => {
  const { time, server, box, routes, send } = setup();
  /** @type {() => void} */
  let finish = () => {};
  const calls = [];
  const consumer = box.consume(BOX, (m) => {
    calls.push(m.body.topic);
    return new Promise((resolve) => (finish = () => resolve(undefined)));
  }, { lease: "2s", concurrency: 2 });
  await send("slow");
  await time.advance(0);
  assert.deepEqual(calls, ["slow"]);
  for (let step = 0; step < 10; step++) {
    await time.advance(1_500);
    assert.equal(await server.fetchLatest(BOX), null, "a second consumer sees nothing");
  }
  assert.ok(routes.filter((r) => r === "extend").length >= 7, "renewed about every second");
  finish();
  await time.advance(0);
  assert.deepEqual(await server.fetchHeaders(BOX), []);
  assert.deepEqual(calls, ["slow"]);
  assert.ok(routes.includes("ack"));
  consumer.stop();
  await time.advance(20_000);
  await consumer.done;
});

test("over HTTP a throwing handler is retried with back-off and ends dead after maxDeliveries", async () => {
  const { time, server, box, send } = setup({ maxDeliveries: 2, retryBackoff: { initial: "5s" } });
  const at = [];
  const consumer = box.consume(BOX, () => {
    at.push(time.clock() - T0);
    throw new Error("no");
  });
  await send("poison");
  await time.advance(60_000);
  assert.deepEqual(at, [0, 5_000]);
  assert.equal((await server.stats(BOX)).dead, 1);
  consumer.stop();
  await time.advance(20_000);
  await consumer.done;
});

test("over HTTP stop() lets the running handlers finish, and a server that cannot be reached rejects done", async () => {
  const { time, box, send } = setup();
  const finishers = [];
  const consumer = box.consume(BOX, () => new Promise((resolve) => finishers.push(resolve)), { concurrency: 3 });
  for (const t of ["a", "b", "c", "d"]) await send(t);
  await time.advance(0);
  assert.equal(finishers.length, 3);
  consumer.stop();
  let done = false;
  consumer.done.then(() => (done = true));
  for (const finish of finishers) {
    await settle();
    assert.equal(done, false);
    finish(undefined);
  }
  await time.advance(0);
  await consumer.done;
  assert.equal(finishers.length, 3, "d stays for the next consumer");

  const offline = new Mailbox("http://queue.test/", {
    clock: time.clock, timers: time.timers, fetch: () => Promise.reject(new TypeError("connection refused")),
  });
  await assert.rejects(offline.consume(BOX, () => {}).done, (e) => e instanceof PandoraError && e.code === "network");
});

test("over HTTP stop() ends the long poll at once (its request is aborted) and nothing is leased after it", async () => {
  const { time, server, box, send } = setup();
  const calls = [];
  const consumer = box.consume(BOX, (m) => void calls.push(m.body.topic), { wait: "10s" });
  await time.advance(1_000);
  consumer.stop();
  let done = false;
  consumer.done.then(() => (done = true));
  await settle();
  assert.equal(done, true, "done without the wait running out");
  await send("after the stop");
  await time.advance(20_000);
  assert.deepEqual(calls, []);
  assert.equal((await server.stats(BOX)).ready, 1);
  const aborted = new AbortController();
  aborted.abort();
  assert.equal(await box.fetch(BOX, { signal: aborted.signal }), null, "an aborted signal sends no request");
  assert.deepEqual(await box.fetchBatch(BOX, { max: 3, signal: aborted.signal }), []);
  assert.equal((await server.stats(BOX)).ready, 1);
});
