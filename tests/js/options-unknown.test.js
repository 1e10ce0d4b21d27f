// A misspelt option or a body the form cannot carry is refused at the call
// as bad_request, naming it, and nothing is enqueued: it is never silently
// left at its default, nor sent as "[object Object]".
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, Mailbox, PandoraError } from "pandora-mq";

/** Asserts `fn` throws or rejects with `code` and a message matching `pattern`. */
async function refused(fn, code, pattern) {
  await assert.rejects(async () => fn(), (err) => {
    assert.ok(err instanceof PandoraError, String(err));
    assert.strictEqual(err.code, code);
    assert.match(err.message, pattern);
    return true;
  });
}

test("Server options: an unknown name is refused, naming it; an empty token too", async () => {
  await refused(() => new Server({ maxDelivery: 3 }), "bad_request", /no option "maxDelivery"/);
  await refused(() => new Server({ token: "" }), "bad_request", /token must not be empty/);
  assert.ok(new Server({ maxDeliveries: 3, token: "t", timers: { setTimeout, clearTimeout } }));
});

test("send, sendBatch, fetchLatest and fetchBatch refuse an option they do not read, and change nothing", async () => {
  const server = new Server();
  await refused(() => server.send({ sender: "a@x", receiver: "b@x", dealy: "1s" }), "bad_request", /send has no option "dealy"/);
  await refused(() => server.sendBatch([{ sender: "a@x", receiver: "b@x" }, { sender: "a@x", receiver: "b@x", ttl: "1m", tll: "1m" }]),
    "bad_request", /sendBatch item 1 has no option "tll"/);
  assert.strictEqual((await server.stats("b@x")).ready, 0, "nothing enqueued");
  await server.send({ sender: "a@x", receiver: "b@x", body: { n: 1 } });
  await refused(() => server.fetchLatest("b@x", { leaseTime: "1m" }), "bad_request", /fetchLatest has no option "leaseTime"/);
  await refused(() => server.fetchBatch("b@x", { limit: 5 }), "bad_request", /fetchBatch has no option "limit"/);
  assert.strictEqual((await server.stats("b@x")).ready, 1, "nothing leased");
});

test("a body field holding an object, or a body that is no set of fields, is bad_request in process as over HTTP", async () => {
  const server = new Server();
  const send = (body) => server.send({ sender: "a@x", receiver: "b@x", body });
  await refused(() => send({ x: { y: 1 } }), "bad_request", /body field "x" is of type object/);
  await refused(() => send({ tags: ["a", ["b"]] }), "bad_request", /body field "tags" is an array inside an array/);
  await refused(() => send(5), "bad_request", /body must be an object of fields/);
  await refused(() => server.sendBatch([{ sender: "a@x", receiver: "b@x", body: { ok: "1" } }, { sender: "a@x", receiver: "b@x", body: { when: new Date(0) } }]),
    "bad_request", /^item 1: body field "when" is of type object/);
  assert.strictEqual((await server.stats("b@x")).ready, 0);
  const over = await server.handle(new Request("http://q.test/api/sendBatch", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify([{ sender: "a@x", receiver: "b@x", x: { y: 1 } }]),
  }));
  assert.strictEqual(over.status, 400, "the same body over HTTP");
  await send({ n: 1, ok: true, big: 2n, tags: ["a", "b"], gone: undefined });
  const { body } = await server.fetchLatest("b@x");
  assert.deepEqual([body.n, body.ok, body.big, body.tags, "gone" in body], ["1", "true", "2", ["a", "b"], false]);
});

test("Mailbox refuses the same before sending any request", async () => {
  let requests = 0;
  const box = new Mailbox("http://q.test/api", { fetch: async () => (requests++, new Response(null, { status: 204 })) });
  await refused(() => box.send({ sender: "a@x", receiver: "b@x", body: { x: { y: 1 } } }), "bad_request", /body field "x"/);
  await refused(() => box.send({ sender: "a@x", receiver: "b@x", dealy: 5 }), "bad_request", /send has no option "dealy"/);
  await refused(() => box.sendBatch([{ sender: "a@x", receiver: "b@x", tll: 1 }]), "bad_request", /sendBatch item 0 has no option "tll"/);
  await refused(() => box.sendBatch([{ body: {} }, { body: { x: [] , y: { z: 1 } } }]), "bad_request", /^item 1: body field "y"/);
  await refused(() => box.fetch("b@x", { leaseTime: "1m" }), "bad_request", /fetch has no option "leaseTime"/);
  assert.strictEqual(requests, 0);
});

test("an option of the wrong kind is named plainly, without the binding's debug form", async () => {
  const server = new Server();
  await refused(() => server.purge("b@x", { status: "x" }), "bad_request", /got "x"$/);
  await refused(() => server.fetchHeaders("b@x", { status: 5 }), "bad_request", /status must be a string, got number$/);
});
