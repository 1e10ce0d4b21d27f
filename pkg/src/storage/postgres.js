/**
 * PostgreSQL storage on an npm `pg` Pool: many processes, on many machines,
 * sharing one queue.
 *
 * One table, `key text COLLATE "C" PRIMARY KEY` (bytewise order, as the
 * contract wants) and `value bytea`; several queues share a database by table
 * name and/or schema. Every `write` and every `exclusive` section is one
 * transaction whose first query takes an advisory transaction lock, so the
 * section's reads and its write happen while no other process can run a
 * conflicting section: nobody leases the same message twice. A section that names its
 * mailbox (`exclusive(fn, mailbox)`; the Server names the one mailbox an
 * operation writes, `mailboxLocks: true` tells it it may) takes the table's
 * lock shared and the mailbox's lock exclusive, so operations on different
 * mailboxes run at the same time in different processes; any other section
 * takes the table's lock exclusive and waits for all of them. The locks end
 * with the transaction, also when a connection dies. Sections that queue up
 * in this process share one transaction and one commit while they name the
 * same lock (transaction-groups.js); a caller learns of success only after COMMIT.
 * A send wakes the long polls of every server on the queue, over
 * LISTEN/NOTIFY (pg-wake.js).
 *
 * @module
 */

import { validateBatch } from "./memory.js";
import { transactionGroups } from "./transaction-groups.js";
import { channelOf, pgWakeChannel } from "./pg-wake.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * How long one round trip, or getting a connection, may take: a server that
 * stops answering (hung, or cut off without a word) fails the operation as
 * `storage` instead of holding it, and every operation queued behind it, for good.
 */
const ANSWER_MS = 30_000;

/** PostgreSQL did not answer in time; the connection is then given up, not reused. */
class NoAnswer extends Error {}

/**
 * `promise`, or a NoAnswer rejection after `ms`; `late` gets what the
 * promise brings after that (a connection to give back).
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @param {(value: T) => void} [late]
 * @returns {Promise<T>}
 */
function answered(promise, ms, what, late) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let timedOut = false;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new NoAnswer(`postgresStorage: no answer from PostgreSQL to ${what} within ${ms} ms`));
    }, ms);
    timer.unref?.();
  });
  promise.then((value) => timedOut && late?.(value), () => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
/**
 * The least string above every key that starts with `prefix`, in the "C"
 * collation, or null when no string is (keys are ASCII, so that is a prefix of
 * DEL characters only). Plain ASCII: a bound past ASCII would not convert
 * into a database whose encoding lacks it (WIN1252, EUC_JP).
 * @param {string} prefix
 */
function successor(prefix) {
  let end = prefix.length;
  while (end > 0 && prefix.charCodeAt(end - 1) === 0x7f) end--;
  return end === 0 ? null : prefix.slice(0, end - 1) + String.fromCharCode(prefix.charCodeAt(end - 1) + 1);
}

/**
 * @param {string} name
 * @param {string} what
 */
function identifier(name, what) {
  if (typeof name !== "string" || !IDENTIFIER.test(name)) {
    throw new TypeError(`postgresStorage: ${what} must be a plain SQL identifier, got ${JSON.stringify(name)}`);
  }
  return `"${name}"`;
}

/**
 * `text` as an SQL string literal. The E'' form reads the same whatever
 * `standard_conforming_strings` says; keys and mailbox names are ASCII.
 * PostgreSQL text cannot hold U+0000, and a statement carrying one fails the
 * whole round trip, other sections' statements with it: it is refused here,
 * before anything is sent, so only the section that asked fails.
 * @param {string} text
 */
function literal(text) {
  if (text.includes("\0")) throw new TypeError(`postgresStorage: PostgreSQL text cannot hold NUL (U+0000): ${JSON.stringify(text)}`);
  const quoted = text.replaceAll("'", "''");
  return text.includes("\\") ? `E'${quoted.replaceAll("\\", "\\\\")}'` : `'${quoted}'`;
}

/**
 * `value` as a bytea expression, hex-encoded.
 * @param {Uint8Array} value
 */
const hexBytea = (value) => `decode('${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}', 'hex')`;

/**
 * A bytea read back as a plain Uint8Array of its own (pg gives Buffers from a shared pool).
 * @param {Uint8Array} value
 */
const toBytes = (value) => new Uint8Array(value);

/**
 * @param {any} pool a `pg` Pool (or anything with `connect()` and `query()`)
 * @param {{ table?: string, schema?: string, log?: (line: string) => void, timeoutMs?: number }} [options] default table
 *   "pandora_kv" in the search path; `log` hears of trouble with the wake-up connection;
 *   `timeoutMs` (default 30 s) bounds each round trip and each wait for a connection
 * @returns {{
 *   ready: Promise<void>,
 *   get(key: string): Promise<Uint8Array | undefined>,
 *   list(o: { prefix: string, start?: string, limit?: number }): Promise<[string, Uint8Array][]>,
 *   write(batch: [string, Uint8Array | null][]): Promise<void>,
 *   mailboxLocks: true,
 *   exclusive<T>(fn: () => Promise<T>, mailbox?: string | null): Promise<T>,
 *   notify(mailboxes: string[] | null): void,
 *   subscribe(listener: (mailboxes: string[] | null) => void): () => void,
 *   close(): Promise<void>,
 * }}
 */
export function postgresStorage(pool, { table = "pandora_kv", schema, log, timeoutMs = ANSWER_MS } = {}) {
  if (!(Number.isSafeInteger(timeoutMs) && timeoutMs > 0)) throw new TypeError(`postgresStorage: timeoutMs must be a positive whole number of ms, got ${timeoutMs}`);
  if (typeof pool?.connect !== "function" || typeof pool?.query !== "function") {
    throw new TypeError("postgresStorage needs a pg Pool");
  }
  const name = schema === undefined ? identifier(table, "table") : `${identifier(schema, "schema")}.${identifier(table, "table")}`;
  const lockName = schema === undefined ? table : `${schema}.${table}`;

  // IF NOT EXISTS is no guard against a twin starting at the same moment:
  // the loser of that race gets a duplicate-key error on the catalog (23505)
  // or a "duplicate" one (a schema 42P06, a table 42P07, its row type
  // 42710), once the winner has committed. Asking again then finds what
  // the winner made; an error the second time is a real one.
  const RACE = ["23505", "42P06", "42P07", "42710"];
  /** @param {string} sql */
  const create = (sql) =>
    answered(pool.query(sql), timeoutMs, "CREATE").catch((/** @type {any} */ err) => {
      if (!RACE.includes(err?.code)) throw err;
      return answered(pool.query(sql), timeoutMs, "CREATE");
    });
  const ready = (async () => {
    if (schema !== undefined) await create(`CREATE SCHEMA IF NOT EXISTS ${identifier(schema, "schema")}`);
    await create(`CREATE TABLE IF NOT EXISTS ${name} (key text COLLATE "C" PRIMARY KEY, value bytea NOT NULL)`);
  })();
  ready.catch(() => {}); // surfaced by the first call that awaits it

  /** The connection of the transaction in progress, if any. @type {any} */
  let client = null;

  // Round trips dominate on a network, so a transaction sends nothing of its
  // own: BEGIN and the lock, each section's SAVEPOINT and each write wait in
  // `pending` and go out in front of the next read, or in front of COMMIT.
  // A send is then two round trips (BEGIN…its read; its write and COMMIT),
  // a fetch or an ack three. Such a combined query is a simple query, so
  // inside a transaction values travel as literals (bytea as hex).
  /** SQL waiting for the transaction's next round trip. */
  let pending = "";
  /** BEGIN has reached the server. */
  let opened = false;
  /** `pending` holds a write. */
  let carriesWrites = false;
  /** A round trip of this transaction went unanswered: its connection is of no more use. */
  let stuck = false;
  /** The wake-ups this transaction carries to its COMMIT (pg-wake.js `take`). @type {{ sql: string, mailboxes: string[] | null } | null} */
  let carried = null;
  // Each section's savepoint has a name of its own, so undoing a section
  // rolls back to its own savepoint or fails: when an earlier statement of
  // the round trip that carried it failed (an earlier section's deferred
  // write), the savepoint was never made, the undo fails, and so does the
  // whole group. A shared name would roll back to an earlier section's
  // savepoint and could repair the transaction around a lost write.
  let sections = 0;
  /**
   * The running section's savepoint, where it starts in `pending` (-1 once
   * sent) and whether `pending` held a write before it.
   * @type {{ name: string, at: number, writes: boolean } | null}
   */
  let savepoint = null;

  // The table's lock is the one-key form, a mailbox's the two-key form: two
  // separate lock spaces, so no mailbox hash can collide with a table's. Two
  // mailboxes whose hashes collide just take turns. So a NUL in a mailbox
  // name, which no PostgreSQL text can carry, is hashed as the two
  // characters \0: that mailbox shares its lock with the one really named so.
  const lockText = (/** @type {string} */ mailbox) => literal(mailbox.replaceAll("\0", "\\0"));
  const tableLock = `hashtext(${literal(lockName)})`;
  /** @param {string | null} mailbox */
  const beginAndLock = (mailbox) => mailbox === null
    ? `BEGIN; SELECT pg_advisory_xact_lock(${tableLock});`
    : `BEGIN; SELECT pg_advisory_xact_lock_shared(${tableLock}), pg_advisory_xact_lock(${tableLock}, hashtext(${lockText(mailbox)}));`;

  /**
   * Sends what is pending, then `sql`, in one round trip on the transaction's
   * connection; resolves to the result of the last statement.
   * @param {string} sql
   */
  async function roundTrip(sql) {
    const text = pending + sql;
    pending = "";
    carriesWrites = false;
    opened = true;
    if (savepoint) savepoint.at = -1;
    if (stuck) throw new NoAnswer("postgresStorage: the connection stopped answering");
    let results;
    try {
      results = await answered(client.query(text), timeoutMs, "a query");
    } catch (err) {
      if (err instanceof NoAnswer) stuck = true;
      throw err;
    }
    return Array.isArray(results) ? results[results.length - 1] : results;
  }

  // A connection that dies while checked out (between a section's queries)
  // emits 'error' on its client, which would end the process unheard; its
  // next query fails anyway, which becomes the section's `storage` error.
  const lost = () => {};
  /** @param {any} c @param {unknown} [err] a broken connection leaves the pool */
  const giveBack = (c, err) => {
    c.off("error", lost);
    c.release(err);
  };
  /** Ends the transaction's bookkeeping and hands its connection back. @param {unknown} [err] */
  const finish = (err) => {
    const c = client;
    client = null;
    stuck = false;
    // Wake-ups of a transaction that did not commit go out on their own.
    if (carried) wake.notify(carried.mailboxes);
    carried = null;
    pending = "";
    carriesWrites = false;
    opened = false;
    sections = 0;
    savepoint = null;
    if (c) giveBack(c, err);
  };

  const groups = transactionGroups({
    async begin(/** @type {string | null} */ mailbox) {
      await ready;
      client = await answered(pool.connect(), timeoutMs, "a new connection", (late) => late.release());
      client.on("error", lost);
      carried = wake.take(literal);
      pending = beginAndLock(mailbox) + (carried?.sql ?? "");
    },
    async commit() {
      // A group that never reached the server (no read, no write) has nothing to end.
      if (opened || carriesWrites) {
        // COMMIT on a transaction that already failed answers ROLLBACK, not an error.
        const result = await roundTrip("COMMIT");
        if (result?.command !== "COMMIT") throw new Error(`postgresStorage: COMMIT answered ${result?.command}`);
        carried = null;
      }
      finish();
    },
    async rollback() {
      if (!client) return;
      if (!opened) return finish();
      // A connection that stopped answering is dropped, not asked to ROLLBACK
      // (which would wait behind the unanswered query); the server rolls back
      // a transaction whose connection is gone.
      if (stuck) return finish(new NoAnswer("postgresStorage: the connection stopped answering"));
      pending = "";
      try {
        await answered(client.query("ROLLBACK"), timeoutMs, "ROLLBACK");
        finish();
      } catch (err) {
        finish(err);
        throw err;
      }
    },
    savepoint() {
      savepoint = { name: `op${++sections}`, at: pending.length, writes: carriesWrites };
      pending += ` SAVEPOINT ${savepoint.name};`;
    },
    release() {
      savepoint = null;
    },
    async undo() {
      const { name, at, writes } = /** @type {NonNullable<typeof savepoint>} */ (savepoint);
      savepoint = null;
      if (at >= 0) {
        // Its savepoint never left: neither did anything of the section.
        // Taking it back costs no round trip.
        pending = pending.slice(0, at);
        carriesWrites = writes;
      } else {
        // What waits is the section's own writes since its last read.
        pending = "";
        carriesWrites = false;
        await roundTrip(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
      }
    },
  });

  /** Inside a section, the transaction's connection (the lock holder's view). */
  const inTransaction = () => groups.inSection && client !== null;
  /** Runs a read inside the section's transaction, else on any pooled connection. @param {string} sql */
  const read = (sql) => (inTransaction() ? roundTrip(sql) : answered(pool.query(sql), timeoutMs, "a query"));

  /**
   * The statements that write `batch`: deletes, then upserts. The last entry
   * for a key wins (ON CONFLICT may not touch a row twice in one statement),
   * so the two key sets are disjoint.
   * @param {[string, Uint8Array | null][]} batch
   */
  function writeSql(batch) {
    /** @type {Map<string, Uint8Array | null>} */
    const last = new Map();
    for (const [key, value] of batch) {
      last.delete(key);
      last.set(key, value);
    }
    const gone = [];
    const rows = [];
    for (const [key, value] of last) {
      if (value === null) gone.push(literal(key));
      else rows.push(`(${literal(key)}, ${hexBytea(value)})`);
    }
    let sql = "";
    if (gone.length > 0) sql += ` DELETE FROM ${name} WHERE key IN (${gone.join(", ")});`;
    if (rows.length > 0) {
      sql += ` INSERT INTO ${name} (key, value) VALUES ${rows.join(", ")} ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;`;
    }
    return sql;
  }

  /** Queues `batch` to go out with the transaction's next round trip. @param {[string, Uint8Array | null][]} batch */
  function apply(batch) {
    pending += writeSql(batch);
    carriesWrites = true;
  }

  const wake = pgWakeChannel(pool, channelOf(lockName), log);

  let closed = false;
  return {
    ready,

    async get(key) {
      await ready;
      const { rows } = await read(`SELECT value FROM ${name} WHERE key = ${literal(key)}`);
      return rows.length === 0 ? undefined : toBytes(rows[0].value);
    },

    async list({ prefix, start, limit }) {
      if (typeof prefix !== "string") throw new TypeError("list: prefix must be a string");
      // It is written into the SQL text.
      if (limit != null && !(Number.isSafeInteger(limit) && limit >= 0)) throw new TypeError("list: limit must be a whole number");
      if (limit === 0) return [];
      await ready;
      const from = start !== undefined && start > prefix ? start : prefix;
      const to = successor(prefix);
      const { rows } = await read(`SELECT key, value FROM ${name} WHERE key >= ${literal(from)}${to === null ? "" : ` AND key < ${literal(to)}`} ORDER BY key LIMIT ${limit ?? "ALL"}`);
      return rows.map((/** @type {any} */ row) => [row.key, toBytes(row.value)]);
    },

    async write(batch) {
      validateBatch(batch);
      if (inTransaction()) apply(batch);
      else await groups.exclusive(() => apply(batch));
    },

    // Operations on one mailbox lock only it (see the top of this file).
    mailboxLocks: true,

    exclusive: (fn, mailbox = null) => groups.exclusive(fn, typeof mailbox === "string" ? mailbox : null),

    notify: wake.notify,
    subscribe: wake.subscribe,

    /** Waits for queued sections; the pool stays the caller's to end. */
    async close() {
      if (closed) return;
      closed = true;
      wake.close();
      await groups.idle();
    },
  };
}
