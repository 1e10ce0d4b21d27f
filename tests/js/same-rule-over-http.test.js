// One rule, one answer: a duration in ms means the same in process, in a JSON
// request and in a form request, and the same mistake gives the same code and
// message both ways.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";

const T0 = 1_767_225_600_000;

async function overHttp(server, route, fields, json = true) {
  const init = json
    ? { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(fields) }
    : { method: "POST", headers: { accept: "application/json" }, body: new URLSearchParams(fields) };
  const res = await server.handle(new Request(`http://q.test/${route}`, init));
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

for (const [label, send] of [
  ["in process", (s) => s.send({ sender: "a", receiver: "b", delay: 1500 })],
  ["JSON number", (s) => overHttp(s, "send", { sender: "a", receiver: "b", delay: 1500 })],
  ["form ms", (s) => overHttp(s, "send", { sender: "a", receiver: "b", delay: "1500" }, false)],
  ["Go string", (s) => overHttp(s, "send", { sender: "a", receiver: "b", delay: "1.5s" }, false)],
]) {
  test(`delay 1500 is 1.5 s: ${label}`, async () => {
    let now = T0;
    const server = new Server({ clock: () => now });
    await send(server);
    now = T0 + 1_499;
    assert.strictEqual(await server.fetchLatest("b"), null);
    now = T0 + 1_500;
    assert.ok(await server.fetchLatest("b"));
  });
}

test("the same bad duration: same code and message in process and over HTTP", async () => {
  const server = new Server({ clock: () => T0 });
  const local = await server.send({ sender: "a", receiver: "b", delay: "5x" }).catch((e) => e);
  const remote = await overHttp(server, "send", { sender: "a", receiver: "b", delay: "5x" });
  assert.strictEqual(remote.status, 400);
  assert.strictEqual(remote.body.code, local.code);
  assert.strictEqual(remote.body.error, local.message.replace('"5x"', 'delay: "5x"'));
});

test("the same headers limit: same code and message in process and over HTTP", async () => {
  const server = new Server({ clock: () => T0, admin: true });
  const local = await server.fetchHeaders("b", { limit: 101 }).catch((e) => e);
  const res = await server.handle(new Request("http://q.test/admin/headers?receiver=b&limit=101", { headers: { accept: "application/json" } }));
  const remote = await res.json();
  assert.strictEqual(remote.code, local.code);
  assert.strictEqual(remote.error, local.message);
});
