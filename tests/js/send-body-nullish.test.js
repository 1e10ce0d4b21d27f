// A body field whose value is null or undefined: the Mailbox client leaves it
// out, so Server.send must too, or the same message has two different mids
// depending on whether it went in-process or over HTTP.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, Mailbox } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

const input = { sender: "ann", receiver: "bob", clientTime: 5, body: { x: "1", gone: undefined, none: null, list: ["k", null] } };

test("the same body gives the same message in-process and through Mailbox", async () => {
  const local = new Server({ clock: fakeClock().clock });
  const inProcess = await local.send(input);
  const remote = new Server({ clock: fakeClock().clock });
  const box = new Mailbox("http://queue.test/", { fetch: (url, init) => remote.handle(new Request(url, init)) });
  const overHttp = await box.send(input);
  assert.strictEqual(inProcess.mid, overHttp.mid);
  const { body } = await local.fetchLatest("bob");
  assert.strictEqual("gone" in body || "none" in body, false);
  assert.strictEqual(body.list, "k");
});

test("through Mailbox, null and undefined values are left out", async () => {
  const remote = new Server({ clock: fakeClock().clock });
  const box = new Mailbox("http://queue.test/", { fetch: (url, init) => remote.handle(new Request(url, init)) });
  await box.send(input);
  const { body } = await remote.fetchLatest("bob");
  assert.deepStrictEqual([body.x, body.list, "gone" in body, "none" in body], ["1", "k", false, false]);
});
