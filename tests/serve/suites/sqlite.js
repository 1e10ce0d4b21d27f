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
queueScenarios(`sqlite (${driver})`, async ({ clock }) => new Server({ storage: await fresh(), clock }), { test, assert });
