// The Go original's client against `pandora-mq serve` on SQLite: form-encoded
// send, fetch, and an ack with only mid, lid and statusCode; the demo page at
// /; the state survives a restart; SIGTERM lets an in-flight request finish.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServe } from "./support/serve-process.js";

const dir = mkdtempSync(path.join(tmpdir(), "pandora-go-client-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const store = ["--store", `sqlite:${path.join(dir, "q.db")}`];

const form = (fields) => ({ method: "POST", body: new URLSearchParams(fields) });

test("send, fetch and ack as the Go client sends them; the message survives a restart", async () => {
  let serve = await startServe(store);
  const sent = await fetch(`${serve.url}/api/send`, form({ sender: "a@x", receiver: "go@x", topic: "hello", color: "red" }));
  assert.strictEqual(sent.status, 200);
  const mid = new URLSearchParams(await sent.text()).get("mid");
  assert.match(mid, /^[0-9a-f]{40}$/);
  assert.deepStrictEqual(await serve.stop(), { code: 0, signal: null });

  serve = await startServe(store);
  try {
    const res = await fetch(`${serve.url}/api/fetch`, form({ receiver: "go@x", leaseTime: "5m" }));
    assert.strictEqual(res.status, 200);
    assert.strictEqual(res.headers.get("content-type"), "application/x-www-form-urlencoded");
    const msg = new URLSearchParams(await res.text());
    assert.strictEqual(msg.get("mid"), mid);
    assert.strictEqual(msg.get("topic"), "hello");
    assert.strictEqual(msg.get("statusCode"), "8");
    const keys = [...msg.keys()];
    assert.deepStrictEqual(keys, [...keys].sort(), "keys sorted as Go's url.Values.Encode writes them");

    const done = await fetch(`${serve.url}/api/ack`, form({ mid, lid: msg.get("lid"), statusCode: "1" }));
    assert.strictEqual(done.status, 200);
    assert.strictEqual(await done.text(), "");
    assert.strictEqual((await fetch(`${serve.url}/api/fetch`, form({ receiver: "go@x" }))).status, 204);
  } finally {
    await serve.stop();
  }
});

test("the demo page is at / and the package's browser files under /vendor/pandora-mq/", async () => {
  const serve = await startServe(["--store", "memory"]);
  try {
    const page = await fetch(`${serve.url}/`);
    assert.strictEqual(page.status, 200);
    assert.match(page.headers.get("content-type"), /^text\/html/);
    assert.match(await page.text(), /<html/i);
    const entry = await fetch(`${serve.url}/vendor/pandora-mq/entry/browser.js`);
    assert.strictEqual(entry.status, 200);
    const wasm = await fetch(`${serve.url}/vendor/pandora-mq/pandora_mq_bg.wasm`);
    assert.strictEqual(wasm.headers.get("content-type"), "application/wasm");
    for (const hidden of ["/vendor/pandora-mq/package.json", "/../package.json", "/vendor/pandora-mq/bin/pandora-mq.js"]) {
      assert.strictEqual((await fetch(`${serve.url}${hidden}`)).status, 404, hidden);
    }
  } finally {
    await serve.stop();
  }
});

test("a token from PANDORA_TOKEN is required, and admin routes are off unless asked for", async () => {
  const serve = await startServe(["--store", "memory"], { env: { PANDORA_TOKEN: "s3cret", PANDORA_ADMIN: "off" } });
  try {
    assert.strictEqual((await fetch(`${serve.url}/api/send`, form({ sender: "a", receiver: "b" }))).status, 401);
    const ok = await fetch(`${serve.url}/api/send`, { ...form({ sender: "a", receiver: "b" }), headers: { authorization: "Bearer s3cret" } });
    assert.strictEqual(ok.status, 200);
    const admin = await fetch(`${serve.url}/api/admin/reenqueue`, { headers: { authorization: "Bearer s3cret" } });
    assert.strictEqual(admin.status, 404);
  } finally {
    await serve.stop();
  }
});

test("bad settings exit with code 2 and say why", async () => {
  await assert.rejects(startServe(["--store", "mysql://x"]), /exited \(2\)[\s\S]*unknown --store/);
  await assert.rejects(startServe(["--bogus"]), /exited \(2\)/);
  await assert.rejects(startServe([], { env: { PANDORA_ADMIN: "yes" } }), /PANDORA_ADMIN must be "on" or "off"/);
});

test("SIGTERM lets a request in flight finish, then the process exits 0", async () => {
  const { request } = await import("node:http");
  const serve = await startServe(store);
  const body = new URLSearchParams({ sender: "a@x", receiver: "term@x", n: "1" }).toString();
  const reply = new Promise((resolve, reject) => {
    const req = request(`${serve.url}/api/send`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": body.length } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode, text }));
    });
    req.on("error", reject);
    // Half the body now: the server has the request but cannot answer it yet.
    req.write(body.slice(0, 10));
    setTimeout(() => {
      void serve.stop("SIGTERM");
      // The rest only once SIGTERM was delivered and the server stopped accepting.
      const rest = () => (serve.stderr().includes("SIGTERM") ? req.end(body.slice(10)) : setTimeout(rest, 10));
      rest();
    }, 50);
  });
  const { status, text } = await reply;
  assert.strictEqual(status, 200, text);
  assert.match(text, /^mid=[0-9a-f]{40}$/);
  assert.deepStrictEqual(await serve.stop(), { code: 0, signal: null });
});

test("scoped tokens from PANDORA_SIGNING_KEYS: a send-only token for one mailbox may do only that", async () => {
  const { mintToken } = await import("pandora-mq");
  const secret = "a-long-enough-secret-for-hmac-sha-256";
  const serve = await startServe(["--store", "memory"], { env: { PANDORA_SIGNING_KEYS: JSON.stringify({ k1: secret }) } });
  try {
    const token = mintToken({ mailbox: "a@x", ops: ["send"], expires: Date.now() + 60_000, kid: "k1" }, secret);
    const as = (fields) => ({ ...form(fields), headers: { authorization: `Bearer ${token}` } });
    assert.strictEqual((await fetch(`${serve.url}/api/send`, as({ sender: "s@x", receiver: "a@x", n: "1" }))).status, 200);
    assert.strictEqual((await fetch(`${serve.url}/api/send`, as({ sender: "s@x", receiver: "b@x", n: "1" }))).status, 403);
    assert.strictEqual((await fetch(`${serve.url}/api/fetch`, as({ receiver: "a@x" }))).status, 403);
    assert.strictEqual((await fetch(`${serve.url}/api/send`, form({ sender: "s@x", receiver: "a@x", n: "2" }))).status, 401);
  } finally {
    await serve.stop();
  }
});
