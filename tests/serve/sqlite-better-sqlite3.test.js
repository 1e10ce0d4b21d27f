// sqliteStorage on better-sqlite3, under the machine's Node (20), which it is built for: contract + queue scenarios.
import { test } from "node:test";
import { runSuite } from "./support/run-suite.js";
import { MACHINE_NODE } from "./support/node-lines.js";

test("sqlite on better-sqlite3 (Node 20): storage contract and queue scenarios", async () => {
  await runSuite(MACHINE_NODE, "tests/serve/suites/sqlite.js", { SQLITE_DRIVER: "better-sqlite3" });
});
