// fetchHeaders() without `after` should list every pending header, whatever
// the clock said when the messages arrived.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";

test("a message received at time 0 is listed by a plain fetchHeaders()", async () => {
  const server = new Server({ clock: () => 0 });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  assert.deepStrictEqual((await server.fetchHeaders("bob")).map((h) => h.mid), [mid]);
});

test("an explicit after below the receive time lists it", async () => {
  const server = new Server({ clock: () => 0 });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  assert.deepStrictEqual((await server.fetchHeaders("bob", { after: -1 })).map((h) => h.mid), [mid]);
});
