/**
 * Long polling for one `Server`: a fetch that finds nothing due sleeps until
 * the mailbox's next due time (the core's `nextDue`) or until a send to that
 * mailbox wakes it, whichever comes first, and gives up at its deadline. It
 * never polls on a schedule: storage is read once per wake-up.
 *
 * Times come from the server's injected clock; only the sleeping uses the
 * host's timers (`timers: { setTimeout, clearTimeout }`, a Server option), so
 * tests move a fake clock and fire fake timers.
 *
 * @module
 */
import { PandoraError } from "./error.js";

/**
 * The host's timers, checked once.
 * @param {{ setTimeout: Function, clearTimeout: Function } | undefined} timers
 */
export function timersOf(timers) {
  if (timers === undefined) {
    return { setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms), clearTimeout: (id) => globalThis.clearTimeout(id) };
  }
  if (typeof timers?.setTimeout !== "function" || typeof timers?.clearTimeout !== "function") {
    throw new PandoraError("bad_request", "timers must be { setTimeout, clearTimeout } functions");
  }
  return timers;
}

/**
 * Who waits on which mailbox, and the wake-ups. A storage shared by several
 * servers (IndexedDB in two tabs) may carry the wake-ups between them with
 * `notify(mailboxes)` and `subscribe(listener) -> unsubscribe`; `null` as
 * the mailboxes means "any".
 */
export class Waiters {
  /** @type {Map<string, Set<() => void>>} */
  #byMailbox = new Map();
  #count = 0;
  #storage;
  /** @type {(() => void) | null} */
  #unsubscribe = null;

  /** @param {object | undefined} storage */
  constructor(storage) {
    this.#storage = storage;
  }

  /**
   * Starts listening for a wake-up of `receiver` (before the fetch, so a send
   * that lands while it runs is not missed).
   * @param {string} receiver
   * @returns {{ woken: Promise<void>, stop(): void }}
   */
  listen(receiver) {
    let wake = () => {};
    const woken = new Promise((resolve) => (wake = resolve));
    let set = this.#byMailbox.get(receiver);
    if (!set) this.#byMailbox.set(receiver, (set = new Set()));
    set.add(wake);
    if (this.#count++ === 0 && typeof this.#storage?.subscribe === "function") {
      this.#unsubscribe = this.#storage.subscribe((mailboxes) => this.#wakeHere(mailboxes));
    }
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      set.delete(wake);
      if (set.size === 0 && this.#byMailbox.get(receiver) === set) this.#byMailbox.delete(receiver);
      if (--this.#count === 0 && this.#unsubscribe) {
        this.#unsubscribe();
        this.#unsubscribe = null;
      }
    };
    return { woken, stop };
  }

  /**
   * Wakes the waiters of `mailboxes` (`null`: every waiter) here and, through
   * the storage, in the other servers sharing it.
   * @param {string[] | null} mailboxes
   */
  wake(mailboxes) {
    // Every send wakes: with nobody waiting here that must cost nothing.
    if (this.#count > 0) this.#wakeHere(mailboxes);
    if (typeof this.#storage?.notify === "function") {
      try {
        this.#storage.notify(mailboxes);
      } catch {
        // A lost wake-up only delays the other server until its next due time or deadline.
      }
    }
  }

  /** @param {string[] | null} mailboxes */
  #wakeHere(mailboxes) {
    const sets = mailboxes === null ? [...this.#byMailbox.values()] : mailboxes.map((m) => this.#byMailbox.get(m));
    for (const set of sets) if (set) for (const wake of set) wake();
  }
}

/**
 * Runs `attempt` until it finds something (`found(result)`), or the clock
 * reaches `now + wait`; in between sleeps until the mailbox's next due time or
 * a wake-up. Resolves to the last attempt's result.
 * @template T
 * @param {object} o
 * @param {string} o.receiver
 * @param {number} o.wait ms, already checked by the core (0 … 20 s)
 * @param {() => number} o.clock
 * @param {() => Promise<T>} o.attempt
 * @param {(result: T) => boolean} o.found
 * @param {() => Promise<number | null>} o.nextDue
 * @param {Waiters} o.waiters
 * @param {{ setTimeout: Function, clearTimeout: Function }} o.timers
 * @param {AbortSignal} [o.signal] ends the wait early: no attempt starts
 *   after it aborted, so a caller who is gone (a client that hung up) leases
 *   nothing; an attempt already under way still returns what it leased
 * @param {T} o.nothing what an attempt that finds nothing returns, for a
 *   signal aborted before the first
 * @returns {Promise<T>}
 */
export async function longPoll({ receiver, wait, clock, attempt, found, nextDue, waiters, timers, signal, nothing }) {
  if (signal?.aborted) return nothing;
  if (!(wait > 0)) return attempt();
  const deadline = clock() + wait;
  for (;;) {
    const listening = waiters.listen(receiver);
    try {
      const result = await attempt();
      if (found(result)) return result;
      let now = clock();
      if (now >= deadline || signal?.aborted) return result;
      const due = await nextDue();
      now = clock();
      const until = due === null ? deadline : Math.min(deadline, due);
      // Due already (another waiter took it, or it was retired): try again at once.
      if (until > now) await sleep(listening.woken, until - now, timers, signal);
      if (signal?.aborted) return result;
    } finally {
      listening.stop();
    }
  }
}

/**
 * Resolves after `ms` on the host's timer, when `woken` resolves, or when
 * `signal` aborts, whichever is first.
 * @param {Promise<void>} woken
 * @param {number} ms
 * @param {{ setTimeout: Function, clearTimeout: Function }} timers
 * @param {AbortSignal} [signal]
 */
function sleep(woken, ms, timers, signal) {
  let timer;
  let aborted = () => {};
  const timeout = new Promise((resolve) => (timer = timers.setTimeout(resolve, ms)));
  const abort = new Promise((resolve) => (aborted = () => resolve(undefined)));
  signal?.addEventListener("abort", aborted, { once: true });
  return Promise.race([woken, timeout, abort]).finally(() => {
    timers.clearTimeout(timer);
    signal?.removeEventListener("abort", aborted);
  });
}

/**
 * `signal` as given, when it is one.
 * @param {unknown} signal
 * @returns {AbortSignal | undefined}
 */
export function signalOf(signal) {
  if (signal === undefined) return undefined;
  const s = /** @type {any} */ (signal);
  if (typeof s?.aborted !== "boolean" || typeof s.addEventListener !== "function" || typeof s.removeEventListener !== "function") {
    throw new PandoraError("bad_request", "signal must be an AbortSignal");
  }
  return s;
}
