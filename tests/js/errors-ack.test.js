// The ack error codes: lock_mismatch, lease_expired, unknown_status, not_found.
// Each leaves the lease as it was.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { rejectsWithCode } from "./support/errors.js";

async function leased() {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const msg = await server.fetchLatest("bob", { lease: 1000 });
  return { server, time, mid, lid: msg.lid };
}

test("lock_mismatch: a lid that does not hold the lease", async () => {
  const { server, mid, lid } = await leased();
  const other = lid.replace(/^./, (c) => (c === "0" ? "1" : "0"));
  await rejectsWithCode(server.ack(mid, other, "confirmed"), "lock_mismatch");
  await server.ack(mid, lid, "confirmed");
});

test("lease_expired: the right lid after its lease ran out", async () => {
  const { server, time, mid, lid } = await leased();
  time.advance(1001);
  await rejectsWithCode(server.ack(mid, lid, "confirmed"), "lease_expired");
  // Not confirmed: it is delivered again.
  assert.strictEqual((await server.fetchLatest("bob"))?.mid, mid);
});

test("the lease's last millisecond may still ack", async () => {
  const { server, time, mid, lid } = await leased();
  time.advance(1000);
  await server.ack(mid, lid, "confirmed");
});

test("unknown_status: neither confirmed (1) nor rejected (2)", async () => {
  const { server, mid, lid } = await leased();
  await rejectsWithCode(server.ack(mid, lid, "accepted"), "unknown_status");
  await server.ack(mid, lid, "rejected");
});

test("not_found: no pending message with this mid", async () => {
  const { server, mid, lid } = await leased();
  await rejectsWithCode(server.ack("a".repeat(40), lid, "confirmed"), "not_found");
  await server.ack(mid, lid, "confirmed");
  await rejectsWithCode(server.ack(mid, lid, "confirmed"), "not_found");
});
