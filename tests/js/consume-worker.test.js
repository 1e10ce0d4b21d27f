// consume() over a Mailbox against the Worker in workerd (Miniflare), real
// clock and timers: the Durable Object holds the long polls, routes extend and
// ack by the lid, and applies PANDORA_MAX_DELIVERIES / PANDORA_RETRY_BACKOFF.
// Every wait below is for an event (a handler call, a request seen), never a
// length of time that must have passed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Mailbox } from "pandora-mq";
import { newBox, useWorker } from "../worker/support.js";

const worker = useWorker({ env: { PANDORA_MAX_DELIVERIES: "2", PANDORA_RETRY_BACKOFF: "200ms,1s,2" } });

/** A promise and its resolve. */
function signal() {
  /** @type {(value?: unknown) => void} */
  let fire = () => {};
  const fired = new Promise((resolve) => (fire = resolve));
  return { fired, fire };
}

/** A Mailbox on the Worker that reports each route it requests. */
function mailbox(/** @type {(route: string) => void} */ onRoute = () => {}) {
  return new Mailbox(`${worker.url}/api`, {
    fetch: (url, init) => {
      onRoute(new URL(url).pathname.split("/").pop() ?? "");
      return fetch(url, init);
    },
  });
}

test("a handler slower than its lease keeps the message through extends over HTTP, then confirms it", async () => {
  const receiver = newBox("slow");
  const twoExtends = signal();
  let extends_ = 0;
  const box = mailbox((route) => route === "extend" && ++extends_ === 2 && twoExtends.fire());
  const release = signal();
  const calls = [];
  const consumer = box.consume(receiver, async (m) => {
    calls.push(m.body.n);
    await release.fired;
  }, { lease: "600ms", wait: "1s" });
  await box.send({ sender: "a@x", receiver, body: { n: "1" } });
  await twoExtends.fired; // 300 ms and 600 ms in: the 600 ms lease has been outlived
  const other = mailbox();
  assert.equal(await other.fetch(receiver), null, "another consumer sees nothing while the handler runs");
  assert.equal((await other.stats(receiver)).leased, 1);
  release.fire();
  consumer.stop();
  await consumer.done;
  assert.deepEqual(calls, ["1"]);
  assert.deepEqual(await other.stats(receiver), { ready: 0, delayed: 0, leased: 0, dead: 0, bytes: 0, oldestReady: null });
});

test("a throwing handler is retried after the Worker's back-off and ends dead at PANDORA_MAX_DELIVERIES", async () => {
  const receiver = newBox("poison");
  const box = mailbox();
  const second = signal();
  const deliveries = [];
  const consumer = box.consume(receiver, (m) => {
    deliveries.push(m.deliveryCount);
    if (m.deliveryCount === 2) second.fire();
    throw new Error("cannot handle");
  }, { wait: "1s", concurrency: 2 });
  await box.send({ sender: "a@x", receiver, body: { n: "1" } });
  await second.fired;
  consumer.stop();
  await consumer.done; // after the second reject's ack
  assert.deepEqual(deliveries, [1, 2]);
  const stats = await box.stats(receiver);
  assert.deepEqual([stats.ready, stats.delayed, stats.leased, stats.dead], [0, 0, 0, 1]);
});
