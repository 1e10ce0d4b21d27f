// CORS for the origins in PANDORA_CORS_ORIGINS: a preflight is answered by the
// Worker itself, listed origins get Access-Control-Allow-Origin on every API
// reply, other origins get no CORS header at all. (The browser's side of it is
// tests/e2e/cors.test.js.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { startWorker } from "./start-miniflare.js";
import { newBox, useWorker } from "./support.js";

const ALLOWED = "http://app.test:5173";
const OTHER = "http://evil.test";
const worker = useWorker({ env: { PANDORA_CORS_ORIGINS: `https://x.example, ${ALLOWED}, not an origin, https://y.example/path` } });

const preflight = (url, origin, path = "/api/fetch") =>
  fetch(new URL(path, url), {
    method: "OPTIONS",
    headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" },
  });

test("a preflight from a listed origin is allowed the methods and headers the API needs", async () => {
  const res = await preflight(worker.url, ALLOWED);
  assert.equal(res.status, 204);
  assert.equal(res.headers.get("access-control-allow-origin"), ALLOWED);
  assert.equal(res.headers.get("access-control-allow-methods"), "GET, POST");
  assert.equal(res.headers.get("access-control-allow-headers"), "authorization, content-type");
  assert.equal(res.headers.get("access-control-allow-credentials"), null, "tokens are headers, not cookies");
  assert.match(res.headers.get("vary"), /Origin/);
});

test("other origins, and entries that are not exact origins, get no CORS headers", async () => {
  for (const origin of [OTHER, "https://y.example", "http://app.test", "null"]) {
    const res = await preflight(worker.url, origin);
    assert.equal(res.headers.get("access-control-allow-origin"), null, origin);
    assert.equal(res.headers.get("access-control-allow-headers"), null, origin);
  }
  const res = await fetch(new URL("/api/fetch", worker.url), { method: "POST", headers: { Origin: OTHER }, body: new URLSearchParams({ receiver: newBox() }) });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get("access-control-allow-origin"), null);
  assert.match(res.headers.get("vary"), /Origin/);
});

test("replies to a listed origin carry its Access-Control-Allow-Origin, refusals too", async () => {
  const receiver = newBox();
  const sent = await fetch(new URL("/api/send", worker.url), { method: "POST", headers: { Origin: ALLOWED }, body: new URLSearchParams({ sender: "s", receiver }) });
  assert.equal(sent.status, 200);
  assert.equal(sent.headers.get("access-control-allow-origin"), ALLOWED);
  assert.match(sent.headers.get("vary"), /Origin/);
  const notFound = await fetch(new URL("/api/nope", worker.url), { headers: { Origin: ALLOWED } });
  assert.equal(notFound.status, 404);
  assert.equal(notFound.headers.get("access-control-allow-origin"), ALLOWED, "the page can read why");
});

test("the preflight never reaches the API: it is answered even when the API cannot start", async () => {
  // Unreadable signing keys make every API request fail (500 internal); the
  // preflight is answered before any of that code, and before any Durable Object.
  const broken = await startWorker({ env: { PANDORA_CORS_ORIGINS: ALLOWED, PANDORA_SIGNING_KEYS: "{not json: s3cret" } });
  try {
    const res = await preflight(broken.url, ALLOWED, "/api/ack");
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-origin"), ALLOWED);
    const api = await fetch(new URL("/api/fetch", broken.url), { method: "POST", headers: { Origin: ALLOWED }, body: new URLSearchParams({ receiver: "x" }) });
    assert.equal(api.status, 500);
    const text = await api.text();
    assert.match(text, /code=internal/);
    assert.ok(!text.includes("s3cret"), "the secret is not in the reply");
    assert.equal(api.headers.get("access-control-allow-origin"), ALLOWED);
  } finally {
    await broken.dispose();
  }
});

test("without PANDORA_CORS_ORIGINS nothing changes: no CORS headers, no Vary", async () => {
  const plain = await startWorker();
  try {
    const res = await preflight(plain.url, ALLOWED);
    assert.equal(res.headers.get("access-control-allow-origin"), null);
    const reply = await fetch(new URL("/api/fetch", plain.url), { method: "POST", headers: { Origin: ALLOWED }, body: new URLSearchParams({ receiver: "x" }) });
    assert.equal(reply.headers.get("access-control-allow-origin"), null);
    assert.equal(reply.headers.get("vary"), null);
  } finally {
    await plain.dispose();
  }
});
