// Every input error code is reachable from JS as a PandoraError with a message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { rejectsWithCode } from "./support/errors.js";

const ok = { sender: "ann", receiver: "bob", body: { k: "v" } };
const server = () => new Server({ clock: fakeClock().clock });

test("message_too_big", async () => {
  await rejectsWithCode(() => server().send({ ...ok, body: { k: "x".repeat(5000) } }), "message_too_big");
});

test("invalid_mailbox: empty, missing or over 255 bytes", async () => {
  const s = server();
  await rejectsWithCode(() => s.send({ ...ok, sender: "" }), "invalid_mailbox");
  await rejectsWithCode(() => s.send({ ...ok, receiver: undefined }), "invalid_mailbox");
  await rejectsWithCode(() => s.send({ ...ok, receiver: "é".repeat(128) }), "invalid_mailbox"); // 256 bytes
  await rejectsWithCode(() => s.fetchLatest(""), "invalid_mailbox");
  await rejectsWithCode(() => s.fetchHeaders("x".repeat(256)), "invalid_mailbox");
  // 255 bytes is fine.
  assert.strictEqual((await s.send({ ...ok, receiver: "x".repeat(255) })).duplicate, false);
});

test("nil_body", async () => {
  await rejectsWithCode(() => server().send({ ...ok, body: null }), "nil_body");
});

test("invalid_key: malformed mid or lid", async () => {
  const s = server();
  const { mid } = await s.send(ok);
  const msg = await s.fetchLatest("bob");
  await rejectsWithCode(() => s.ack("xyz", msg.lid, "confirmed"), "invalid_key");
  await rejectsWithCode(() => s.ack(mid, "", "confirmed"), "invalid_key");
  await rejectsWithCode(() => s.ack(mid, "has space", "confirmed"), "invalid_key");
  await rejectsWithCode(() => s.fetchHeaders("bob", { afterMid: "nope" }), "invalid_key");
  await s.ack(mid, msg.lid, "confirmed"); // nothing changed: the lease still holds
});

test("invalid_duration: delay, lease, retryDelay and duration options", async () => {
  const s = server();
  await rejectsWithCode(() => s.send({ ...ok, delay: "soon" }), "invalid_duration");
  await rejectsWithCode(() => s.send({ ...ok, delay: Number.NaN }), "invalid_duration");
  await rejectsWithCode(() => s.fetchLatest("bob", { lease: "5 minutes" }), "invalid_duration");
  const { mid } = await s.send(ok);
  const msg = await s.fetchLatest("bob");
  await rejectsWithCode(() => s.ack(mid, msg.lid, "rejected", { retryDelay: "later" }), "invalid_duration");
});

test("invalid_time: clientTime that is not ms, Date or RFC 3339", async () => {
  const s = server();
  await rejectsWithCode(() => s.send({ ...ok, clientTime: "yesterday" }), "invalid_time");
  await rejectsWithCode(() => s.send({ ...ok, clientTime: "2030-01-01 00:00:00" }), "invalid_time");
  await rejectsWithCode(() => s.send({ ...ok, clientTime: /** @type {any} */ ({}) }), "invalid_time");
  assert.deepStrictEqual(await s.fetchHeaders("bob"), []);
});

test("out_of_range: lease outside 1 ms … 12 h, delay outside 0 … maxDelay", async () => {
  const s = server();
  await s.send(ok);
  await rejectsWithCode(() => s.fetchLatest("bob", { lease: 0 }), "out_of_range");
  await rejectsWithCode(() => s.fetchLatest("bob", { lease: "12h0m0.001s" }), "out_of_range");
  await rejectsWithCode(() => s.send({ ...ok, delay: "721h" }), "out_of_range");
  // The refused fetches leased nothing.
  assert.strictEqual((await s.fetchLatest("bob"))?.deliveryCount, 1);
});

test("reserved_field: a body may not use the server's reply fields", async () => {
  const s = server();
  for (const name of ["mid", "lid", "status", "statusCode", "leasedUntil", "receivedAt", "sendWhen", "deliveryCount", "validBody"]) {
    const err = await rejectsWithCode(() => s.send({ ...ok, body: { [name]: "x" } }), "reserved_field");
    assert.ok(err.message.includes(name), err.message);
  }
  assert.deepStrictEqual(await s.fetchHeaders("bob"), []);
});

test("bad_request: a constructor option of the wrong type", async () => {
  await rejectsWithCode(() => new Server({ maxSize: "big" }), "bad_request");
});
