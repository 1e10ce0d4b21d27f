/**
 * Fake timers for `new Server({ timers })` and `consume(…, { timers })`:
 * nothing fires until a test says so. Two ways to drive them, on one set of
 * pending timers:
 *
 * - `fakeTimers(now)` on a `fakeClock()`: the test fires timers itself
 *   (`fireDue()` fires exactly those whose time has come, `fireAll()` plays a
 *   host timer that fires early) and inspects what is pending.
 *
 *       const time = fakeClock();
 *       const timers = fakeTimers(time.now);
 *       const server = new Server({ clock: time.clock, timers });
 *       time.advance(1000); timers.fireDue();
 *
 * - `fakeTime()`: a clock with timers whose `advance` fires each due timer at
 *   its own moment and lets the work it starts run before looking for the next.
 *
 *       const time = fakeTime();
 *       const server = new Server({ clock: time.clock, timers: time.timers });
 *       await time.advance(1000);
 *
 * Its only import is clock.js (import-free), so the browser page and the
 * Durable Object test worker can load it too.
 *
 * @module
 */
import { fakeClock, T0 } from "./clock.js";

/** One macrotask turn (setImmediate where there is one): lets pending work run. Not a sleep. */
const turn = () => new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** Turns enough for a chain of awaits through the package (wasm, storage, Request bodies) to finish. */
export async function settle(turns = 20) {
  for (let i = 0; i < turns; i++) await turn();
}

/**
 * Resolves once `condition()` holds, checking after each turn of the event
 * loop (it asserts nothing about time). It gives up only after `turns` turns
 * and `patienceMs` of wall time both: a storage doing real I/O on a thread
 * (Deno KV, SQLite on a loaded machine) can take more turns than a fast loop
 * of them lasts.
 */
export async function until(condition, turns = 10_000, patienceMs = 30_000) {
  const start = Date.now();
  for (let i = 0; ; i++) {
    if (condition()) return;
    if (i >= turns && Date.now() - start >= patienceMs) throw new Error("condition never held");
    await turn();
  }
}

/** @param {() => number} now the fake clock */
export function fakeTimers(now) {
  /** @type {Map<number, { fn: () => void, at: number, ms: number }>} */
  const pending = new Map();
  let next = 1;
  return {
    setTimeout(/** @type {() => void} */ fn, /** @type {number} */ ms = 0) {
      const id = next++;
      const delay = Math.max(0, Number(ms) || 0);
      pending.set(id, { fn, at: now() + delay, ms: delay });
      return id;
    },
    clearTimeout(/** @type {number} */ id) {
      pending.delete(id);
    },
    /** The delays (ms) of the timers set and not yet fired or cleared. */
    delays: () => [...pending.values()].map((t) => t.ms),
    /** How many timers were ever set: each sleep of a long poll sets one. */
    total: () => next - 1,
    /** How many timers are pending. */
    count: () => pending.size,
    /** Fires every pending timer, due or not (a host timer that fires early); returns how many. */
    fireAll() {
      const all = [...pending.values()];
      pending.clear();
      for (const t of all) t.fn();
      return all.length;
    },
    /** Fires every timer due at the clock's time; returns how many. */
    fireDue() {
      let fired = 0;
      for (const [id, t] of [...pending]) {
        if (t.at <= now()) {
          pending.delete(id);
          t.fn();
          fired++;
        }
      }
      return fired;
    },
    /**
     * Takes the earliest timer due by `by` (ties in the order they were set)
     * off the list: `{ at, fn }` for the caller to fire, or null.
     * @param {number} by
     */
    takeNext(by) {
      let best = null;
      for (const entry of pending) if (entry[1].at <= by && (best === null || entry[1].at < best[1].at)) best = entry;
      if (best === null) return null;
      pending.delete(best[0]);
      return best[1];
    },
  };
}

/**
 * @param {number} [start] ms since the epoch
 */
export function fakeTime(start = T0) {
  const clock = fakeClock(start);
  const timers = fakeTimers(clock.now);
  return {
    clock: clock.clock,
    timers: { setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout },
    /** Timers set and not yet fired or cleared. */
    pendingCount: timers.count,
    /** Moves time forward by `ms`, firing every timer that comes due on the way. */
    async advance(/** @type {number} */ ms) {
      const end = clock.now() + ms;
      await settle();
      for (let due = timers.takeNext(end); due !== null; due = timers.takeNext(end)) {
        clock.set(Math.max(clock.now(), due.at));
        due.fn();
        await settle();
      }
      clock.set(end);
      await settle();
    },
  };
}
