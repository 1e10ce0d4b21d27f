// Mailbox.ack passes a reject's retryDelay to the server: the message comes
// back only when the delay has passed (against a real Server via handle).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, Mailbox } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

test("a rejected message with retryDelay is due again only after the delay", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  const box = new Mailbox("http://queue.test/api", { fetch: (url, init) => server.handle(new Request(url, init)) });
  const { mid } = await box.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const first = await box.fetch("bob");
  await box.ack(mid, first.lid, "rejected", { retryDelay: "10s" });
  time.advance(9_999);
  assert.strictEqual(await box.fetch("bob"), null);
  time.advance(1);
  const again = await box.fetch("bob");
  assert.strictEqual(again.mid, mid);
  assert.strictEqual(again.status, "rejected");
  assert.strictEqual(again.deliveryCount, 2);
});
