/**
 * A fake clock with timers, for code that sleeps (long polls, the consume
 * loop): `new Server({ clock, timers })` and `consume(…, { clock, timers })`.
 * Time moves only in `advance`, which fires each due timer at its own moment
 * and lets the work it starts run before looking for the next one.
 *
 *   const time = fakeTime();
 *   const server = new Server({ clock: time.clock, timers: time.timers });
 *   await time.advance(1000);
 *
 * @module
 */
import { T0 } from "./clock.js";

/** Lets queued promise callbacks and I/O callbacks run: one macrotask turn. Not a sleep. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Turns enough for a chain of awaits through the package (wasm, storage, Request bodies) to finish. */
export async function settle(turns = 20) {
  for (let i = 0; i < turns; i++) await turn();
}

/**
 * @param {number} [start] ms since the epoch
 */
export function fakeTime(start = T0) {
  let now = start;
  let nextId = 1;
  /** @type {Map<number, { at: number, fn: () => void }>} */
  const pending = new Map();
  const timers = {
    setTimeout(/** @type {() => void} */ fn, /** @type {number} */ ms = 0) {
      const id = nextId++;
      pending.set(id, { at: now + Math.max(0, Number(ms) || 0), fn });
      return id;
    },
    clearTimeout(/** @type {number} */ id) {
      pending.delete(id);
    },
  };
  /** The earliest timer due by `until`, ties in the order they were set. */
  const nextDue = (/** @type {number} */ until) => {
    let best = null;
    for (const [id, timer] of pending) if (timer.at <= until && (best === null || timer.at < best[1].at)) best = [id, timer];
    return best;
  };
  return {
    clock: () => now,
    timers,
    /** Timers set and not yet fired or cleared. */
    pendingCount: () => pending.size,
    /** Moves time forward by `ms`, firing every timer that comes due on the way. */
    async advance(/** @type {number} */ ms) {
      const end = now + ms;
      await settle();
      for (let due = nextDue(end); due !== null; due = nextDue(end)) {
        const [id, timer] = due;
        pending.delete(id);
        now = Math.max(now, timer.at);
        timer.fn();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}
