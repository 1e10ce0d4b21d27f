// The storage contract and the queue scenarios on postgresStorage, against a
// real PostgreSQL server; each test gets a table of its own.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { Server, postgresStorage } from "pandora-mq";
import { storageContract } from "../js/storage-contract.js";
import { queueScenarios } from "../js/queue-scenarios.js";
import { startPostgres } from "./support/postgres.js";

const server = await startPostgres();
const pool = new pg.Pool({ connectionString: server.url, max: 4 });
after(async () => {
  await pool.end();
  await server.stop();
});

let n = 0;
const fresh = async () => {
  const storage = postgresStorage(pool, { table: `t${n++}` });
  await storage.ready;
  return storage;
};

storageContract("postgres", fresh, { test, assert });
queueScenarios("postgres", async (options) => new Server({ ...options, storage: await fresh() }), { test, assert });

test("postgres: queues in separate schemas do not see each other", async () => {
  const a = postgresStorage(pool, { schema: "tenant_a" });
  const b = postgresStorage(pool, { schema: "tenant_b" });
  await a.write([["k", new Uint8Array([1])]]);
  assert.deepStrictEqual(await a.get("k"), new Uint8Array([1]));
  assert.strictEqual(await b.get("k"), undefined);
});

test("postgres: a table name that is not an identifier is refused", () => {
  assert.throws(() => postgresStorage(pool, { table: "x; DROP TABLE y" }), TypeError);
});
