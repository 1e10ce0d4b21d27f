/**
 * The queue in-process: `Server`, a JavaScript face over the wasm core.
 *
 * It keeps only what must be JS: it reads the injected `clock` once per
 * operation, runs operations inside the storage's `exclusive` lock, turns a
 * `Request` into parts and back, and shapes the core's flat replies into
 * objects. Every option and argument is checked by the core.
 *
 * @module
 */
import { Pending, WasmServer, waitOf } from "../pandora_mq.js";
import { PandoraError } from "./error.js";
import { bodyObject, flatFields } from "./body.js";
import { handleParts, requestParts, responseOf } from "./http.js";
import { tables } from "./tables.js";
import { finish, intoWasm } from "./wasm-call.js";
import { Waiters, longPoll, signalOf, timersOf } from "./long-poll.js";
import { FETCH_BATCH_OPTIONS, FETCH_OPTIONS, SEND_INPUT, known } from "./known-options.js";
import { consume } from "./consume.js";
import { KnownMailboxes } from "./known-mailboxes.js";

/** Rethrows any failure of an operation as a PandoraError. */
const refused = (e) => {
  throw PandoraError.from(e);
};
/** `[code, message]` per item of the core's ackBatch reply, or `null` for a success. */
const ackResult = (failure) => (failure === null ? { ok: true } : { ok: false, code: failure[0], message: failure[1] });
/** The reply to a long poll whose client left before it started: nobody reads it. */
const NOBODY_THERE = [204, [], new Uint8Array(0)];
// An HTTP fetch found nothing: 204, or `[]` for a fetch with `max`.
const emptyReply = ([status, , bytes]) => status === 204 || (status === 200 && bytes.length === 2 && bytes[0] === 0x5b && bytes[1] === 0x5d);

/** A message row (see `tables().messageRow`) as an object. */
function messageFrom(row, withDelivery) {
  const { row: at, statusNames } = tables();
  const statusCode = row[at.statusCode];
  const message = {
    mid: row[at.mid], status: statusNames[statusCode], statusCode, sender: row[at.sender], receiver: row[at.receiver],
    receivedAt: row[at.receivedAt], sendWhen: row[at.sendWhen], leasedUntil: row[at.leasedUntil],
    visibleAt: row[at.visibleAt], deliveryCount: row[at.deliveryCount], clientTime: row[at.clientTime],
  };
  if (withDelivery) {
    const body = row[at.body];
    message.lid = row[at.lid];
    message.validBody = body !== null;
    message.body = body === null ? {} : bodyObject(body);
  } else {
    message.leased = row[at.leased];
  }
  return message;
}

/**
 * A persistent mailbox queue.
 *
 * ```js
 * const server = new Server();                      // built-in in-memory storage
 * const { mid } = await server.send({ sender: "a@x", receiver: "b@x", body: { topic: "hi" } });
 * const msg = await server.fetchLatest("b@x", { lease: "30s" });
 * await server.ack(msg.mid, msg.lid, "confirmed");
 * ```
 */
export class Server {
  #core;
  #clock;
  #exclusive;
  #mailboxLocks;
  #known = new KnownMailboxes();
  #timers;
  #waiters;

  /**
   * @param {object} [options] all checked by the core; names and defaults in `tables().defaults`
   * @param {object} [options.storage] `{ get, list, write, exclusive? }`; default: built-in memory
   * @param {() => number} [options.clock] current time in ms; default `Date.now`
   * @param {(bytes: Uint8Array) => void} [options.random] fills bytes; default `crypto.getRandomValues`
   * @param {number} [options.maxSize] largest encoded body in bytes (4096)
   * @param {number|string} [options.defaultLease] lease when a fetch names none ("5m")
   * @param {number|string} [options.maxDelay] longest delay ("720h")
   * @param {number|string} [options.dedupeWindow] how long after its first send a body still deduplicates, even once confirmed ("5m", as SQS FIFO)
   * @param {string} [options.lidPrefix] issuer tag put in front of every lock id
   * @param {number} [options.maxDeliveries] deliveries after which a rejected or timed-out message is dead (0: unlimited)
   * @param {{ initial: number|string, max?: number|string, factor?: number }} [options.retryBackoff]
   *   delay before a rejected or timed-out message is due again when the ack names none (default: at once)
   * @param {number|string} [options.retention] longest a message stays pending, whatever its ttl (0: forever)
   * @param {{ setTimeout: Function, clearTimeout: Function }} [options.timers] what a long poll sleeps on
   *   (default: the host's); deadlines always follow `clock`
   * @param {boolean} [options.admin] serve the admin routes over HTTP (false)
   * @param {string} [options.token] require `Authorization: Bearer <token>` over HTTP (full access)
   * @param {Record<string, string>} [options.signingKeys] `{ [kid]: secret }`: accept scoped tokens (`mintToken`) signed by these
   * @param {number} [options.headersPage] `admin/headers` page size when a request names no limit (10, at most 100)
   */
  constructor(options = {}) {
    const { storage, clock = Date.now } = options;
    if (typeof clock !== "function") throw new PandoraError("bad_request", "clock must be a function returning ms");
    this.#clock = clock;
    this.#exclusive = typeof storage?.exclusive === "function" ? storage.exclusive.bind(storage) : null;
    // `exclusive(fn, mailbox)` excludes only that mailbox's operations (PostgreSQL).
    this.#mailboxLocks = this.#exclusive !== null && storage.mailboxLocks === true;
    this.#timers = timersOf(options.timers);
    this.#waiters = new Waiters(storage ?? undefined);
    this.#core = intoWasm(() => new WasmServer(options));
  }

  // A clock that returns NaN or a string would otherwise become time 0 inside the core.
  #now() {
    const now = this.#clock();
    // ±8.64e15 ms is the range of a JS Date; beyond it no time is meaningful.
    if (typeof now !== "number" || !Number.isFinite(now) || Math.abs(now) > 8.64e15) {
      throw new PandoraError("bad_request", `clock() must return ms within the Date range, got ${String(now)}`);
    }
    return now;
  }

  // Every operation runs inside the storage's lock when it has one (IndexedDB
  // shared by tabs), so two servers on one database never interleave. A store
  // with `mailboxLocks` is told the one mailbox whose keys the operation
  // writes (`mailbox`), or null for one that may touch several: the lock of
  // the whole store. The core's sweep keeps to the operation's own mailbox there.
  // Without a lock, an operation that finished at once (the built-in store)
  // returns its result, not a Promise: every method awaits it anyway, and each
  // extra Promise layer costs a visible share of a call. Failures throw or
  // reject as PandoraError either way; the methods are async, so callers see rejections.
  #run(op, mailbox = null) {
    if (this.#exclusive) return this.#locked(op, mailbox);
    let result;
    try {
      result = intoWasm(() => op(this.#now()));
    } catch (e) {
      refused(e);
    }
    return result instanceof Pending ? finish(result).catch(refused) : result;
  }

  async #locked(op, mailbox) {
    const task = () => finish(intoWasm(() => op(this.#now())));
    try {
      return await (this.#mailboxLocks ? this.#exclusive(task, mailbox) : this.#exclusive(task));
    } catch (e) {
      refused(e);
    }
  }

  // The one mailbox of the messages `mids` (the lock an ack or extend needs),
  // or null (the whole store's lock) when they span several, one is unknown,
  // or the store has one lock anyway. A mid's receiver never changes, so it
  // is read before the lock is taken.
  async #mailboxOfMids(mids) {
    if (!this.#mailboxLocks || mids.length === 0) return null;
    let found = null;
    for (const mid of new Set(mids)) {
      let mailbox = this.#known.get(mid);
      if (mailbox === undefined) {
        try {
          mailbox = await finish(intoWasm(() => this.#core.mailboxOf(mid)));
        } catch (e) {
          throw PandoraError.from(e);
        }
        if (mailbox !== null) this.#known.note(mid, mailbox);
      }
      if (mailbox === null || (found !== null && mailbox !== found)) return null;
      found = mailbox;
    }
    return found;
  }

  /**
   * Enqueues a message. Resolves to `{ mid, duplicate }`; `duplicate` is true
   * when an identical message (same fields and clientTime) is pending, or was
   * first sent less than the dedupe window ago, and nothing new was enqueued.
   */
  async send(input = {}) {
    const { sender, receiver, delay, clientTime, ttl, body } = known(input, "send", SEND_INPUT);
    const fields = flatFields(body);
    const to = String(receiver ?? "");
    const [mid, duplicate] = await this.#run((now) =>
      this.#core.send(now, String(sender ?? ""), to, fields, delay, clientTime, ttl), to);
    if (!duplicate) this.#waiters.wake([to]);
    return { mid, duplicate };
  }

  /**
   * Enqueues up to 100 messages (at most 1 MiB of bodies) in one atomic write;
   * resolves to `[{ mid, duplicate }…]` in input order. One bad item refuses
   * the whole call (its `PandoraError` names the item's index) and nothing is enqueued.
   */
  async sendBatch(items) {
    const list = Array.isArray(items)
      ? items.map((item, i) => {
        const { sender, receiver, delay, clientTime, ttl, body } = known(item ?? {}, `sendBatch item ${i}`, SEND_INPUT);
        return { sender: String(sender ?? ""), receiver: String(receiver ?? ""), fields: flatFields(body, i), delay, clientTime, ttl };
      })
      : items;
    const receivers = Array.isArray(list) ? new Set(list.map((item) => item?.receiver)) : new Set();
    const receipts = await this.#run((now) => this.#core.sendBatch(now, list), receivers.size === 1 ? [...receivers][0] : null);
    const woken = new Set(list.filter((_, i) => !receipts[i][1]).map((item) => item.receiver));
    if (woken.size > 0) this.#waiters.wake([...woken]);
    return receipts.map(([mid, duplicate]) => ({ mid, duplicate }));
  }

  /**
   * Leases the earliest due message of `receiver`; resolves to it, or `null`
   * when none is due. With `wait` (ms or Go duration, at most 20 s) it waits
   * for one to come due (a send or a delay running out) before giving up.
   */
  async fetchLatest(receiver, options = {}) {
    const { lease, wait, signal } = known(options, "fetchLatest", FETCH_OPTIONS);
    const to = String(receiver ?? "");
    const row = await this.#poll(to, wait, signal, null, (row) => row !== null, () =>
      this.#run((now) => this.#core.fetchLatest(now, to, lease), to));
    if (row === null) return null;
    const message = messageFrom(row, true);
    this.#noteMailbox([message], to);
    return message;
  }

  /**
   * Leases up to `max` (1 … 100, default 1) due messages of `receiver`,
   * earliest due first, each with its own lid, in one write; `[]` when none
   * is due. `wait` as for `fetchLatest`.
   */
  async fetchBatch(receiver, options = {}) {
    const { max, lease, wait, signal } = known(options, "fetchBatch", FETCH_BATCH_OPTIONS);
    const to = String(receiver ?? "");
    const rows = await this.#poll(to, wait, signal, [], (rows) => rows.length > 0, () =>
      this.#run((now) => this.#core.fetchBatch(now, to, max, lease), to));
    const messages = rows.map((row) => messageFrom(row, true));
    this.#noteMailbox(messages, to);
    return messages;
  }

  // Where locks are per mailbox, the fetched messages' acks will need theirs.
  #noteMailbox(messages, mailbox) {
    if (this.#mailboxLocks) for (const { mid } of messages) this.#known.note(mid, mailbox);
  }

  // Long polls `attempt` (see long-poll.js); `wait` is checked by the core
  // first. A fetch that does not wait is `attempt` itself, with no layer around it.
  #poll(receiver, wait, signal, nothing, found, attempt) {
    const ms = wait === undefined ? 0 : intoWasm(() => waitOf(wait));
    const abort = signalOf(signal);
    if (!(ms > 0) && !abort) return attempt();
    return longPoll({
      receiver, wait: ms, clock: () => this.#now(), attempt, found, waiters: this.#waiters, timers: this.#timers,
      nextDue: () => this.#run(() => this.#core.nextDue(receiver), receiver), signal: abort, nothing,
    });
  }

  /**
   * Confirms (`"confirmed"`/1) or rejects (`"rejected"`/2) a leased message;
   * a reject is due again after `retryDelay`, else after the server's `retryBackoff`.
   */
  async ack(mid, lid, status, { retryDelay } = {}) {
    const mailbox = await this.#mailboxOfMids([String(mid ?? "")]);
    await this.#run((now) => this.#core.ack(now, String(mid ?? ""), String(lid ?? ""), String(status), retryDelay), mailbox);
    // A rejected message is due again: its mailbox is not known here, so every waiter looks.
    if (String(status) !== "confirmed" && String(status) !== "1") this.#waiters.wake(null);
  }

  /**
   * Up to 100 acks `{ mid, lid, status, retryDelay }`, each independent:
   * resolves to `[{ ok: true } | { ok: false, code, message }…]` in input order.
   */
  async ackBatch(items) {
    const list = Array.isArray(items)
      ? items.map(({ mid, lid, status, retryDelay } = {}) => ({
        mid: String(mid ?? ""), lid: String(lid ?? ""), status: String(status), retryDelay,
      }))
      : items;
    const mailbox = Array.isArray(list) && list.length <= 100 ? await this.#mailboxOfMids(list.map((item) => item.mid)) : null;
    const results = (await this.#run((now) => this.#core.ackBatch(now, list), mailbox)).map(ackResult);
    if (results.some((r, i) => r.ok && list[i].status !== "confirmed" && list[i].status !== "1")) this.#waiters.wake(null);
    return results;
  }

  /**
   * Renews the running lease `lid` of `mid` for `lease` (default: the server's
   * default lease), at most 12 h after the fetch that issued it; the lid stays.
   * Resolves to `{ leasedUntil }`.
   */
  async extend(mid, lid, { lease } = {}) {
    const mailbox = await this.#mailboxOfMids([String(mid ?? "")]);
    const leasedUntil = await this.#run((now) => this.#core.extend(now, String(mid ?? ""), String(lid ?? ""), lease), mailbox);
    return { leasedUntil };
  }

  /**
   * Removes the pending message `mid` of `receiver` (delayed, due or leased)
   * with its body; resolves to `{ cancelled }`, false when it was not pending.
   */
  async cancel(receiver, mid) {
    const to = String(receiver ?? "");
    const cancelled = await this.#run((now) => this.#core.cancel(now, to, String(mid ?? "")), to);
    return { cancelled };
  }

  /** Up to `limit` (1 … 100, default 1) messages a fetch would hand out now, with bodies, no lid; nothing changes. */
  async peek(receiver, { limit } = {}) {
    const to = String(receiver ?? "");
    const rows = await this.#run((now) => this.#core.peek(now, to, limit), to);
    return rows.map((row) => {
      const { lid: _lid, ...message } = messageFrom(row, true);
      return message;
    });
  }

  /** Exact counts of `receiver` now: `{ ready, delayed, leased, dead, bytes, oldestReady }`. */
  async stats(receiver) {
    const to = String(receiver ?? "");
    return this.#run((now) => this.#core.stats(now, to), to);
  }

  /**
   * Reads every mailbox's index rows into memory, `rows` (1 … 10,000, default 1,000) per step,
   * other operations running between the steps, so that later `stats` calls read nothing. For a
   * Server opened on existing data of a `soleWriter` store (a Durable Object woken again); one
   * that found its store empty mirrors from the start and a shared store has nothing to keep:
   * there it resolves at once. A failed step rejects; `stats` then scans as before.
   */
  async warmStats({ rows = 1000 } = {}) {
    if (!Number.isInteger(rows) || rows < 1 || rows > 10_000) {
      throw new PandoraError("out_of_range", `rows must be an integer from 1 to 10000, got ${String(rows)}`);
    }
    while (!(await this.#run(() => this.#core.warmStats(rows)))) {
      // A turn of the host's event loop between steps, with no storage call
      // in flight: a Durable Object delivers no request while one is (its
      // input gate), and steps chained by promises alone would keep one in
      // flight until the end. Not the Server's `timers`: this is no wait.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** Moves up to `limit` (1 … 1000, the default) dead messages back to ready; resolves to `{ moved }`. */
  async redrive(receiver, { limit } = {}) {
    const to = String(receiver ?? "");
    const moved = await this.#run((now) => this.#core.redrive(now, to, limit), to);
    if (moved > 0) this.#waiters.wake([to]);
    return { moved };
  }

  /**
   * Deletes the pending and dead messages of `receiver` (`status: "dead"`:
   * dead ones only) with their bodies, in atomic chunks; resolves to
   * `{ deleted }`. After a failure, calling it again finishes the job.
   */
  async purge(receiver, { status } = {}) {
    const to = String(receiver ?? "");
    const deleted = await this.#run((now) => this.#core.purge(now, to, status), to);
    return { deleted };
  }

  /**
   * Pending headers of `receiver` received after `after` (ms, Date or RFC 3339;
   * default: all), oldest first, at most `limit` (1 to `tables().limits.maxHeadersLimit`,
   * the default). Pass `afterMid` (the last header's mid) to page within one millisecond.
   * Messages under a lease are not listed (as in the Go original): `status:
   * "leased"` lists those instead (reading the mailbox's whole delivery index),
   * and `status: "dead"` the dead letters, in the same pages.
   */
  async fetchHeaders(receiver, { status, after, afterMid, limit } = {}) {
    const to = String(receiver ?? "");
    const rows = await this.#run((now) => this.#core.fetchHeaders(now, to, after, afterMid, limit, status), to);
    return rows.map((row) => messageFrom(row, false));
  }

  /** The stored form-encoded body of `mid`, or `null`. */
  async fetchBlob(mid) {
    return this.#run(() => this.#core.fetchBlob(String(mid ?? "")));
  }

  /** Releases expired leases (status `timeout`); resolves to how many. */
  async reenqueue() {
    return this.#run((now) => this.#core.reenqueue(now));
  }

  /**
   * Serves the Go-compatible HTTP API: a `Request` in, a `Response` out. A
   * `POST …/fetch` with `wait` is held until a message is due or the wait has passed.
   */
  async handle(request) {
    return responseOf(await this[handleParts](await requestParts(request), request.signal ?? undefined), request.method);
  }

  /**
   * `handle` on a request's parts, resolving to the core's reply (see
   * http.js): for a host whose requests are not fetch API ones. `signal`
   * aborts when the client has gone: a long poll then ends, leasing nothing more.
   * @param {any} parts
   * @param {AbortSignal} [signal]
   */
  async [handleParts](parts, signal) {
    const serve = () => this.#run((now) => this.#core.handle(now, parts));
    const plan = intoWasm(() => this.#core.planOf(this.#now(), parts));
    const [receiver, wait, wakes] = plan ?? [null, 0, null];
    const reply = wait > 0 ? await longPoll({
      receiver, wait, clock: () => this.#now(), attempt: serve, found: (r) => !emptyReply(r),
      waiters: this.#waiters, timers: this.#timers, nextDue: () => this.#run(() => this.#core.nextDue(receiver)),
      signal, nothing: NOBODY_THERE,
    }) : await serve();
    // A send (or a reject, a redrive) over HTTP wakes waiters as the method calls do.
    if (wakes !== null && reply[0] === 200) this.#waiters.wake(wakes.length > 0 ? wakes : null);
    return reply;
  }

  /** The worker loop over this server, on its clock and timers (see consume.js): returns `{ stop(), done }`. */
  consume(receiver, handler, options = {}) { return consume(this, receiver, handler, { clock: this.#clock, timers: this.#timers, ...options }); }
}
