// How handle() answers requests it cannot serve: 404, 405, 400 and 500.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage, faultyStorage } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { formOf, get, postForm } from "./support/http.js";

test("an unknown route is 404", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const res = await server.handle(postForm("/api/nothing", {}));
  assert.strictEqual(res.status, 404);
});

test("a wrong method is 405 with Allow", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const res = await server.handle(get("/api/send", { sender: "a", receiver: "b" }));
  assert.strictEqual(res.status, 405);
  assert.strictEqual(res.headers.get("allow"), "POST");
  assert.strictEqual((await formOf(res)).code, "method_not_allowed");
  assert.deepStrictEqual(await server.fetchHeaders("b"), []);
});

test("a body in a media type the API does not read is 415", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const res = await server.handle(new Request("http://queue.test/send", { method: "POST", body: "sender=a&receiver=b", headers: { "content-type": "text/plain" } }));
  assert.strictEqual(res.status, 415);
  assert.strictEqual((await formOf(res)).code, "unsupported_media_type");
  assert.deepStrictEqual(await server.fetchHeaders("b"), []);
});

test("JSON request bodies are read like form fields", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const res = await server.handle(new Request("http://queue.test/send", {
    method: "POST",
    body: JSON.stringify({ sender: "a", receiver: "b", topic: "json" }),
    headers: { "content-type": "application/json", accept: "application/json" },
  }));
  assert.strictEqual(res.status, 200);
  const { mid } = await res.json();
  assert.strictEqual(new URLSearchParams(await server.fetchBlob(mid)).get("topic"), "json");
});

test("a client mistake is 400 error=…&code=…", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const res = await server.handle(postForm("/send", { sender: "ann" }));
  assert.strictEqual(res.status, 400);
  const reply = await formOf(res);
  assert.strictEqual(reply.code, "invalid_mailbox");
  assert.ok(reply.error.length > 0);
});

test("a storage failure is 500 with code storage", async () => {
  const server = new Server({ storage: faultyStorage(memoryStorage(), { failAt: 1 }), clock: fakeClock().clock });
  const res = await server.handle(postForm("/send", { sender: "ann", receiver: "bob" }));
  assert.strictEqual(res.status, 500);
  assert.strictEqual((await formOf(res)).code, "storage");
});
