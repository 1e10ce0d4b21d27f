// postgresStorage's per-mailbox locks, on a real PostgreSQL: sections of
// different mailboxes hold their locks at the same time (seen in pg_locks
// from a third connection), a second section of the same mailbox and a
// whole-table section wait for them at their first read (a transaction
// takes its lock together with its first query), and two Servers on separate pools
// consuming two mailboxes concurrently deliver every message exactly once.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { Server, postgresStorage } from "pandora-mq";
import { startPostgres } from "./support/postgres.js";

const server = await startPostgres();
/** @type {pg.Pool[]} */
const pools = [];
const pool = () => {
  const p = new pg.Pool({ connectionString: server.url, max: 2 });
  pools.push(p);
  return p;
};
after(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await server.stop();
});
const observer = pool();

/** One "process": its own pool and storage over `table` (made one at a time: concurrent CREATE TABLE IF NOT EXISTS can collide). */
const storageOn = async (table) => {
  const storage = postgresStorage(pool(), { table });
  await storage.ready;
  return storage;
};

/** Advisory locks right now, as PostgreSQL reports them. */
async function advisoryLocks() {
  const { rows } = await observer.query(
    "SELECT mode, granted FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
  );
  return {
    exclusiveHeld: rows.filter((r) => r.granted && r.mode === "ExclusiveLock").length,
    sharedHeld: rows.filter((r) => r.granted && r.mode === "ShareLock").length,
    waiting: rows.filter((r) => !r.granted).length,
  };
}

/** Polls pg_locks until `want` holds (each poll a query; gives up after 500 polls). */
async function until(want) {
  for (let i = 0; i < 500; i++) {
    const locks = await advisoryLocks();
    if (want(locks)) return locks;
  }
  assert.fail(`pg_locks never showed the expected state: ${JSON.stringify(await advisoryLocks())}`);
}

/** A section that reads, signals that its read is answered, and ends when released. */
function heldSection(storage) {
  /** @type {() => void} */ let release = () => {};
  /** @type {() => void} */ let entered = () => {};
  const running = new Promise((resolve) => { entered = resolve; });
  const gate = new Promise((resolve) => { release = resolve; });
  let started = false;
  return {
    fn: async () => { await storage.get("k"); started = true; entered(); await gate; return "done"; },
    running, release: () => release(), get started() { return started; },
  };
}

test("postgres: two mailboxes' sections read under their locks together; the same mailbox and the whole table wait", { timeout: 60_000 }, async () => {
  const [s1, s2, s3, s4] = [await storageOn("locks"), await storageOn("locks"), await storageOn("locks"), await storageOn("locks")];
  const a = heldSection(s1);
  const b = heldSection(s2);
  const doneA = s1.exclusive(a.fn, "a@x");
  const doneB = s2.exclusive(b.fn, "b@x");
  // Neither waits for the other: both are inside their sections at once.
  await Promise.all([a.running, b.running]);
  const both = await advisoryLocks();
  assert.deepStrictEqual(both, { exclusiveHeld: 2, sharedHeld: 2, waiting: 0 }, "two mailbox locks and two shared table locks");

  // Another process's section on a@x waits for a@x's lock: its read is not answered.
  const again = heldSection(s3);
  const doneAgain = s3.exclusive(again.fn, "a@x");
  await until((l) => l.waiting === 1);
  assert.strictEqual(again.started, false, "the same mailbox never runs twice at once");
  a.release();
  assert.strictEqual(await doneA, "done");
  await again.running;

  // A section naming no mailbox takes the whole table: it waits for b@x and the second a@x.
  const whole = heldSection(s4);
  const doneWhole = s4.exclusive(whole.fn);
  await until((l) => l.waiting === 1);
  assert.strictEqual(whole.started, false);
  again.release();
  b.release();
  assert.deepStrictEqual(await Promise.all([doneAgain, doneB]), ["done", "done"]);
  await whole.running;
  const alone = await advisoryLocks();
  assert.deepStrictEqual(alone, { exclusiveHeld: 1, sharedHeld: 0, waiting: 0 }, "the table lock alone");
  whole.release();
  assert.strictEqual(await doneWhole, "done");
});

test("postgres: two Servers on separate pools consuming two mailboxes deliver each message once", { timeout: 120_000 }, async () => {
  let t = 1_800_000_000_000;
  const clock = () => t;
  const servers = [new Server({ storage: await storageOn("deliver"), clock }), new Server({ storage: await storageOn("deliver"), clock })];
  const mailboxes = ["m1@x", "m2@x"];
  const perMailbox = 150;
  /** @type {Set<string>} */
  const sent = new Set();
  for (let i = 0; i < perMailbox; i += 10) {
    for (const [k, receiver] of mailboxes.entries()) {
      const items = Array.from({ length: 10 }, (_, j) => ({ sender: "s@x", receiver, body: { n: String(i + j) } }));
      for (const { mid } of await servers[(i / 10 + k) % 2].sendBatch(items)) sent.add(mid);
    }
  }
  assert.strictEqual(sent.size, perMailbox * mailboxes.length);
  /** @type {Map<string, number>} */
  const delivered = new Map();
  // Every Server consumes every mailbox, all four loops at once.
  await Promise.all(servers.flatMap((server) => mailboxes.map(async (receiver) => {
    for (;;) {
      const batch = await server.fetchBatch(receiver, { max: 3, lease: 60_000 });
      if (batch.length === 0) return;
      for (const m of batch) {
        assert.strictEqual(m.receiver, receiver);
        delivered.set(m.mid, (delivered.get(m.mid) ?? 0) + 1);
      }
      // Acks alternate between the single and the batch route.
      if (batch.length === 1) await server.ack(batch[0].mid, batch[0].lid, "confirmed");
      else {
        const results = await server.ackBatch(batch.map((m) => ({ mid: m.mid, lid: m.lid, status: "confirmed" })));
        assert.ok(results.every((r) => r.ok), JSON.stringify(results));
      }
    }
  })));
  assert.strictEqual(delivered.size, sent.size, "every message delivered");
  assert.deepStrictEqual([...delivered.values()].filter((n) => n !== 1), [], "none twice");
  for (const receiver of mailboxes) {
    const stats = await servers[0].stats(receiver);
    assert.deepStrictEqual([stats.ready, stats.leased, stats.delayed], [0, 0, 0]);
  }
});
