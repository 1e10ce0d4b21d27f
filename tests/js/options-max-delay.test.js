// The maxDelay option (default 30 days): the longest delay a send may ask for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { rejectsWithCode } from "./support/errors.js";

const send = (server, delay) => server.send({ sender: "ann", receiver: "bob", delay, body: { d: String(delay) } });

test("maxDelay as a Go duration caps the delay", async () => {
  const server = new Server({ maxDelay: "1h", clock: fakeClock().clock });
  assert.strictEqual((await send(server, "1h")).duplicate, false);
  await rejectsWithCode(send(server, 3_600_001), "out_of_range");
  assert.strictEqual((await server.fetchHeaders("bob")).length, 1);
});

test("maxDelay in ms caps the delay", async () => {
  const server = new Server({ maxDelay: 5000, clock: fakeClock().clock });
  assert.strictEqual((await send(server, 5000)).duplicate, false);
  await rejectsWithCode(send(server, "5.001s"), "out_of_range");
});

test("the default maxDelay is 30 days", async () => {
  const server = new Server({ clock: fakeClock().clock });
  assert.strictEqual((await send(server, "720h")).duplicate, false);
  await rejectsWithCode(send(server, 30 * 86_400_000 + 1), "out_of_range");
});

test("a negative delay is out_of_range", async () => {
  const server = new Server({ clock: fakeClock().clock });
  await rejectsWithCode(send(server, -1), "out_of_range");
  await rejectsWithCode(send(server, "-1s"), "out_of_range");
});
