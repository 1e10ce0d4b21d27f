// On a store with per-mailbox locks, an ack needs its message's mailbox before
// it takes the lock. A Server that fetched the message knows it (the mid's
// receiver never changes) and reads nothing for it; another Server reads it once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage } from "pandora-mq";

/** memoryStorage with per-mailbox `exclusive`, counting the reads made outside any section and the scopes locked. */
function lockedStore() {
  const inner = memoryStorage();
  const seen = { readsOutside: 0, scopes: [] };
  let depth = 0;
  let chain = Promise.resolve();
  const store = {
    mailboxLocks: true,
    get: (key) => {
      if (depth === 0) seen.readsOutside++;
      return inner.get(key);
    },
    list: (...args) => {
      if (depth === 0) seen.readsOutside++;
      return inner.list(...args);
    },
    write: (batch) => inner.write(batch),
    exclusive(fn, scope = null) {
      seen.scopes.push(scope);
      const run = chain.then(async () => {
        depth++;
        try {
          return await fn();
        } finally {
          depth--;
        }
      });
      chain = run.catch(() => {});
      return run;
    },
  };
  return { store, seen };
}

test("an ack after this Server's own fetch reads nothing before its mailbox's lock", async () => {
  const { store, seen } = lockedStore();
  let t = 1_800_000_000_000;
  const server = new Server({ storage: store, clock: () => t });
  await server.send({ sender: "a@x", receiver: "b@x", body: { n: "1" } });
  const m = await server.fetchLatest("b@x");
  const before = seen.readsOutside;
  seen.scopes.length = 0;
  await server.ack(m.mid, m.lid, "confirmed");
  assert.strictEqual(seen.readsOutside - before, 0);
  assert.deepStrictEqual(seen.scopes, ["b@x"]);
});

test("another Server's ack reads the mailbox once, then locks it", async () => {
  const { store, seen } = lockedStore();
  let t = 1_800_000_000_000;
  const fetcher = new Server({ storage: store, clock: () => t });
  const acker = new Server({ storage: store, clock: () => t });
  await fetcher.send({ sender: "a@x", receiver: "b@x", body: { n: "1" } });
  await fetcher.send({ sender: "a@x", receiver: "b@x", body: { n: "2" } });
  const [m1, m2] = await fetcher.fetchBatch("b@x", { max: 2 });
  const before = seen.readsOutside;
  seen.scopes.length = 0;
  await acker.ack(m1.mid, m1.lid, "confirmed");
  assert.strictEqual(seen.readsOutside - before, 1);
  assert.deepStrictEqual(seen.scopes, ["b@x"]);
  // extend of another mid of the same mailbox: one more read; then acking it again is known.
  await acker.extend(m2.mid, m2.lid, { lease: 60_000 });
  await acker.ack(m2.mid, m2.lid, "confirmed");
  assert.strictEqual(seen.readsOutside - before, 2);
  assert.deepStrictEqual(seen.scopes, ["b@x", "b@x", "b@x"]);
  assert.deepStrictEqual(await fetcher.stats("b@x").then((s) => [s.ready, s.leased]), [0, 0]);
});
