// `serve` answers cross-origin requests as the Worker does, from the same
// PANDORA_CORS_ORIGINS list (the package's corsHeaders): a preflight is
// answered before the API, other replies carry the listed origin's headers.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startServe } from "./support/serve-process.js";

/**
 * One request; resolves to its status and headers.
 * @param {string} url
 * @param {{ method: string, headers: Record<string, string>, body?: string }} o
 */
function request(url, { method, headers, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const APP = "https://app.example";
const preflight = (url, origin) => request(`${url}/api/send`, {
  method: "OPTIONS",
  headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
});
const send = (url, origin) => request(`${url}/api/send`, {
  method: "POST",
  headers: { origin, "content-type": "application/x-www-form-urlencoded" },
  body: "sender=a%40x&receiver=b%40x&topic=t",
});

test("with PANDORA_CORS_ORIGINS, a listed origin's preflight and replies get the Worker's CORS headers", async (t) => {
  const serve = await startServe(["--store", "memory", "--no-www"], { env: { PANDORA_CORS_ORIGINS: `${APP}, not an origin` } });
  t.after(() => serve.stop());
  const allowed = await preflight(serve.url, APP);
  assert.strictEqual(allowed.status, 204);
  assert.strictEqual(allowed.headers["access-control-allow-origin"], APP);
  assert.strictEqual(allowed.headers["access-control-allow-methods"], "GET, POST");
  assert.strictEqual(allowed.headers["access-control-allow-headers"], "authorization, content-type");
  const other = await preflight(serve.url, "https://evil.example");
  assert.strictEqual(other.status, 204);
  assert.strictEqual(other.headers["access-control-allow-origin"], undefined);
  const sent = await send(serve.url, APP);
  assert.strictEqual(sent.status, 200);
  assert.strictEqual(sent.headers["access-control-allow-origin"], APP);
  assert.match(String(sent.headers.vary), /Origin/);
  const refused = await request(`${serve.url}/api/fetch`, { method: "POST", headers: { origin: APP, "content-type": "application/x-www-form-urlencoded" }, body: "" });
  assert.strictEqual(refused.status, 400);
  assert.strictEqual(refused.headers["access-control-allow-origin"], APP, "refusals carry them too");
  await serve.stderrMatching(/"not an origin" is not an exact origin/);
});

test("without PANDORA_CORS_ORIGINS nothing changes: no CORS headers, no Vary; a preflight is still answered", async (t) => {
  const serve = await startServe(["--store", "memory", "--no-www"]);
  t.after(() => serve.stop());
  const sent = await send(serve.url, APP);
  assert.strictEqual(sent.status, 200);
  assert.strictEqual(sent.headers["access-control-allow-origin"], undefined);
  assert.strictEqual(sent.headers.vary, undefined);
  const answered = await preflight(serve.url, APP);
  assert.strictEqual(answered.status, 204);
  assert.strictEqual(answered.headers["access-control-allow-origin"], undefined);
});
