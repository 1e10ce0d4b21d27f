// The dedupeWindow option (default 5 minutes): how long after the first send
// an identical send is still a duplicate, even once the message was confirmed
// (the window SQS FIFO has). A pending message is a duplicate whatever the window.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

const input = { sender: "ann", receiver: "bob", clientTime: 42, body: { order: "7" } };

/** A server with `options` where `input` was sent, leased for 1 s and confirmed at time.now(). */
async function confirmedOnce(options) {
  const time = fakeClock();
  const server = new Server({ ...options, clock: time.clock });
  const { mid } = await server.send(input);
  const msg = await server.fetchLatest("bob", { lease: 1000 });
  await server.ack(mid, msg.lid, "confirmed");
  return { server, time, mid };
}

test("a window of 1s: a duplicate until 1s after the first send, then new", async () => {
  const { server, time, mid } = await confirmedOnce({ dedupeWindow: "1s" });
  time.advance(999);
  assert.deepStrictEqual(await server.send(input), { mid, duplicate: true });
  assert.strictEqual(await server.fetchLatest("bob"), null);
  time.advance(1);
  assert.deepStrictEqual(await server.send(input), { mid, duplicate: false });
  assert.strictEqual((await server.fetchLatest("bob"))?.mid, mid);
});

test("a window of 0: the same body is new again right after the confirm", async () => {
  const { server, mid } = await confirmedOnce({ dedupeWindow: 0 });
  assert.deepStrictEqual(await server.send(input), { mid, duplicate: false });
});

test("the default window is 5 minutes", async () => {
  const { server, time, mid } = await confirmedOnce({});
  time.advance(299_999);
  assert.strictEqual((await server.send(input)).duplicate, true);
  time.advance(1);
  assert.deepStrictEqual(await server.send(input), { mid, duplicate: false });
});

test("a pending message deduplicates whatever the window", async () => {
  const time = fakeClock();
  const server = new Server({ dedupeWindow: 0, clock: time.clock });
  const first = await server.send(input);
  time.advance(86_400_000);
  assert.deepStrictEqual(await server.send(input), { mid: first.mid, duplicate: true });
});
