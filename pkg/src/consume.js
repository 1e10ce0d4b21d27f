/**
 * The worker loop, `consume(receiver, handler, options)`, for any queue that
 * speaks the small interface both `Server` and `Mailbox` provide:
 *
 *   fetchBatch(receiver, { max, lease, wait, signal }) -> message[]   (or fetchLatest -> message | null)
 *   extend(mid, lid, { lease }) -> { leasedUntil }
 *   ack(mid, lid, "confirmed" | "rejected")
 *
 * It long-polls, runs `handler(message)` for up to `concurrency` messages at
 * once, renews each lease at half its remaining time while the handler runs,
 * confirms when the handler resolves and rejects when it throws (so the
 * server's `retryBackoff` and `maxDeliveries` apply). Time is read from the
 * injected `clock` and waited on with the injected `timers` only, so tests
 * drive it with a fake clock.
 *
 * @module
 */
import { waitOf } from "../pandora_mq.js";
import { PandoraError } from "./error.js";
import { intoWasm } from "./wasm-call.js";
import { tables } from "./tables.js";

/** Pause after an empty reply that came back before `wait` had passed (a server that cannot wait), doubled up to the max. */
const POLL_BACKOFF = { initial: 100, max: 5_000 };
/** The lease a consumer takes when none is named (renewed while the handler runs, so short is safe): as SQS's visibility timeout. */
const DEFAULT_LEASE = "30s";

/**
 * Checks the options once, so a mistake throws at the call, not later in the loop.
 * @param {Record<string, any>} options
 */
function settings(options) {
  const known = new Set(["concurrency", "lease", "wait", "signal", "onError", "clock", "timers"]);
  for (const name of Object.keys(options)) {
    if (!known.has(name)) throw new PandoraError("bad_request", `unknown consume option ${JSON.stringify(name)}`);
  }
  const { maxWait, maxBatch } = tables().limits;
  const { concurrency = 1, lease = DEFAULT_LEASE, wait = maxWait, signal, onError, clock = Date.now, timers } = options;
  // At most as many handlers as one fetchBatch can fill.
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > maxBatch) {
    throw new PandoraError("bad_request", `concurrency must be a whole number from 1 to ${maxBatch}, got ${String(concurrency)}`);
  }
  if (signal !== undefined && typeof signal?.addEventListener !== "function") {
    throw new PandoraError("bad_request", "signal must be an AbortSignal");
  }
  if (onError !== undefined && typeof onError !== "function") throw new PandoraError("bad_request", "onError must be a function");
  if (typeof clock !== "function") throw new PandoraError("bad_request", "clock must be a function returning ms");
  const host = timers ?? { setTimeout: globalThis.setTimeout.bind(globalThis), clearTimeout: globalThis.clearTimeout.bind(globalThis) };
  if (typeof host.setTimeout !== "function" || typeof host.clearTimeout !== "function") {
    throw new PandoraError("bad_request", "timers must be { setTimeout, clearTimeout } functions");
  }
  return { concurrency, lease, wait, waitMs: intoWasm(() => waitOf(wait)), signal, onError, clock, timers: host };
}

/**
 * The queue's fetch of up to `max` messages: `fetchBatch` where the queue has
 * it, else one message by `fetchLatest`.
 * @param {any} queue
 */
function fetcherOf(queue) {
  if (typeof queue.fetchBatch === "function") {
    return (/** @type {string} */ receiver, /** @type {object} */ o) => queue.fetchBatch(receiver, o);
  }
  return async (/** @type {string} */ receiver, /** @type {any} */ { lease, wait, signal }) => {
    const message = await queue.fetchLatest(receiver, { lease, wait, signal });
    return message === null ? [] : [message];
  };
}

/**
 * Starts consuming `receiver`. Returns at once; `done` settles when the loop
 * has stopped and every handler it started has finished.
 *
 * Errors of the loop itself (a fetch, extend or ack that fails: storage,
 * network, a lease lost) go to `onError(error, { phase, message })` and the
 * loop goes on (a failed fetch is retried after a pause); without `onError`
 * the first one stops the loop like `stop()` and `done` rejects with it.
 * A handler that throws is not a loop error: its message is rejected.
 *
 * @param {any} queue a `Server` or `Mailbox`
 * @param {string} receiver
 * @param {(message: any) => unknown} handler
 * @param {Record<string, any>} [options]
 * @returns {{ stop(): void, done: Promise<void> }}
 */
export function consume(queue, receiver, handler, options = {}) {
  if (typeof handler !== "function") throw new PandoraError("bad_request", "handler must be a function");
  const o = settings(options);
  const fetchSome = fetcherOf(queue);

  let stopped = false;
  /** @type {unknown} */
  let failure;
  let failed = false;
  /** Handlers running, with their extend and ack. */
  const running = new Set();
  /** Wakes the loop when a slot frees up or stop() is called. */
  let nudge = () => {};
  /** Cancels the loop's current pause. */
  let cancelPause = () => {};

  /** Ends the poll under way at stop(): no message is leased after it. */
  const polling = new AbortController();

  const stop = () => {
    stopped = true;
    polling.abort();
    nudge();
    cancelPause();
  };
  if (o.signal?.aborted) stopped = true;
  o.signal?.addEventListener("abort", stop, { once: true });

  /** Reports a loop error; true when the loop may go on. */
  const report = (/** @type {unknown} */ error, /** @type {object} */ context) => {
    const err = PandoraError.from(error);
    if (o.onError) {
      try {
        o.onError(err, context);
        return true;
      } catch (thrown) {
        error = thrown; // an onError that throws ends the loop with its own error
      }
    }
    if (!failed) {
      failed = true;
      failure = o.onError ? error : err;
    }
    stop();
    return false;
  };

  /** Resolves after `ms` on the injected timers, or at once when stop() is called. */
  const pause = (/** @type {number} */ ms) => new Promise((resolve) => {
    const timer = o.timers.setTimeout(resolve, ms);
    cancelPause = () => {
      o.timers.clearTimeout(timer);
      resolve(undefined);
    };
  });

  /** Resolves once fewer than `concurrency` handlers run, or stop() is called. */
  const slotFree = () => new Promise((resolve) => {
    nudge = () => resolve(undefined);
    if (stopped || running.size < o.concurrency) resolve(undefined);
  });

  /**
   * Runs the handler on one leased message, renewing its lease meanwhile, then acks it.
   * @param {any} message
   */
  const work = async (message) => {
    const { mid, lid } = message;
    /** @type {unknown} */
    let timer;
    /** @type {Promise<void> | null} */
    let extending = null;
    let settled = false;
    const renewAt = (/** @type {number} */ leasedUntil) => {
      const ms = Math.max(0, (leasedUntil - o.clock()) / 2);
      timer = o.timers.setTimeout(() => {
        extending = (async () => {
          try {
            const { leasedUntil: until } = await queue.extend(mid, lid, { lease: o.lease });
            if (!settled) renewAt(until);
          } catch (error) {
            // After the handler has settled a failed renewal no longer matters: the ack decides.
            if (!settled) report(error, { phase: "extend", message });
          }
        })();
      }, ms);
    };
    renewAt(message.leasedUntil);
    let status = "confirmed";
    try {
      await handler(message);
    } catch {
      status = "rejected";
    }
    settled = true;
    o.timers.clearTimeout(timer);
    await extending;
    try {
      await queue.ack(mid, lid, status);
    } catch (error) {
      report(error, { phase: "ack", message });
    }
  };

  const start = (/** @type {any} */ message) => {
    const task = work(message).finally(() => {
      running.delete(task);
      nudge();
    });
    running.add(task);
  };

  const loop = async () => {
    let backoff = 0;
    while (!stopped) {
      await slotFree();
      if (stopped) break;
      const asked = o.clock();
      let batch;
      try {
        batch = await fetchSome(receiver, { max: o.concurrency - running.size, lease: o.lease, wait: o.wait, signal: polling.signal });
      } catch (error) {
        if (!report(error, { phase: "fetch" })) break;
        backoff = nextBackoff(backoff);
        await pause(backoff);
        continue;
      }
      // stop() ended the poll's wait; a message its fetch had leased already is still handled: it is ours.
      for (const message of batch) start(message);
      if (stopped) break;
      if (batch.length > 0) {
        backoff = 0;
      } else if (o.waitMs === 0 || o.clock() - asked < o.waitMs) {
        // Empty before the wait was up (this server does not long-poll) or no wait asked: poll with back-off.
        backoff = nextBackoff(backoff);
        await pause(backoff);
      }
    }
    while (running.size > 0) await Promise.all([...running]);
    o.signal?.removeEventListener("abort", stop);
    if (failed) throw failure;
  };

  return { stop, done: loop() };
}

/** @param {number} previous */
function nextBackoff(previous) {
  return previous === 0 ? POLL_BACKOFF.initial : Math.min(POLL_BACKOFF.max, previous * 2);
}
