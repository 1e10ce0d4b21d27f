// warmStats: a Server opened on existing data of a sole-writer storage (a
// Durable Object woken again) reads every mailbox's index into its stats
// mirror in steps while other operations run; afterwards no stats call reads
// the storage, and every count equals a scan of the same data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

/** `inner` with its get/list calls counted, and the warm-up's steps (lists of all mailboxes' index) apart. */
function counted(inner) {
  const storage = {
    reads: 0,
    steps: 0,
    soleWriter: true,
    get: (key) => { storage.reads++; return inner.get(key); },
    list: (options) => {
      storage.reads++;
      if (options.prefix === "d" || options.prefix === "x") storage.steps++;
      return inner.list(options);
    },
    write: (batch) => inner.write(batch),
  };
  return storage;
}

const item = (receiver, n) => ({ sender: "s@x", receiver, body: { n: String(n) } });

test("warmStats reads every mailbox in steps beside other operations, then stats read nothing", async () => {
  const clock = fakeClock();
  const base = memoryStorage();
  const before = new Server({ storage: base, clock: clock.now });
  for (const receiver of ["a@x", "b@x", "c@x"]) await before.sendBatch(Array.from({ length: 30 }, (_, i) => item(receiver, i)));
  const held = await before.fetchBatch("b@x", { max: 5, lease: "1m" });

  const storage = counted(base);
  const server = new Server({ storage, clock: clock.now });
  // Operations race the steps: sends to mailboxes before and after the steps' position, acks, a fetch.
  const racing = (async () => {
    for (let i = 0; i < 10; i++) {
      await server.send(item(i % 2 ? "a@x" : "d@x", 100 + i));
      if (i < held.length) await server.ack(held[i].mid, held[i].lid, "confirmed");
      if (i === 5) await server.fetchBatch("c@x", { max: 3, lease: "10s" });
    }
  })();
  await Promise.all([server.warmStats({ rows: 7 }), racing]);
  // About 95 delivery rows and no dead ones, 7 a step: 14 or 15 steps of the first range, one of the second.
  assert.ok(storage.steps >= 14 && storage.steps <= 17, `${storage.steps} steps`);

  clock.advance(60_000);
  const scanner = new Server({ storage: base, clock: clock.now });
  const reads = storage.reads;
  for (const receiver of ["a@x", "b@x", "c@x", "d@x", "nobody@x"]) {
    assert.deepStrictEqual(await server.stats(receiver), await scanner.stats(receiver), receiver);
  }
  assert.strictEqual(storage.reads, reads, "no stats call read the storage");
  assert.deepStrictEqual(await server.stats("b@x"), { ...(await scanner.stats("b@x")), ready: 25 });
});

test("warmStats refuses a step size out of range, and has nothing to do on a shared storage", async () => {
  const server = new Server({ storage: memoryStorage() });
  await assert.rejects(server.warmStats({ rows: 0 }), { code: "out_of_range" });
  await assert.rejects(server.warmStats({ rows: 1.5 }), { code: "out_of_range" });
  await server.warmStats();
});
