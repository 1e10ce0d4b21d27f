/**
 * Rows a storage knows without asking its database: what it read or wrote
 * itself while it held the lock that every writer of that database takes
 * (the IndexedDB storage's Web Lock). While the lock is held no one else can
 * change a row, so a row read or written earlier in the same hold is still
 * what the database holds, and the next operation can skip that read: an
 * ack reads back the record and delivery entry its fetch just wrote. The
 * owner clears everything when the hold ends, when a write fails, and when
 * anything it cannot see may have changed the database.
 *
 * Two kinds of knowledge, both kept exact by every write the owner commits:
 * - single rows (`rows`): a key's value, or `null` when it is known absent;
 * - complete spans (`spans`): key ranges `[lo, hi]` whose every present row
 *   is in `rows`, learnt from a list that read the whole range (a list asks
 *   for a few rows more than its caller wants, so the following lists of a
 *   walk, e.g. the send's sweep, are answered from memory).
 *
 * Values handed out are copies, so no caller can change what is kept.
 *
 * @module
 */

/** Beyond this many bytes of values (or rows) the owner forgets everything. */
const MAX_BYTES = 4 * 1024 * 1024;
const MAX_ROWS = 4096;

export function knownRows() {
  /** @type {Map<string, Uint8Array | null>} */
  let rows = new Map();
  /** @type {{ lo: string, hi: string }[]} */
  let spans = [];
  let bytes = 0;
  // Bumped by every clear: a read or write that started before it reports
  // what it saw too late to be noted (see `noter`).
  let generation = 0;

  function clear() {
    rows = new Map();
    spans = [];
    bytes = 0;
    generation += 1;
  }

  /** @param {string} key @param {Uint8Array | null} value */
  function set(key, value) {
    const old = rows.get(key);
    if (old) bytes -= old.byteLength;
    rows.set(key, value);
    if (value) bytes += value.byteLength;
  }

  function trim() {
    if (bytes > MAX_BYTES || rows.size > MAX_ROWS) clear();
  }

  /** @param {string} key */
  const inSpan = (key) => spans.some((s) => s.lo <= key && key <= s.hi);

  const known = {
    clear,

    /**
     * @param {string} key
     * @returns {{ value: Uint8Array | undefined } | null} null when unknown
     */
    get(key) {
      const value = rows.get(key);
      if (value !== undefined) return { value: value === null ? undefined : value.slice() };
      return inSpan(key) ? { value: undefined } : null;
    },

    /**
     * The present rows with lower <= key <= upper, ascending, at most `limit`,
     * or null when what is known cannot tell.
     * @param {string} lower
     * @param {string} upper
     * @param {number | undefined} limit
     * @returns {[string, Uint8Array][] | null}
     */
    list(lower, upper, limit) {
      const span = spans.find((s) => s.lo <= lower && lower <= s.hi);
      if (!span) return null;
      const top = span.hi < upper ? span.hi : upper;
      // The first `limit` keys in order (kept sorted while scanning: a walk
      // asks for a few rows of a span that may hold thousands).
      /** @type {[string, Uint8Array][]} */
      const page = [];
      let inside = 0;
      for (const [key, value] of rows) {
        if (!value || key < lower || key > top) continue;
        inside += 1;
        if (limit === undefined) {
          page.push([key, value]); // all of them: sorted once below
          continue;
        }
        if (page.length === limit && key > page[limit - 1][0]) continue;
        let at = page.length;
        while (at > 0 && page[at - 1][0] > key) at -= 1;
        page.splice(at, 0, [key, value]);
        if (page.length > limit) page.pop();
      }
      if (limit === undefined) page.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      // Enough rows inside the span, or the span reaches the end of the range.
      if (span.hi < upper && (limit === undefined || inside < limit)) return null;
      return page.map(([key, value]) => [key, value.slice()]);
    },

    /** A get's answer. @param {string} key @param {Uint8Array | undefined} value */
    noteGet(key, value) {
      set(key, value === undefined ? null : value.slice());
      trim();
    },

    /**
     * A list's answer: the rows lower <= key <= upper, up to `limit`; fewer
     * than `limit` (or no limit) means the range held no more.
     * @param {string} lower
     * @param {string} upper
     * @param {number | undefined} limit
     * @param {[string, Uint8Array][]} entries ascending
     */
    noteList(lower, upper, limit, entries) {
      for (const [key, value] of entries) set(key, value.slice());
      const whole = limit === undefined || entries.length < limit;
      let span = { lo: lower, hi: whole ? upper : entries[entries.length - 1][0] };
      // Two complete spans that overlap make one: a walk or a run of fetches
      // that read on past what it knew extends its span instead of leaving a
      // shorter one behind that `list` would find first and find too short.
      const apart = spans.filter((s) => s.hi < span.lo || span.hi < s.lo);
      for (const s of spans) {
        if (apart.includes(s)) continue;
        span = { lo: s.lo < span.lo ? s.lo : span.lo, hi: s.hi > span.hi ? s.hi : span.hi };
      }
      spans = [...apart, span];
      // Older spans are rarely asked again; a handful keeps lookups cheap.
      if (spans.length > 8) spans.shift();
      trim();
    },

    /**
     * A committed write, with values no one changes any more (kept as they are).
     * @param {[string, Uint8Array | null][]} batch
     */
    noteWrite(batch) {
      for (const [key, value] of batch) set(key, value);
      trim();
    },

    /**
     * The rows as they are now, for one read or write: its notes are dropped
     * if the rows were cleared meanwhile (e.g. the hold ended while a read
     * its section did not wait for was still on its way).
     */
    noter() {
      const at = generation;
      const live = () => generation === at;
      return {
        get: known.get,
        list: known.list,
        /** @type {typeof known.noteGet} */
        noteGet: (key, value) => live() && known.noteGet(key, value),
        /** @type {typeof known.noteList} */
        noteList: (lower, upper, limit, entries) => live() && known.noteList(lower, upper, limit, entries),
        /** @type {typeof known.noteWrite} */
        noteWrite: (batch) => live() && known.noteWrite(batch),
      };
    },
  };
  return known;
}
