/**
 * Deno KV storage (`await Deno.openKv(path)`): ordered keys, atomic writes.
 *
 * Each contract key is one string part under a namespace part, `[ns, key]`;
 * Deno KV orders string parts by their UTF-8 bytes, so ranges come back in
 * the contract's bytewise order. A `write` is one `kv.atomic()` commit: all
 * or nothing. Deno KV caps one atomic commit (`DENO_KV_LIMITS`); a write
 * beyond a cap is refused as a whole before anything is sent, with an error
 * naming the cap, and nothing of it is written. The storage declares the
 * caps (`writeLimit`), so the Server splits its bulk operations (`purge`,
 * `redrive`, `reenqueue`) into commits that fit; what one message needs
 * fits unless the Server's `maxSize` or a mailbox name is near a cap.
 *
 * `exclusive` holds across processes without a lock, the way Deno KV is
 * meant to be shared: optimistically. Every commit also bumps one key of the
 * namespace, its clock (`[ns]`, outside every `[ns, key]` range). A section
 * knows where the clock stood before its first read (this storage's own
 * last commit, else it reads the clock first), and its write commits only if
 * the clock is still there (`check` on its versionstamp); a section that
 * ends without writing what it last read checks the clock once more. If
 * anything else committed in between, in this process or another, nothing
 * is written and the whole operation runs again on what is there now, after
 * a short random pause, for up to 30 s. A local file that another process is writing ("database is locked")
 * counts the same way. So sections commit as if one ran at a time, and two
 * processes on one KV file never deliver a message twice. Within a process,
 * sections also queue, one per `Deno.Kv`, so they never collide there.
 * Long polls: given the KV file's `path`, a commit in another process wakes
 * this one's waiters (file-wake.js: the file's WAL changes, and the clock
 * moved by more than this process's own commits). Without it a waiter finds
 * what another process sent when its wait ends.
 *
 * @module
 */

import { validateBatch } from "./memory.js";
import { fileWake } from "./file-wake.js";

/**
 * What Deno KV accepts in one atomic commit (Deno 1.x and 2.x): keys and
 * values are sized as Deno encodes them (a string key part is its UTF-8
 * bytes plus 2, a NUL counting twice; a Uint8Array value its length).
 */
export const DENO_KV_LIMITS = Object.freeze({
  mutations: 1000,
  keyBytes: 2048,
  valueBytes: 65_536,
  totalKeyBytes: 81_920,
  totalBytes: 819_200,
});

/** Above every ASCII key. */
const PAST_ASCII = "\u0080";

/** The one operation queue of each Deno.Kv, whichever storage over it asks. */
const queues = new WeakMap();

/**
 * How long a section that other commits keep overtaking runs again, by
 * default, before the operation fails with a `storage` error; each retry
 * first waits a random 0 … 2^attempt ms (at most `MAX_PAUSE_MS`), so
 * colliding processes drift apart.
 */
const RETRY_FOR_MS = 30_000;
const MAX_PAUSE_MS = 250;

/** Thrown by a write that another commit overtook: nothing was written. */
const OVERTAKEN = "denoKvStorage: another commit came first; nothing was written";

/**
 * True for the error a local KV file gives while another process holds its
 * write lock (SQLite's SQLITE_BUSY, which Deno does not wait out): the call
 * did nothing, like a commit overtaken.
 * @param {unknown} err
 */
const isBusy = (err) => /database is (locked|busy)/i.test(String(/** @type {any} */ (err)?.message));

/**
 * The size Deno KV gives a string key part.
 * @param {string} part
 */
function partSize(part) {
  const bytes = new TextEncoder().encode(part);
  return bytes.reduce((n, b) => n + (b === 0 ? 2 : 1), 2);
}

/**
 * Refuses, before anything is sent, a commit Deno KV would refuse.
 * @param {Map<string, Uint8Array | null>} last the batch, one entry per key
 * @param {number} overhead what the namespace part adds to each key
 */
function checkLimits(last, overhead, clock) {
  const L = DENO_KV_LIMITS;
  const refuse = (/** @type {string} */ why) => {
    throw new RangeError(`denoKvStorage: ${why}; nothing was written`);
  };
  // The clock's bump is one more mutation, and its key counts twice (bump and check).
  if (last.size + 1 > L.mutations) refuse(`a batch of ${last.size} keys exceeds Deno KV's ${L.mutations} mutations per atomic write`);
  let keyBytes = clock.keyBytes;
  let bytes = clock.bytes;
  for (const [key, value] of last) {
    const size = overhead + key.length; // keys are ASCII: a byte each
    if (size > L.keyBytes) refuse(`a key of ${size} bytes exceeds Deno KV's ${L.keyBytes} per key (a mailbox name that long)`);
    if (value !== null && value.length > L.valueBytes) {
      refuse(`a value of ${value.length} bytes exceeds Deno KV's ${L.valueBytes} per value (a message that big: keep the Server's maxSize below it)`);
    }
    keyBytes += size;
    bytes += size + (value?.length ?? 0);
  }
  if (keyBytes > L.totalKeyBytes) refuse(`the keys of one write add up to ${keyBytes} bytes, over Deno KV's ${L.totalKeyBytes} per atomic write (long mailbox names: fewer messages per batch)`);
  if (bytes > L.totalBytes) refuse(`one write adds up to ${bytes} bytes, over Deno KV's ${L.totalBytes} per atomic write (fewer or smaller messages per batch)`);
}

/**
 * @param {any} kv a `Deno.Kv`
 * @param {{ namespace?: string, path?: string, retryFor?: number }} [options] `namespace`: first
 *   key part, so several queues can share one KV (default "pandora"); `path`: the file `kv` was
 *   opened on, so that other processes' commits wake this one's long polls; `retryFor`: ms an
 *   operation that other commits keep overtaking is run again before it fails (default 30 s)
 */
export function denoKvStorage(kv, { namespace = "pandora", path, retryFor = RETRY_FOR_MS } = {}) {
  if (typeof kv?.atomic !== "function" || typeof kv?.list !== "function") throw new TypeError("denoKvStorage needs a Deno.Kv (await Deno.openKv())");
  if (!queues.has(kv)) queues.set(kv, { tail: Promise.resolve() });
  /** @type {{ tail: Promise<unknown> }} */
  const queue = queues.get(kv);
  // What the namespace part adds to each key's size.
  const overhead = partSize(namespace) + 2;
  // Every commit bumps the namespace's clock and checks it: what that adds to
  // the commit's keys (the key twice) and bytes (and the 8-byte counter).
  const clockKey = [namespace];
  const clock = { keyBytes: 2 * partSize(namespace), bytes: 2 * partSize(namespace) + 8 };

  /**
   * The running section of this storage: the clock's versionstamp before its
   * first read (a promise, read once), whether it read since its last commit
   * (what it read then is checked at its end), and whether it was overtaken.
   * @typedef {{ clock: Promise<string | null> | null, unchecked: boolean, overtaken: boolean }} Section
   * @type {Section | null}
   */
  let section = null;
  /**
   * The clock's versionstamp as this storage last saw it (its own last
   * commit, or a read), or undefined. A section starts from it without
   * reading the clock: every read comes after that commit, so if the clock
   * still stands there at the write, nothing came between. If something did,
   * the write is overtaken and the section runs again, reading the clock.
   * @type {string | null | undefined}
   */
  let lastClock;

  /**
   * Whether what `mine` read since its last commit is still what is there:
   * the clock has not moved since (a section that writes nothing, or fails
   * before its write, would otherwise act on reads that straddle another
   * process's commit, as a corrupt store).
   * @param {Section} mine
   */
  async function stillCurrent(mine) {
    if (!mine.unchecked || mine.clock === null) return true;
    try {
      return (await kv.get(clockKey)).versionstamp === (await mine.clock);
    } catch (err) {
      if (isBusy(err)) return false;
      throw err;
    }
  }

  /**
   * Runs one call of the section; a busy file marks the section overtaken,
   * so it runs again rather than failing.
   * @template T
   * @param {Promise<T>} call
   * @returns {Promise<T>}
   */
  async function busyRetried(call) {
    const mine = section;
    try {
      return await call;
    } catch (err) {
      if (mine && isBusy(err)) {
        lastClock = undefined;
        mine.overtaken = true;
      }
      throw err;
    }
  }

  /** Reads the clock first when this is the section's first read. */
  function clockFirst() {
    if (section && section.clock === null) section.clock = kv.get(clockKey).then((/** @type {any} */ e) => (lastClock = e.versionstamp));
    return section?.clock;
  }

  /** @param {string} key */
  async function getRow(key) {
    let entry;
    if (section) section.unchecked = true;
    if (section && section.clock === null) {
      // The section's first read: the clock and the row in one snapshot.
      const both = kv.getMany([clockKey, [namespace, key]]);
      section.clock = both.then((/** @type {any[]} */ [c]) => (lastClock = c.versionstamp));
      entry = (await both)[1];
    } else {
      await clockFirst();
      entry = await kv.get([namespace, key]);
    }
    return entry.value === null ? undefined : new Uint8Array(entry.value);
  }

  /** @param {{ prefix: string, start?: string, limit?: number }} o */
  async function listRows({ prefix, start, limit }) {
    if (typeof prefix !== "string") throw new TypeError("list: prefix must be a string");
    if (limit === 0) return [];
    const from = start !== undefined && start > prefix ? start : prefix;
    const end = prefix + PAST_ASCII;
    if (from >= end) return []; // Deno KV refuses a range that ends before it starts
    if (section) section.unchecked = true;
    await clockFirst();
    const out = [];
    const iter = kv.list({ start: [namespace, from], end: [namespace, end] }, limit === undefined ? {} : { limit });
    for await (const entry of iter) out.push([entry.key[1], new Uint8Array(entry.value)]);
    return out;
  }

  /** @param {[string, Uint8Array | null][]} batch */
  async function writeRows(batch) {
    validateBatch(batch);
    // One mutation per key: the last entry for a key wins.
    /** @type {Map<string, Uint8Array | null>} */
    const last = new Map();
    for (const [key, value] of batch) last.set(key, value);
    checkLimits(last, overhead, clock);
    const mine = section;
    const op = kv.atomic();
    // A section that read something commits only on the state it read.
    if (mine?.clock) op.check({ key: clockKey, versionstamp: await mine.clock });
    for (const [key, value] of last) {
      if (value === null) op.delete([namespace, key]);
      else op.set([namespace, key], new Uint8Array(value));
    }
    op.sum(clockKey, 1n);
    // Counted before it lands, so the wake-up's check never takes it for another's
    // (a commit that fails is then one wake-up for nothing, never a missed one).
    ownCommits++;
    let result;
    try {
      result = await op.commit();
    } catch (err) {
      ownCommits--;
      throw err;
    }
    if (!result.ok) {
      ownCommits--;
      lastClock = undefined;
      if (mine) mine.overtaken = true;
      throw new Error(OVERTAKEN);
    }
    lastClock = result.versionstamp;
    if (mine) {
      // A later write of the same section (a bulk operation's next chunk) builds on this one.
      mine.clock = Promise.resolve(result.versionstamp);
      mine.unchecked = false;
    }
  }

  // The clock counts commits: it moved by more than this storage's own since
  // it last looked, so another connection committed.
  let ownCommits = 0;
  /** @type {bigint | undefined} */
  let counted;
  const wake = fileWake(typeof path === "string" && path !== ":memory:" ? `${path}-wal` : null, {
    start() {},
    async changed() {
      const now = (await kv.get(clockKey)).value?.value ?? 0n;
      const moved = counted === undefined || now !== counted + BigInt(ownCommits);
      counted = now;
      ownCommits = 0;
      return moved;
    },
  });

  return {
    writeLimit: {
      keys: DENO_KV_LIMITS.mutations - 1,
      keyBytes: DENO_KV_LIMITS.totalKeyBytes - clock.keyBytes,
      bytes: DENO_KV_LIMITS.totalBytes - clock.bytes,
      keyOverhead: overhead,
    },

    /** @param {string} key */
    get: (key) => busyRetried(getRow(key)),
    /** @param {{ prefix: string, start?: string, limit?: number }} o */
    list: (o) => busyRetried(listRows(o)),
    /** @param {[string, Uint8Array | null][]} batch */
    write: (batch) => busyRetried(writeRows(batch)),

    /**
     * Runs `fn` as a section (see the module's comment), again while another
     * commit overtakes it.
     * @template T
     * @param {() => Promise<T>} fn
     * @returns {Promise<T>}
     */
    exclusive(fn) {
      const run = queue.tail.then(async () => {
        const giveUp = Date.now() + retryFor;
        for (let attempt = 1; ; attempt++) {
          /** @type {Section} */
          const mine = { clock: lastClock === undefined ? null : Promise.resolve(lastClock), unchecked: false, overtaken: false };
          section = mine;
          /** @type {{ value: T } | { error: unknown }} */
          let outcome;
          try {
            outcome = { value: await fn() };
          } catch (error) {
            outcome = { error };
          } finally {
            section = null;
          }
          if (!mine.overtaken && !(await stillCurrent(mine))) {
            lastClock = undefined;
            mine.overtaken = true;
          }
          if (!mine.overtaken) {
            if ("error" in outcome) throw outcome.error;
            return outcome.value;
          }
          if (Date.now() > giveUp) {
            const cause = "error" in outcome ? outcome.error : undefined;
            throw new Error(`denoKvStorage: overtaken by other commits ${attempt} times in ${retryFor} ms; what was overtaken committed nothing`, { cause });
          }
          await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, MAX_PAUSE_MS)));
        }
      });
      queue.tail = run.catch(() => {});
      return run;
    },

    subscribe: wake.subscribe,

    close() {
      wake.close();
      return queue.tail.then(() => kv.close());
    },
  };
}
