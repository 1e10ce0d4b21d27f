/**
 * PostgreSQL storage on an npm `pg` Pool: many processes, on many machines,
 * sharing one queue.
 *
 * One table, `key text COLLATE "C" PRIMARY KEY` (bytewise order, as the
 * contract wants) and `value bytea`; several queues share a database by table
 * name and/or schema. Every `write` and every `exclusive` section is one
 * transaction that first takes an advisory transaction lock, so the section's
 * reads and its write happen while no other process can run a conflicting
 * section: nobody leases the same message twice. A section that names its
 * mailbox (`exclusive(fn, mailbox)`; the Server names the one mailbox an
 * operation writes, `mailboxLocks: true` tells it it may) takes the table's
 * lock shared and the mailbox's lock exclusive, so operations on different
 * mailboxes run at the same time in different processes; any other section
 * takes the table's lock exclusive and waits for all of them. The locks end
 * with the transaction, also when a connection dies. Sections that queue up
 * in this process share one transaction and one commit while they name the
 * same lock (transaction-groups.js); a caller learns of success only after COMMIT.
 *
 * @module
 */

import { validateBatch } from "./memory.js";
import { transactionGroups } from "./transaction-groups.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Above every ASCII key, in the "C" collation. */
const PAST_ASCII = "\u0080";

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
 * A bytea read back as a plain Uint8Array of its own (pg gives Buffers from a shared pool).
 * @param {Uint8Array} value
 */
const toBytes = (value) => new Uint8Array(value);

/**
 * @param {any} pool a `pg` Pool (or anything with `connect()` and `query()`)
 * @param {{ table?: string, schema?: string }} [options] default table "pandora_kv" in the search path
 * @returns {{
 *   ready: Promise<void>,
 *   get(key: string): Promise<Uint8Array | undefined>,
 *   list(o: { prefix: string, start?: string, limit?: number }): Promise<[string, Uint8Array][]>,
 *   write(batch: [string, Uint8Array | null][]): Promise<void>,
 *   mailboxLocks: true,
 *   exclusive<T>(fn: () => Promise<T>, mailbox?: string | null): Promise<T>,
 *   close(): Promise<void>,
 * }}
 */
export function postgresStorage(pool, { table = "pandora_kv", schema } = {}) {
  if (typeof pool?.connect !== "function" || typeof pool?.query !== "function") {
    throw new TypeError("postgresStorage needs a pg Pool");
  }
  const name = schema === undefined ? identifier(table, "table") : `${identifier(schema, "schema")}.${identifier(table, "table")}`;
  const lockName = schema === undefined ? table : `${schema}.${table}`;

  const ready = (async () => {
    if (schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${identifier(schema, "schema")}`);
    await pool.query(`CREATE TABLE IF NOT EXISTS ${name} (key text COLLATE "C" PRIMARY KEY, value bytea NOT NULL)`);
  })();
  ready.catch(() => {}); // surfaced by the first call that awaits it

  /** The connection of the transaction in progress, if any. @type {any} */
  let client = null;

  // Round trips dominate on a network: BEGIN, the lock and the first savepoint
  // go in one simple query; a kept section's savepoint is not released (the
  // next one nests on top, COMMIT ends them all), so each section costs one
  // SAVEPOINT beyond its own reads and its write.
  // The table's lock is the one-key form, a mailbox's the two-key form: two
  // separate lock spaces, so no mailbox hash can collide with a table's. Two
  // mailboxes whose hashes collide just take turns.
  const tableLock = `hashtext('${lockName}')`;
  /** @param {any} c @param {string | null} mailbox */
  const beginAndLock = (c, mailbox) => mailbox === null
    ? `BEGIN; SELECT pg_advisory_xact_lock(${tableLock}); SAVEPOINT op`
    : `BEGIN; SELECT pg_advisory_xact_lock_shared(${tableLock}), pg_advisory_xact_lock(${tableLock}, hashtext(${c.escapeLiteral(mailbox)})); SAVEPOINT op`;
  let savepointTaken = false;

  // A connection that dies while checked out (between a section's queries)
  // emits 'error' on its client, which would end the process unheard; its
  // next query fails anyway, which becomes the section's `storage` error.
  const lost = () => {};
  /** @param {any} c @param {unknown} [err] a broken connection leaves the pool */
  const giveBack = (c, err) => {
    c.off("error", lost);
    c.release(err);
  };

  const groups = transactionGroups({
    async begin(/** @type {string | null} */ mailbox) {
      await ready;
      client = await pool.connect();
      client.on("error", lost);
      try {
        await client.query(beginAndLock(client, mailbox));
        savepointTaken = true;
      } catch (err) {
        giveBack(client, err);
        client = null;
        throw err;
      }
    },
    async commit() {
      await client.query("COMMIT");
      giveBack(client);
      client = null;
    },
    async rollback() {
      const c = client;
      client = null;
      if (!c) return;
      try {
        await c.query("ROLLBACK");
        giveBack(c);
      } catch (err) {
        giveBack(c, err);
        throw err;
      }
    },
    async savepoint() {
      if (savepointTaken) savepointTaken = false;
      else await client.query("SAVEPOINT op");
    },
    release() {},
    undo: () => client.query("ROLLBACK TO SAVEPOINT op; RELEASE SAVEPOINT op"),
  });

  /** Inside a section its connection (the lock holder's view); else any pooled one. */
  const db = () => (groups.inSection && client ? client : pool);

  /** @param {[string, Uint8Array | null][]} batch */
  async function apply(batch) {
    // The last entry for a key wins; ON CONFLICT may not touch a row twice in one statement.
    /** @type {Map<string, Uint8Array | null>} */
    const last = new Map();
    for (const [key, value] of batch) {
      last.delete(key);
      last.set(key, value);
    }
    const gone = [];
    const keys = [];
    const values = [];
    for (const [key, value] of last) {
      if (value === null) gone.push(key);
      else {
        keys.push(key);
        values.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      }
    }
    // One statement, one round trip: the two key sets are disjoint after the dedupe above.
    await client.query(
      `WITH gone AS (DELETE FROM ${name} WHERE key = ANY($1::text[]))
       INSERT INTO ${name} (key, value) SELECT * FROM unnest($2::text[], $3::bytea[])
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [gone, keys, values],
    );
  }

  let closed = false;
  return {
    ready,

    async get(key) {
      await ready;
      const { rows } = await db().query(`SELECT value FROM ${name} WHERE key = $1`, [key]);
      return rows.length === 0 ? undefined : toBytes(rows[0].value);
    },

    async list({ prefix, start, limit }) {
      if (typeof prefix !== "string") throw new TypeError("list: prefix must be a string");
      if (limit === 0) return [];
      await ready;
      const from = start !== undefined && start > prefix ? start : prefix;
      const { rows } = await db().query(
        `SELECT key, value FROM ${name} WHERE key >= $1 AND key < $2 ORDER BY key LIMIT $3`,
        [from, prefix + PAST_ASCII, limit ?? null],
      );
      return rows.map((/** @type {any} */ row) => [row.key, toBytes(row.value)]);
    },

    async write(batch) {
      validateBatch(batch);
      if (groups.inSection && client) await apply(batch);
      else await groups.exclusive(() => apply(batch));
    },

    // Operations on one mailbox lock only it (see the top of this file).
    mailboxLocks: true,

    exclusive: (fn, mailbox = null) => groups.exclusive(fn, typeof mailbox === "string" ? mailbox : null),

    /** Waits for queued sections; the pool stays the caller's to end. */
    async close() {
      if (closed) return;
      closed = true;
      await groups.idle();
    },
  };
}
