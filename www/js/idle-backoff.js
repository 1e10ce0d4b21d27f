// Polling a remote server that slows down while nothing changes: each poll
// that sees the same state as the one before doubles the gap to the next
// (in ticks of the poll timer, up to `maxTicks`); a change, or anything the
// user does, brings it back to every tick. An idle demo tab then asks a
// shared server a few times a minute instead of twice a second, and still
// shows another client's send within `maxTicks` ticks.

/** @param {{ maxTicks: number }} options */
export function idleBackoff({ maxTicks }) {
  let every = 1;
  let waited = 0;
  let last = null;
  return {
    /** Whether this tick polls; the ticks in between are skipped. */
    due() {
      if (++waited < every) return false;
      waited = 0;
      return true;
    },
    /** After a poll, with what it saw (anything JSON can encode). */
    saw(state) {
      const key = JSON.stringify(state);
      every = key === last ? Math.min(every * 2, maxTicks) : 1;
      last = key;
    },
    /** Something happened (a user action, another receiver): poll at every tick again. */
    reset() {
      every = 1;
      waited = 0;
    },
    /** Ticks from one poll to the next, as it stands. */
    gap: () => every,
  };
}
