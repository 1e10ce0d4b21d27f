/**
 * A fake clock for `new Server({ clock })`: time moves only when a test moves it.
 * Plain ES module with no imports, so the browser page and the Durable Object
 * test worker can load it too.
 *
 *   const time = fakeClock();
 *   const server = new Server({ clock: time.clock });
 *   time.advance(1000);
 *
 * @module
 */

/** 2030-01-01T00:00:00Z: a start far from 0, so "after 0" and sign issues stay out of the way. */
export const T0 = Date.UTC(2030, 0, 1);

/**
 * @param {number} [start] first value of the clock, in ms since the epoch
 * @returns {{ clock: () => number, now: () => number, advance: (ms: number) => number, set: (ms: number) => void }}
 */
export function fakeClock(start = T0) {
  let t = start;
  return {
    clock: () => t,
    now: () => t,
    advance(ms) {
      t += ms;
      return t;
    },
    set(ms) {
      t = ms;
    },
  };
}
