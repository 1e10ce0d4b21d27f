// send()'s delay: milliseconds or a Go duration string; sendWhen = receivedAt + delay.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

const cases = [
  [undefined, 0],
  [0, 0],
  [1500, 1500],
  ["1500ms", 1500],
  ["1.5s", 1500],
  ["2m", 120_000],
  ["1h30m", 5_400_000],
];

for (const [delay, ms] of cases) {
  test(`delay ${JSON.stringify(delay)} is ${ms} ms`, async () => {
    const time = fakeClock();
    const server = new Server({ clock: time.clock });
    await server.send({ sender: "ann", receiver: "bob", delay, body: { d: String(delay) } });
    const [header] = await server.fetchHeaders("bob");
    assert.strictEqual(header.receivedAt, time.now());
    assert.strictEqual(header.sendWhen, time.now() + ms);
    if (ms > 0) {
      time.advance(ms - 1);
      assert.strictEqual(await server.fetchLatest("bob"), null);
      time.advance(1);
    }
    assert.strictEqual((await server.fetchLatest("bob"))?.sendWhen, header.sendWhen);
  });
}
