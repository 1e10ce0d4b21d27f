// `pandora-mq serve --store sqlite:` under Bun (bun:sqlite) and Deno (node:sqlite):
// send, fetch and ack over HTTP, then SIGTERM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BIN, ROOT, startServe } from "./support/serve-process.js";

const RUNTIMES = [
  { name: "Bun", driver: "bun:sqlite", command: [path.join(ROOT, "node_modules/.bin/bun"), BIN] },
  { name: "Deno", driver: "node:sqlite", command: [path.join(ROOT, "node_modules/.bin/deno"), "run", "-A", BIN] },
];
const form = (fields) => ({ method: "POST", body: new URLSearchParams(fields) });

for (const { name, driver, command } of RUNTIMES) {
  test(`${name}: serve on SQLite (${driver}) answers send, fetch and ack`, { skip: !existsSync(command[0]) && `no ${command[0]}`, timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pandora-rt-serve-"));
    const serve = await startServe(["--store", `sqlite:${path.join(dir, "q.db")}`], { command, env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } });
    try {
      await serve.stderrMatching(new RegExp(`\\(${driver}, WAL`));
      const sent = await fetch(`${serve.url}/api/send`, form({ sender: "a@x", receiver: "rt@x", topic: name }));
      const mid = new URLSearchParams(await sent.text()).get("mid");
      const got = new URLSearchParams(await (await fetch(`${serve.url}/api/fetch`, form({ receiver: "rt@x" }))).text());
      assert.strictEqual(got.get("mid"), mid);
      assert.strictEqual(got.get("topic"), name);
      assert.strictEqual((await fetch(`${serve.url}/api/ack`, form({ mid, lid: got.get("lid"), statusCode: "1" }))).status, 200);
    } finally {
      assert.deepStrictEqual(await serve.stop(), { code: 0, signal: null }, serve.stderr());
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
