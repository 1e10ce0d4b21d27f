// ack() takes the status as a name or as the Go code: "confirmed"/1, "rejected"/2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { rejectsWithCode } from "./support/errors.js";

async function leased() {
  const server = new Server({ clock: fakeClock().clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const msg = await server.fetchLatest("bob");
  return { server, mid, lid: msg.lid };
}

for (const status of ["confirmed", 1, "1"]) {
  test(`ack ${JSON.stringify(status)} confirms: the message leaves the queue`, async () => {
    const { server, mid, lid } = await leased();
    assert.strictEqual(await server.ack(mid, lid, status), undefined);
    assert.deepStrictEqual(await server.fetchHeaders("bob"), []);
    assert.strictEqual(await server.fetchLatest("bob"), null);
  });
}

for (const status of ["rejected", 2, "2"]) {
  test(`ack ${JSON.stringify(status)} rejects: the message is due again at once`, async () => {
    const { server, mid, lid } = await leased();
    assert.strictEqual(await server.ack(mid, lid, status), undefined);
    const again = await server.fetchLatest("bob");
    assert.strictEqual(again?.mid, mid);
    assert.strictEqual(again.status, "rejected");
  });
}

for (const status of ["done", 0, 3, 4, 8, "81", "", undefined]) {
  test(`ack ${JSON.stringify(status)} is unknown_status and changes nothing`, async () => {
    const { server, mid, lid } = await leased();
    await rejectsWithCode(server.ack(mid, lid, status), "unknown_status");
    // Still leased by the same lid, which can still confirm.
    assert.strictEqual(await server.fetchLatest("bob"), null);
    await server.ack(mid, lid, "confirmed");
  });
}
