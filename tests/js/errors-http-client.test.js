// The Mailbox client's codes, against a real Server through server.handle:
// unauthorized (401), the server's own codes, network and http.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, Mailbox } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { rejectsWithCode } from "./support/errors.js";

/** A Mailbox whose fetch is `server.handle`. */
const over = (server, options = {}) =>
  new Mailbox("http://queue.test/api/", { ...options, fetch: (url, init) => server.handle(new Request(url, init)) });

test("a round trip through Mailbox and server.handle", async () => {
  const server = new Server({ token: "t", clock: fakeClock().clock });
  const box = over(server, { token: "t" });
  const { mid } = await box.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const msg = await box.fetch("bob", { lease: "1m" });
  assert.strictEqual(msg.mid, mid);
  assert.strictEqual(msg.body.k, "v");
  await box.ack(mid, msg.lid, "confirmed");
  assert.strictEqual(await box.fetch("bob"), null);
});

test("unauthorized: a Mailbox without the server's token", async () => {
  const server = new Server({ token: "t", clock: fakeClock().clock });
  const err = await rejectsWithCode(over(server).send({ sender: "ann", receiver: "bob" }), "unauthorized");
  assert.strictEqual(/** @type {any} */ (err).status, 401);
});

test("a server error keeps its code over HTTP", async () => {
  const server = new Server({ clock: fakeClock().clock });
  await rejectsWithCode(over(server).ack("a".repeat(40), "lid", "confirmed"), "not_found");
  await rejectsWithCode(over(server).send({ sender: "", receiver: "bob" }), "invalid_mailbox");
});

test("network: fetch itself fails; http: a reply that is not the API's", async () => {
  const cause = new TypeError("connection refused");
  const down = new Mailbox("http://queue.test/", { fetch: async () => { throw cause; } });
  const err = await rejectsWithCode(down.fetch("bob"), "network");
  assert.strictEqual(err.cause, cause);
  const proxy = new Mailbox("http://queue.test/", { fetch: async () => new Response("<h1>Bad Gateway</h1>", { status: 502 }) });
  await rejectsWithCode(proxy.fetch("bob"), "http");
});
