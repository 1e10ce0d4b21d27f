// server.handle(Request) serves the Go-compatible HTTP API: a send, fetch and
// ack round trip made of Requests only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { formOf, postForm } from "./support/http.js";

test("send, fetch and ack over form-encoded requests", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });

  const sent = await server.handle(postForm("/api/send", { sender: "ann", receiver: "bob", topic: "hi", delay: "1s" }));
  assert.strictEqual(sent.status, 200);
  const { mid } = await formOf(sent);
  assert.match(mid, /^[0-9a-f]{40}$/);

  assert.strictEqual((await server.handle(postForm("/api/fetch", { receiver: "bob" }))).status, 204, "delay ignored");
  time.advance(1000);

  const fetched = await server.handle(postForm("/api/fetch", { receiver: "bob", leaseTime: "30s" }));
  assert.strictEqual(fetched.status, 200);
  const msg = await formOf(fetched);
  assert.strictEqual(msg.mid, mid);
  assert.strictEqual(msg.topic, "hi");
  assert.strictEqual(msg.sender, "ann");
  assert.strictEqual(msg.deliveryCount, "1");
  assert.strictEqual(msg.status, "notDelivered");
  assert.strictEqual(Date.parse(msg.leasedUntil), time.now() + 30_000);

  const acked = await server.handle(postForm("/api/ack", { mid, lid: msg.lid, statusCode: "1" }));
  assert.strictEqual(acked.status, 200);
  assert.strictEqual(await acked.text(), "");

  // The in-process API sees the same queue.
  assert.strictEqual(await server.fetchBlob(mid), null);
  assert.strictEqual((await server.handle(postForm("/api/fetch", { receiver: "bob" }))).status, 204);
});

test("the same round trip with JSON replies", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const json = { accept: "application/json" };

  const sent = await server.handle(postForm("/send", { sender: "ann", receiver: "bob", tag: "x" }, json));
  assert.match(sent.headers.get("content-type") ?? "", /application\/json/);
  const { mid, duplicate } = await sent.json();
  assert.strictEqual(duplicate, false);

  const msg = await (await server.handle(postForm("/fetch", { receiver: "bob" }, json))).json();
  assert.strictEqual(msg.mid, mid);
  assert.strictEqual(msg.statusCode, 8);
  assert.strictEqual(msg.deliveryCount, 1);
  assert.strictEqual(msg.body.tag, "x");

  const rejected = await server.handle(postForm("/ack", { mid, lid: msg.lid, statusCode: "2" }, json));
  assert.deepStrictEqual(await rejected.json(), {});
  const again = await server.fetchLatest("bob");
  assert.deepStrictEqual([again.mid, again.status], [mid, "rejected"]);
});

test("a wrong lid over HTTP is a 400 with the error's code, and changes nothing", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const msg = await server.fetchLatest("bob");
  const res = await server.handle(postForm("/ack", { mid, lid: "0".repeat(32), statusCode: "1" }));
  assert.strictEqual(res.status, 400);
  assert.strictEqual((await formOf(res)).code, "lock_mismatch");
  await server.ack(mid, msg.lid, "confirmed");
});
