// serve hands node:http requests to the core as parts and writes the core's
// reply itself (pkg/src/serve/node-bridge.js): its replies must be the ones
// Server.handle gives a fetch API Request, status, headers and body.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { startServe } from "./support/serve-process.js";

/** @type {Awaited<ReturnType<typeof startServe>>} */
let serve;
before(async () => {
  serve = await startServe(["--store", "memory", "--no-www", "--admin"]);
});
after(() => serve.stop());

/** What the HTTP layer adds on its own, not the core's reply. */
const TRANSPORT = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);

/** @param {Response} r */
async function shape(r) {
  const headers = Object.fromEntries([...r.headers].filter(([name]) => !TRANSPORT.has(name)));
  return { status: r.status, headers, body: await r.text() };
}

const form = (fields) => new URLSearchParams(fields).toString();
const CASES = [
  { what: "a fetch that finds nothing (204)", method: "POST", path: "/api/fetch", body: form({ receiver: "nobody@x" }) },
  { what: "a send without receiver (400, form)", method: "POST", path: "/api/send", body: form({ sender: "a@x" }) },
  { what: "a send without receiver (400, JSON)", method: "POST", path: "/api/send", body: form({ sender: "a@x" }), accept: "application/json" },
  { what: "an unknown route (404)", method: "POST", path: "/api/nope", body: "" },
  { what: "a GET of a POST route", method: "GET", path: "/api/send" },
  { what: "a HEAD of a POST route", method: "HEAD", path: "/api/send" },
  { what: "an admin route with a query", method: "GET", path: "/api/admin/headers?receiver=nobody%40x" },
  { what: "dot segments in the path", method: "POST", path: "/api/x/../fetch", body: form({ receiver: "nobody@x" }) },
  { what: "an unreadable JSON body", method: "POST", path: "/api/send", body: "{", contentType: "application/json" },
];

for (const c of CASES) {
  test(`serve answers ${c.what} as Server.handle does`, async () => {
    const headers = {
      ...(c.body !== undefined ? { "content-type": c.contentType ?? "application/x-www-form-urlencoded" } : {}),
      ...(c.accept ? { accept: c.accept } : {}),
    };
    const init = { method: c.method, headers, ...(c.body !== undefined ? { body: c.body } : {}) };
    const overHttp = await shape(await fetch(`${serve.url}${c.path}`, init));
    const inProcess = await shape(await new Server({ admin: true }).handle(new Request(`http://127.0.0.1${c.path}`, init)));
    assert.deepStrictEqual(overHttp, inProcess);
  });
}

test("serve's replies carry their length, and none for a body-less reply", async () => {
  const sent = await fetch(`${serve.url}/api/send`, { method: "POST", body: new URLSearchParams({ sender: "a@x", receiver: "len@x", topic: "t" }) });
  const text = await sent.text();
  assert.strictEqual(sent.status, 200);
  assert.strictEqual(sent.headers.get("content-length"), String(Buffer.byteLength(text)));
  const none = await fetch(`${serve.url}/api/fetch`, { method: "POST", body: new URLSearchParams({ receiver: "empty@x" }) });
  assert.strictEqual(none.status, 204);
  assert.strictEqual(none.headers.get("content-length"), null);
});

test("a body over 1 MiB is refused with 413 bad_request, and the server goes on", async () => {
  const big = await fetch(`${serve.url}/api/send`, { method: "POST", body: `sender=a%40x&receiver=big%40x&topic=${"x".repeat((1 << 20) + 10)}` });
  assert.strictEqual(big.status, 413);
  assert.strictEqual(new URLSearchParams(await big.text()).get("code"), "bad_request");
  const next = await fetch(`${serve.url}/api/send`, { method: "POST", body: new URLSearchParams({ sender: "a@x", receiver: "big@x", topic: "small" }) });
  assert.strictEqual(next.status, 200);
});
