// The `token` option: every HTTP request needs `Authorization: Bearer <token>`;
// without it the reply is 401 and nothing is touched.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { formOf, postForm } from "./support/http.js";

const send = { sender: "ann", receiver: "bob", topic: "hi" };

test("a missing or wrong token gets 401 and nothing is enqueued", async () => {
  const server = new Server({ token: "s3cret", clock: fakeClock().clock });
  for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: "Basic s3cret" }, { authorization: "s3cret" }]) {
    const res = await server.handle(postForm("/send", send, headers));
    assert.strictEqual(res.status, 401, JSON.stringify(headers));
    assert.strictEqual(res.headers.get("www-authenticate"), "Bearer");
    assert.strictEqual((await formOf(res)).code, "unauthorized");
  }
  assert.deepStrictEqual(await server.fetchHeaders("bob"), []);
});

test("the right token is let through", async () => {
  const server = new Server({ token: "s3cret", clock: fakeClock().clock });
  const res = await server.handle(postForm("/send", send, { authorization: "Bearer s3cret" }));
  assert.strictEqual(res.status, 200);
  const { mid } = await formOf(res);
  assert.strictEqual((await server.fetchHeaders("bob"))[0]?.mid, mid);
});

test("a fetch without the token does not lease anything", async () => {
  const server = new Server({ token: "s3cret", clock: fakeClock().clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  assert.strictEqual((await server.handle(postForm("/fetch", { receiver: "bob" }))).status, 401);
  assert.strictEqual((await server.fetchLatest("bob"))?.mid, mid, "the 401 fetch leased the message");
});

test("the token guards HTTP only, not the in-process methods", async () => {
  const server = new Server({ token: "s3cret", clock: fakeClock().clock });
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  assert.notStrictEqual(await server.fetchLatest("bob"), null);
});
