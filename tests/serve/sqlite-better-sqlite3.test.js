// sqliteStorage on better-sqlite3, under this Node (20): contract + queue scenarios.
import { test } from "node:test";
import { runSuite } from "./support/run-suite.js";

test("sqlite on better-sqlite3 (Node 20): storage contract and queue scenarios", async () => {
  await runSuite(process.execPath, "tests/serve/suites/sqlite.js", { SQLITE_DRIVER: "better-sqlite3" });
});
