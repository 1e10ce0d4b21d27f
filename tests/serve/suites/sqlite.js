// The storage contract and the queue scenarios on sqliteStorage, with the
// driver this runtime has: node:sqlite (Node >= 22.5) or better-sqlite3.
// Run by tests/serve/sqlite-*.test.js under the Node binary each one names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Server, sqliteStorage } from "pandora-mq";
import { storageContract } from "../../js/storage-contract.js";
import { queueScenarios } from "../../js/queue-scenarios.js";
import { openSqlite } from "../support/sqlite-driver.js";

const driver = process.env.SQLITE_DRIVER ?? "node:sqlite";
const dir = mkdtempSync(path.join(tmpdir(), "pandora-sqlite-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = async () => sqliteStorage(await openSqlite(driver, path.join(dir, `t${n++}.db`)));

storageContract(`sqlite (${driver})`, fresh, { test, assert });
queueScenarios(`sqlite (${driver})`, async (options) => new Server({ ...options, storage: await fresh() }), { test, assert });

test(`sqlite (${driver}): a write waits out another connection's lock (SQLITE_BUSY) instead of failing`, async () => {
  const file = path.join(dir, `busy${n++}.db`);
  const storage = sqliteStorage(await openSqlite(driver, file));
  const other = await openSqlite(driver, file);
  try {
    other.exec("BEGIN IMMEDIATE");
    other.exec("INSERT INTO pandora_kv (key, value) VALUES ('theirs', x'01')");
    let done = false;
    const mine = storage.write([["mine", new Uint8Array([2])]]).then(() => (done = true));
    // Let the writer try (and meet the lock) a few times before the other side lets go.
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.strictEqual(done, false, "wrote while another connection held the lock");
    other.exec("COMMIT");
    await mine;
    assert.deepStrictEqual(storage.list({ prefix: "" }).map(([k]) => k), ["mine", "theirs"]);
  } finally {
    other.close();
    await storage.close();
  }
});

test(`sqlite (${driver}): operations that arrive while a group runs share its one durable COMMIT`, async () => {
  const db = await openSqlite(driver, path.join(dir, `group${n++}.db`));
  const statements = [];
  // The driver as sqliteStorage sees it, recording each transaction statement.
  const counted = {
    exec: (sql) => (statements.push(sql.split(" ")[0]), db.exec(sql)),
    prepare: (sql) => db.prepare(sql),
    close: () => db.close(),
  };
  const server = new Server({ storage: sqliteStorage(counted) });
  await server.send({ sender: "a@x", receiver: "b@x", body: { n: "warm" } }); // creates the table, checks the format
  statements.length = 0;
  // One send now, seven more a turn of the event loop later, as requests read
  // from sockets while the first one's transaction is open.
  const first = server.send({ sender: "a@x", receiver: "b@x", body: { n: 0 } });
  const later = await new Promise((resolve) => setImmediate(() => resolve(
    Array.from({ length: 7 }, (_, i) => server.send({ sender: "a@x", receiver: "b@x", body: { n: i + 1 } })))));
  const receipts = await Promise.all([first, ...later]);
  assert.strictEqual(new Set(receipts.map((r) => r.mid)).size, 8);
  assert.deepStrictEqual(statements.filter((s) => s === "BEGIN" || s === "COMMIT"), ["BEGIN", "COMMIT"]);
  const headers = await server.fetchHeaders("b@x");
  assert.strictEqual(headers.length, 9);
  await server.fetchLatest("b@x"); // still a working store after the shared commit
});
