/**
 * Fake timers for `new Server({ timers })`: nothing fires until a test says
 * so, and `fireDue()` fires exactly the timers whose time has come on the
 * fake clock. Plain ES module with no imports, so the browser page and the
 * Durable Object test worker can load it too.
 *
 *   const time = fakeClock();
 *   const timers = fakeTimers(time.now);
 *   const server = new Server({ clock: time.clock, timers });
 *   time.advance(1000); timers.fireDue();
 *
 * @module
 */

/** @param {() => number} now the fake clock */
export function fakeTimers(now) {
  /** @type {Map<number, { fn: () => void, at: number, ms: number }>} */
  const pending = new Map();
  let next = 1;
  return {
    setTimeout(fn, ms) {
      const id = next++;
      pending.set(id, { fn, at: now() + ms, ms });
      return id;
    },
    clearTimeout(id) {
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
  };
}

/** Resolves once `condition()` holds, checking after each turn of the event loop (it asserts nothing about time). */
export async function until(condition, turns = 10_000) {
  const turn = typeof setImmediate === "function" ? setImmediate : (fn) => setTimeout(fn, 0);
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise((resolve) => turn(resolve));
  }
  throw new Error("condition never held");
}
