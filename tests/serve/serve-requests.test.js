// How `pandora-mq serve` treats requests fetch cannot send or that misbehave:
// paths with dot segments and escapes (routing and the static files), an
// oversized or endless body, a client that leaves mid-body.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServe } from "./support/serve-process.js";
import { postHead, post, rawConnection, within } from "./support/raw-http.js";

/** @type {Awaited<ReturnType<typeof startServe>>} */
let serve;
before(async () => {
  serve = await startServe(["--store", "memory"]);
});
after(() => serve.stop("SIGKILL"));

/**
 * One GET of `target` exactly as written, on its own connection.
 * @param {string} target
 */
async function get(target) {
  const conn = rawConnection(serve.url);
  await conn.write(`GET ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
  const reply = await conn.reply();
  conn.destroy();
  return reply;
}

test("an escaped slash or dot-dot does not reach package files outside /vendor/pandora-mq/'s folders", { timeout: 30_000 }, async () => {
  for (const target of [
    "/vendor/pandora-mq/src/..%2fpackage.json",
    "/vendor/pandora-mq/src/%2e%2e%2fpackage.json",
    "/vendor/pandora-mq/entry/..%2F..%2Fpackage.json",
    "/vendor/pandora-mq/src/..%5cpackage.json",
    "/vendor/pandora-mq/package.json",
    "/..%2fpackage.json",
  ]) {
    assert.strictEqual((await get(target)).status, 404, target);
  }
  // What the demo page imports is still there.
  for (const target of ["/vendor/pandora-mq/pandora_mq.js", "/vendor/pandora-mq/src/index.js", "/vendor/pandora-mq/entry/browser.js", "/"]) {
    assert.strictEqual((await get(target)).status, 200, target);
  }
});

test("API or demo page is chosen on the normalised path, as the core and the Worker see it", { timeout: 30_000 }, async () => {
  const api = await get("/api/stats");
  assert.strictEqual(api.status, 400);
  const viaPage = await get("/x/../api/stats");
  assert.strictEqual(viaPage.status, api.status);
  assert.strictEqual(viaPage.headers["content-type"], api.headers["content-type"]);
  assert.strictEqual(viaPage.body, api.body);
  const page = await get("/index.html");
  const viaApi = await get("/api/../index.html");
  assert.strictEqual(viaApi.status, 200);
  assert.strictEqual(viaApi.headers["content-type"], page.headers["content-type"]);
  assert.strictEqual(viaApi.body, page.body);
});

test("a Content-Length over 1 MiB is refused before the body is sent, and the connection closed", { timeout: 30_000 }, async () => {
  const conn = rawConnection(serve.url);
  await conn.write(postHead("/api/send", (1 << 20) + 1));
  const reply = await within(conn.reply(), "the 413", 5_000);
  assert.strictEqual(reply.status, 413);
  assert.strictEqual(new URLSearchParams(reply.body).get("code"), "bad_request");
  assert.strictEqual(reply.headers.connection, "close");
  await within(conn.closed, "the connection closed", 5_000);
});

test("an endless chunked body gets its 413, then the server closes the connection", { timeout: 30_000 }, async () => {
  const conn = rawConnection(serve.url);
  await conn.write(postHead("/api/send", 0).replace("content-length: 0", "transfer-encoding: chunked"));
  const chunk = Buffer.concat([Buffer.from("10000\r\n"), Buffer.alloc(0x10000, 97), Buffer.from("\r\n")]);
  let closed = false;
  conn.closed.then(() => (closed = true));
  // Keeps sending, as a client that does not read its replies would.
  const pump = () => {
    while (!closed && conn.socket.write(chunk));
    if (!closed) conn.socket.once("drain", pump);
  };
  pump();
  const reply = await within(conn.reply(), "the 413", 5_000);
  assert.strictEqual(reply.status, 413);
  assert.strictEqual(reply.headers.connection, "close");
  await within(conn.closed, "the connection closed while the client still sends", 5_000);
});

test("a client that leaves mid-body is not logged as a failure", { timeout: 30_000 }, async (t) => {
  // Its own server, so its log holds only this.
  const alone = await startServe(["--store", "memory", "--no-www"]);
  t.after(() => alone.stop("SIGKILL"));
  const conn = rawConnection(alone.url);
  await conn.write(postHead("/api/send", 100, { expect: "100-continue" }));
  assert.strictEqual((await conn.reply()).status, 100);
  await conn.write("sender=a");
  conn.destroy();
  await conn.closed;
  // Another request after it, and its reply, so the server has seen the first one go.
  const next = rawConnection(alone.url);
  await next.write(post("/api/send", { sender: "a@x", receiver: "after@x" }));
  assert.strictEqual((await next.reply()).status, 200);
  next.destroy();
  assert.deepStrictEqual(await within(alone.stop(), "serve's exit", 10_000), { code: 0, signal: null });
  assert.doesNotMatch(alone.stderr(), /request failed|aborted|ECONNRESET/);
});
