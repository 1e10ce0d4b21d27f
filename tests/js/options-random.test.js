// The random option: the source of lock ids (and of send nonces).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

/** A predictable source: fills with 0, 1, 2, … continuing across calls, and counts calls. */
function counting() {
  let next = 0;
  const source = (/** @type {Uint8Array} */ bytes) => {
    source.calls += 1;
    for (let i = 0; i < bytes.length; i++) bytes[i] = next++ & 0xff;
  };
  source.calls = 0;
  return source;
}

test("lids are made from the random option's bytes", async () => {
  const random = counting();
  const server = new Server({ random, clock: fakeClock().clock });
  await server.send({ sender: "ann", receiver: "bob", clientTime: 1, body: { k: "v" } }); // clientTime: no nonce drawn
  const msg = await server.fetchLatest("bob");
  assert.strictEqual(msg.lid.slice(0, 32), "000102030405060708090a0b0c0d0e0f");
  assert.strictEqual(random.calls, 1);
});

test("sends without clientTime draw a nonce from it too", async () => {
  const random = counting();
  const server = new Server({ random, clock: fakeClock().clock });
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  assert.strictEqual(random.calls, 1);
  const { body } = await server.fetchLatest("bob");
  assert.strictEqual(body["p-nonce"], "000102030405060708090a0b0c0d0e0f");
});

test("two servers with the same random and clock issue the same ids", async () => {
  const lids = [];
  for (let i = 0; i < 2; i++) {
    const server = new Server({ random: counting(), clock: fakeClock().clock });
    await server.send({ sender: "ann", receiver: "bob", clientTime: 1, body: { k: "v" } });
    lids.push((await server.fetchLatest("bob")).lid);
  }
  assert.strictEqual(lids[0], lids[1]);
});
