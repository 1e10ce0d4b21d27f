// ack(…, "rejected", { retryDelay }) puts the message back after a delay.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { rejectsWithCode } from "./support/errors.js";

async function leased(options = {}) {
  const time = fakeClock();
  const server = new Server({ ...options, clock: time.clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const msg = await server.fetchLatest("bob");
  return { server, time, mid, lid: msg.lid };
}

for (const [retryDelay, ms] of [[2500, 2500], ["2.5s", 2500], ["1h", 3_600_000]]) {
  test(`retryDelay ${JSON.stringify(retryDelay)} holds a rejected message for ${ms} ms`, async () => {
    const { server, time, mid, lid } = await leased();
    await server.ack(mid, lid, "rejected", { retryDelay });
    time.advance(ms - 1);
    assert.strictEqual(await server.fetchLatest("bob"), null);
    time.advance(1);
    assert.strictEqual((await server.fetchLatest("bob"))?.mid, mid);
  });
}

test("a retryDelay beyond maxDelay is out_of_range and changes nothing", async () => {
  const { server, mid, lid } = await leased({ maxDelay: "1m" });
  await rejectsWithCode(server.ack(mid, lid, "rejected", { retryDelay: "1m1ms" }), "out_of_range");
  await rejectsWithCode(server.ack(mid, lid, "rejected", { retryDelay: -1 }), "out_of_range");
  await server.ack(mid, lid, "rejected", { retryDelay: "1m" }); // the lid still holds the lease
});

test("a retryDelay on a confirm is ignored", async () => {
  const { server, time, mid, lid } = await leased();
  await server.ack(mid, lid, "confirmed", { retryDelay: "1s" });
  time.advance(1000);
  assert.strictEqual(await server.fetchLatest("bob"), null);
});
