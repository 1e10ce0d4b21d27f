// fetchLatest()'s lease: the `lease` option (ms or Go string), else the
// server's defaultLease option, else 5 minutes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

/** leasedUntil - now of the first delivery on a server made with `options`. */
async function leaseOf(options, fetchOptions) {
  const time = fakeClock();
  const server = new Server({ ...options, clock: time.clock });
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const msg = await server.fetchLatest("bob", fetchOptions);
  return msg.leasedUntil - time.now();
}

test("the lease option in ms", async () => {
  assert.strictEqual(await leaseOf({}, { lease: 1500 }), 1500);
});

test("the lease option as a Go duration", async () => {
  assert.strictEqual(await leaseOf({}, { lease: "1h30m" }), 5_400_000);
  assert.strictEqual(await leaseOf({}, { lease: "250ms" }), 250);
});

test("without a lease option the default is 5 minutes", async () => {
  assert.strictEqual(await leaseOf({}), 300_000);
  assert.strictEqual(await leaseOf({}, {}), 300_000);
});

test("the defaultLease option replaces the default, in ms or as a Go duration", async () => {
  assert.strictEqual(await leaseOf({ defaultLease: "30s" }), 30_000);
  assert.strictEqual(await leaseOf({ defaultLease: 45_000 }), 45_000);
  // An explicit lease still wins.
  assert.strictEqual(await leaseOf({ defaultLease: "30s" }, { lease: "2s" }), 2_000);
});

test("the lease holds the message until it ends", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  await server.fetchLatest("bob", { lease: "1m" });
  time.advance(59_999);
  assert.strictEqual(await server.fetchLatest("bob"), null);
  time.advance(2);
  assert.notStrictEqual(await server.fetchLatest("bob"), null);
});

test("the lease bounds are 1 ms and 12 h", async () => {
  assert.strictEqual(await leaseOf({}, { lease: 1 }), 1);
  assert.strictEqual(await leaseOf({}, { lease: "12h" }), 12 * 3_600_000);
});
