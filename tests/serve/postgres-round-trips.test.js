// postgresStorage sends nothing of a transaction on its own: BEGIN and the
// lock, savepoints and writes go out in front of the transaction's next read
// or its COMMIT. Counted on a real PostgreSQL through a pool that records
// every query; and what that deferral must never change: sections grouped
// in one transaction see each other's writes, one that throws is undone
// alone, and a deferred write that fails fails its whole group.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { Server, postgresStorage } from "pandora-mq";
import { startPostgres } from "./support/postgres.js";

const server = await startPostgres();
const pool = new pg.Pool({ connectionString: server.url, max: 4 });
after(async () => {
  await pool.end();
  await server.stop();
});

/**
 * `pool`, recording each query's text in `queries`, and sending what
 * `rewrite` makes of it.
 * @param {(text: string) => string} [rewrite]
 */
function recordingPool(rewrite = (text) => text) {
  /** @type {string[]} */
  const queries = [];
  const query = (target, text, ...rest) => {
    queries.push(String(text));
    return target.query(typeof text === "string" ? rewrite(text) : text, ...rest);
  };
  const wrapped = {
    queries,
    query: (text, ...rest) => query(pool, text, ...rest),
    async connect() {
      const client = await pool.connect();
      return new Proxy(client, {
        get(target, prop) {
          if (prop === "query") return (text, ...rest) => query(target, text, ...rest);
          const value = Reflect.get(target, prop);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    },
  };
  return wrapped;
}

/** Rejects after `ms` of real time: the test's guard, never its assertion. */
const guard = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error(`nothing heard within ${ms} ms`)), ms).unref());

let tables = 0;
const storageOn = async (p) => {
  const storage = postgresStorage(p, { table: `rt${tables++}` });
  await storage.ready;
  return storage;
};
const bytes = (...b) => new Uint8Array(b);

test("postgres: a send is two round trips, a fetch and an ack three each", async () => {
  const p = recordingPool();
  const queue = new Server({ storage: await storageOn(p) });
  // The first operation of a Server also checks the store's format.
  await queue.send({ sender: "a@x", receiver: "warm@x", body: { n: "0" } });
  await new Promise((resolve) => setTimeout(resolve, 20)); // its wake-up goes out
  p.queries.length = 0;
  await queue.send({ sender: "a@x", receiver: "b@x", body: { n: "1" } });
  const send = p.queries.slice();
  assert.strictEqual(send.length, 2, `send: ${send.join(" | ")}`);
  assert.match(send[0], /^BEGIN; SELECT pg_advisory_xact_lock/);
  assert.match(send[1], /INSERT INTO .*;\s*COMMIT$/s);
  // The send's wake-up for other servers' long polls goes out after the reply, on a pooled connection of its own.
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepStrictEqual(p.queries.slice(2), ["SELECT pg_notify($1, $2)"]);
  p.queries.length = 0;
  const m = await queue.fetchLatest("b@x");
  assert.ok(m);
  assert.strictEqual(p.queries.length, 3, `fetch: ${p.queries.join(" | ")}`);
  p.queries.length = 0;
  await queue.ack(m.mid, m.lid, "confirmed");
  assert.strictEqual(p.queries.length, 3, `ack: ${p.queries.join(" | ")}`);
  assert.strictEqual(await queue.fetchLatest("b@x"), null);
});

/**
 * Another storage on `table`, listening: the wake-ups it hears from the
 * storage under test, once its LISTEN has taken hold.
 * @param {string} table
 */
async function listenerOn(table) {
  const other = postgresStorage(pool, { table });
  await other.ready;
  /** @type {(string[] | null)[]} */
  const heard = [];
  /** @type {() => void} */
  let arrived = () => {};
  let listening = () => {};
  const ready = new Promise((resolve) => (listening = resolve));
  const unsubscribe = other.subscribe((mailboxes) => {
    if (mailboxes === null) return listening(); // the "listening now" wake-up
    heard.push(mailboxes);
    arrived();
  });
  await ready;
  return {
    heard,
    /** Resolves once `count` wake-ups were heard (the test's guard bounds it). */
    until: (count) => new Promise((resolve) => {
      arrived = () => heard.length >= count && resolve(undefined);
      arrived();
    }),
    close: () => (unsubscribe(), other.close()),
  };
}

test("postgres: a queued wake-up rides the next transaction to its COMMIT, with no round trip of its own", async (t) => {
  const p = recordingPool();
  const table = `rt${tables++}`;
  const storage = postgresStorage(p, { table });
  await storage.ready;
  const listener = await listenerOn(table);
  t.after(() => listener.close());
  p.queries.length = 0;
  // The wake-up's own timer never fires here: only a transaction can carry it.
  t.mock.timers.enable({ apis: ["setTimeout"] });
  storage.notify(["carried@x"]);
  await storage.exclusive(async () => {
    await storage.write([["k", bytes(1)]]);
  });
  assert.strictEqual(p.queries.length, 1, `one round trip: ${p.queries.join(" | ")}`);
  assert.match(p.queries[0], /pg_notify\('pandora_mq:rt\d+', .*carried@x.*;\s*COMMIT$/s);
  await Promise.race([listener.until(1), guard(10_000)]);
  assert.deepStrictEqual(listener.heard, [["carried@x"]]);
  t.mock.timers.tick(10);
  assert.strictEqual(p.queries.length, 1, "nothing left to send on its own");
});

test("postgres: a wake-up taken by a transaction that does not commit still goes out, on its own", async (t) => {
  // The server fails COMMIT round trips that carry key "doomed": the group rolls back.
  const p = recordingPool((text) => text.replace(/(INSERT INTO [^;]*'doomed'[^;]*;)/, "$1 SELECT 1/0;"));
  const table = `rt${tables++}`;
  const storage = postgresStorage(p, { table });
  await storage.ready;
  const listener = await listenerOn(table);
  t.after(() => listener.close());
  t.mock.timers.enable({ apis: ["setTimeout"] });
  storage.notify(["first@x"]);
  await assert.rejects(storage.exclusive(() => storage.write([["doomed", bytes(1)]])), { code: "storage" });
  storage.notify(["second@x"]);
  await storage.exclusive(async () => {}); // reaches no database: nothing to carry it
  assert.ok(!p.queries.some((q) => q === "SELECT pg_notify($1, $2)"), "not yet: its timer has not fired");
  t.mock.timers.tick(1);
  await Promise.race([listener.until(1), guard(10_000)]);
  assert.deepStrictEqual(p.queries.filter((q) => q.includes("pg_notify")).length, 2, `the carried one, then one alone: ${p.queries.join(" | ")}`);
  assert.deepStrictEqual(listener.heard, [["first@x", "second@x"]]);
});

test("postgres: sections sharing one transaction see each other's writes; one that throws is undone alone", async () => {
  const p = recordingPool();
  const storage = await storageOn(p);
  const first = storage.exclusive(async () => {
    await storage.write([["a", bytes(1)]]);
    return "first";
  });
  const second = storage.exclusive(async () => {
    const a = await storage.get("a");
    await storage.write([["b", bytes(a?.[0] ?? 0, 2)]]);
    return "second";
  });
  const third = storage.exclusive(async () => {
    assert.deepStrictEqual(await storage.get("b"), bytes(1, 2));
    await storage.write([["c", bytes(3)]]);
    throw new Error("third changes its mind");
  });
  assert.deepStrictEqual(await Promise.all([first, second, third.catch((e) => e.message)]), ["first", "second", "third changes its mind"]);
  assert.strictEqual(p.queries.filter((q) => q.includes("BEGIN")).length, 1, "one transaction for the three sections");
  assert.deepStrictEqual(await storage.get("a"), bytes(1));
  assert.deepStrictEqual(await storage.get("b"), bytes(1, 2));
  assert.strictEqual(await storage.get("c"), undefined, "the section that threw left nothing");
});

test("postgres: a section that refuses its input before reading costs no round trip", async () => {
  const p = recordingPool();
  const storage = await storageOn(p);
  const queue = new Server({ storage: await storageOn(p) });
  await queue.send({ sender: "a@x", receiver: "warm@x", body: {} }); // the format check
  await new Promise((resolve) => setTimeout(resolve, 20)); // its wake-up for other servers goes out
  p.queries.length = 0;
  const refused = storage.exclusive(async () => {
    throw new Error("bad input");
  });
  const next = storage.exclusive(async () => {
    await storage.write([["k", bytes(7)]]);
    return "next";
  });
  const [a, b] = await Promise.allSettled([refused, next]);
  assert.strictEqual(/** @type {any} */ (a).reason.message, "bad input");
  assert.strictEqual(/** @type {any} */ (b).value, "next");
  assert.strictEqual(p.queries.length, 1, `one round trip for both: ${p.queries.join(" | ")}`);
  p.queries.length = 0;
  await assert.rejects(queue.send({ sender: "a@x", receiver: "", body: {} }), { code: "invalid_mailbox" });
  assert.deepStrictEqual(p.queries, [], "a refused send reaches no database");
  assert.deepStrictEqual(await storage.get("k"), bytes(7));
});

test("postgres: a deferred write that fails fails its whole group, lands nothing, and the storage goes on", async () => {
  // The server fails the statement that writes key "doomed", after running
  // it: the transaction is aborted where it stands, the read behind it skipped.
  const p = recordingPool((text) => text.replace(/(INSERT INTO [^;]*'doomed'[^;]*;)/, "$1 SELECT 1/0;"));
  const storage = await storageOn(p);
  await storage.write([["kept", bytes(0)]]);
  const writer = storage.exclusive(async () => {
    await storage.write([["doomed", bytes(1)], ["kept", bytes(1)]]);
    return "written";
  });
  // Its read carries the first section's write, and fails with it.
  const reader = storage.exclusive(async () => storage.get("kept"));
  const [w, r] = await Promise.allSettled([writer, reader]);
  assert.strictEqual(w.status, "rejected", "the section whose write failed is not told it succeeded");
  assert.strictEqual(r.status, "rejected");
  assert.strictEqual(/** @type {any} */ (w).reason.code, "storage");
  assert.strictEqual(await storage.get("doomed"), undefined);
  assert.deepStrictEqual(await storage.get("kept"), bytes(0), "nothing of the group landed");
  await storage.write([["after", bytes(2)]]);
  assert.deepStrictEqual(await storage.get("after"), bytes(2));
});

test("postgres: a section that carries on after its deferred write failed is not told it succeeded", async () => {
  const p = recordingPool((text) => text.replace(/(INSERT INTO [^;]*'doomed'[^;]*;)/, "$1 SELECT 1/0;"));
  const storage = await storageOn(p);
  const section = storage.exclusive(async () => {
    await storage.write([["doomed", bytes(1)]]);
    await storage.get("other").catch(() => undefined); // the read that carried the write failed; ignore it
    return "carried on";
  });
  await assert.rejects(section, { code: "storage" });
  assert.strictEqual(await storage.get("doomed"), undefined);
});

test("postgres: a key PostgreSQL text cannot hold fails its own section alone, with a clear error", async () => {
  const storage = await storageOn(pool);
  const bad = ["get", "list", "write"].map((kind) => storage.exclusive(async () => {
    await storage.write([[`ok-${kind}`, bytes(1)]]);
    if (kind === "get") await storage.get("nul\u0000key");
    else if (kind === "list") await storage.list({ prefix: "nul\u0000" });
    else await storage.write([["nul\u0000key", bytes(2)]]);
  }));
  const good = storage.exclusive(async () => {
    await storage.write([["neighbour", bytes(3)]]);
    return storage.get("neighbour");
  });
  for (const section of bad) await assert.rejects(section, (err) => err instanceof TypeError && /NUL/.test(err.message));
  assert.deepStrictEqual(await good, bytes(3));
  assert.deepStrictEqual(await storage.get("neighbour"), bytes(3));
  for (const kind of ["get", "list", "write"]) assert.strictEqual(await storage.get(`ok-${kind}`), undefined);
});

test("postgres: a mailbox whose name holds a NUL is a mailbox like any other", async () => {
  const queue = new Server({ storage: await storageOn(pool) });
  const other = queue.send({ sender: "a@x", receiver: "plain@x", body: { n: "2" } });
  const { mid } = await queue.send({ sender: "a@x", receiver: "nul\u0000box@x", body: { n: "1" } });
  await other;
  const m = await queue.fetchLatest("nul\u0000box@x");
  assert.strictEqual(m?.mid, mid);
  await queue.ack(m.mid, m.lid, "confirmed");
  assert.strictEqual(await queue.fetchLatest("nul\u0000box@x"), null);
  assert.ok(await queue.fetchLatest("plain@x"));
});

/** A pool on which the server fails every read of key "broken" (a statement error, not a lost connection). */
const failingReads = () => recordingPool((text) => text.replace(/WHERE key = 'broken'/g, "WHERE key = 'broken' AND 1 / (SELECT count(*) - count(*) FROM pg_class) = 1"));

test("postgres: a section whose own read fails is undone alone; the write before it in the round trip lands", async () => {
  const storage = await storageOn(failingReads());
  const writer = storage.exclusive(async () => {
    await storage.write([["landed", bytes(1)]]);
    return "written";
  });
  // Its read carries the first section's write, which succeeds; then its own statement fails.
  const reader = storage.exclusive(async () => storage.get("broken"));
  const [w, r] = await Promise.allSettled([writer, reader]);
  assert.strictEqual(r.status, "rejected");
  assert.deepStrictEqual([w.status, /** @type {any} */ (w).value], ["fulfilled", "written"]);
  assert.deepStrictEqual(await storage.get("landed"), bytes(1));
});

test("postgres: undoing a section never rolls back to an earlier section's savepoint, around a write that was lost", async () => {
  const storage = await storageOn(failingReads());
  // The first section's write goes out with its second read; its third read
  // fails on the server, which aborts the transaction and with it that write.
  // The section swallows the error and returns as if all were well.
  const first = storage.exclusive(async () => {
    await storage.get("a");
    await storage.write([["lost", bytes(1)]]);
    await storage.get("b");
    await storage.get("broken").catch(() => undefined);
    return "first";
  });
  // Its read meets the aborted transaction; its undo must not repair it.
  const second = storage.exclusive(async () => storage.get("c"));
  const [f, s] = await Promise.allSettled([first, second]);
  assert.strictEqual(s.status, "rejected");
  assert.strictEqual(f.status, "rejected", "the first section is not told its lost write succeeded");
  assert.strictEqual(await storage.get("lost"), undefined);
  await storage.write([["after", bytes(2)]]);
  assert.deepStrictEqual(await storage.get("after"), bytes(2), "the storage goes on");
});

test("postgres: list works in a database whose encoding has no character past ASCII (WIN1252)", async () => {
  await pool.query("CREATE DATABASE win1252 ENCODING 'WIN1252' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
  const url = new URL(server.url);
  url.pathname = "/win1252";
  const other = new pg.Pool({ connectionString: url.href, max: 2 });
  try {
    const storage = postgresStorage(other);
    await storage.ready;
    await storage.write([["m/1", bytes(1)], ["m/2", bytes(2)], ["m0", bytes(3)], ["m\u007f", bytes(4)], ["n", bytes(5)]]);
    assert.deepStrictEqual((await storage.list({ prefix: "m/" })).map(([k]) => k), ["m/1", "m/2"]);
    assert.deepStrictEqual(await storage.exclusive(async () => (await storage.list({ prefix: "m" })).map(([k]) => k)), ["m/1", "m/2", "m0", "m\u007f"]);
    assert.deepStrictEqual((await storage.list({ prefix: "\u007f" })).map(([k]) => k), []);
    assert.deepStrictEqual((await storage.list({ prefix: "" })).map(([k]) => k), ["m/1", "m/2", "m0", "m\u007f", "n"]);
  } finally {
    await other.end();
  }
});
