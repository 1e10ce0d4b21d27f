// The same lifecycle with JSON both ways: a JSON request body and
// `Accept: application/json` replies.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newBox, useWorker } from "./support.js";

const worker = useWorker();

const postJson = (route, body) =>
  fetch(`${worker.url}/api/${route}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });

test("a message goes through send, fetch and ack in JSON", async () => {
  const receiver = newBox();
  const sent = await postJson("send", { sender: "a@x", receiver, topic: "hello", color: ["red", "blue"] });
  assert.equal(sent.status, 200);
  assert.equal(sent.headers.get("content-type"), "application/json");
  const { mid, duplicate } = await sent.json();
  assert.match(mid, /^[0-9a-f]{40}$/);
  assert.equal(duplicate, false);

  const fetched = await postJson("fetch", { receiver, leaseTime: "1m" });
  assert.equal(fetched.status, 200);
  const msg = await fetched.json();
  assert.equal(msg.mid, mid);
  assert.equal(msg.status, "notDelivered");
  assert.equal(msg.statusCode, 8);
  assert.equal(msg.deliveryCount, 1);
  assert.equal(msg.validBody, true);
  assert.equal(msg.body.topic, "hello");
  assert.deepEqual(msg.body.color, ["red", "blue"]);

  const acked = await postJson("ack", { mid, lid: msg.lid, statusCode: 1 });
  assert.equal(acked.status, 200);
  assert.deepEqual(await acked.json(), {});

  const after = await postJson("fetch", { receiver });
  assert.equal(after.status, 204);
  assert.equal(await after.text(), "");
});
