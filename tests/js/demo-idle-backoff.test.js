// The demo's remote polling: while what it reads stays the same, the gap
// between polls doubles up to its cap; a change or a reset brings it back to
// every tick.
import { test } from "node:test";
import assert from "node:assert/strict";
import { idleBackoff } from "../../www/js/idle-backoff.js";

/** Runs `ticks` timer ticks; at each due one the server is read with `read()`. Returns the ticks that polled. */
function run(polls, ticks, read) {
  const polled = [];
  for (let tick = 1; tick <= ticks; tick++) {
    if (!polls.due()) continue;
    polled.push(tick);
    polls.saw(read(tick));
  }
  return polled;
}

test("an idle view polls less and less often, then at the cap", () => {
  const polls = idleBackoff({ maxTicks: 8 });
  const same = { ready: 0, delayed: 0 };
  // Gaps 1 (the first read has nothing to compare), then 2, 4, 8, 8, …
  assert.deepStrictEqual(run(polls, 40, () => same), [1, 2, 4, 8, 16, 24, 32, 40]);
  assert.strictEqual(polls.gap(), 8);
});

test("a change seen by a poll brings it back to every tick", () => {
  const polls = idleBackoff({ maxTicks: 8 });
  const polled = run(polls, 20, (tick) => ({ ready: tick >= 8 ? 1 : 0 }));
  // Idle until the poll at tick 8 sees ready=1; then every tick, backing off again.
  assert.deepStrictEqual(polled, [1, 2, 4, 8, 9, 11, 15]);
});

test("reset (a user action) polls at the next tick", () => {
  const polls = idleBackoff({ maxTicks: 8 });
  run(polls, 16, () => "same");
  assert.strictEqual(polls.gap(), 8);
  polls.reset();
  assert.strictEqual(polls.due(), true);
  assert.strictEqual(polls.gap(), 1);
});
