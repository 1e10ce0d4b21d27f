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
import { WasmServer } from "../pandora_mq.js";
import { PandoraError } from "./error.js";
import { bodyObject, flatFields } from "./body.js";
import { requestParts, responseOf } from "./http.js";
import { tables } from "./tables.js";
import { finish, intoWasm } from "./wasm-call.js";
import { consume } from "./consume.js";

/** A message row (see `tables().messageRow`) as an object. */
function messageFrom(row, withDelivery) {
  const { row: at, statusNames } = tables();
  const statusCode = row[at.statusCode];
  const message = {
    mid: row[at.mid], status: statusNames[statusCode], statusCode, sender: row[at.sender], receiver: row[at.receiver],
    receivedAt: row[at.receivedAt], sendWhen: row[at.sendWhen], leasedUntil: row[at.leasedUntil],
    deliveryCount: row[at.deliveryCount], clientTime: row[at.clientTime],
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

  /**
   * @param {object} [options] all checked by the core; names and defaults in `tables().defaults`
   * @param {object} [options.storage] `{ get, list, write, exclusive? }`; default: built-in memory
   * @param {() => number} [options.clock] current time in ms; default `Date.now`
   * @param {(bytes: Uint8Array) => void} [options.random] fills bytes; default `crypto.getRandomValues`
   * @param {number} [options.maxSize] largest encoded body in bytes (4096)
   * @param {number|string} [options.defaultLease] lease when a fetch names none ("5m")
   * @param {number|string} [options.maxDelay] longest delay ("720h")
   * @param {number|string} [options.dedupeWindow] how long a confirmed body still deduplicates ("5m")
   * @param {string} [options.lidPrefix] issuer tag put in front of every lock id
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
  // shared by tabs), so two servers on one database never interleave.
  async #run(op) {
    const task = () => finish(intoWasm(() => op(this.#now())));
    try {
      return await (this.#exclusive ? this.#exclusive(task) : task());
    } catch (e) {
      throw PandoraError.from(e);
    }
  }

  /**
   * Enqueues a message. Resolves to `{ mid, duplicate }`; `duplicate` is true
   * when an identical message (same fields and clientTime) was already pending
   * or confirmed within the dedupe window, and nothing new was enqueued.
   */
  async send({ sender, receiver, delay, clientTime, body } = {}) {
    const fields = flatFields(body);
    const [mid, duplicate] = await this.#run((now) =>
      this.#core.send(now, String(sender ?? ""), String(receiver ?? ""), delay, clientTime, fields));
    return { mid, duplicate };
  }

  /** Leases the earliest due message of `receiver`; resolves to it, or `null` when none is due. */
  async fetchLatest(receiver, { lease } = {}) {
    const row = await this.#run((now) => this.#core.fetchLatest(now, String(receiver ?? ""), lease));
    return row === null ? null : messageFrom(row, true);
  }

  /** Confirms (`"confirmed"`/1) or rejects (`"rejected"`/2) a leased message. */
  async ack(mid, lid, status, { retryDelay } = {}) {
    return this.#run((now) => this.#core.ack(now, String(mid ?? ""), String(lid ?? ""), String(status), retryDelay));
  }

  /**
   * Pending headers of `receiver` received after `after` (ms, Date or RFC 3339;
   * default: all), oldest first, at most `limit` (1 to `tables().limits.maxHeadersLimit`,
   * the default). Pass `afterMid` (the last header's mid) to page within one millisecond.
   */
  async fetchHeaders(receiver, { after, afterMid, limit } = {}) {
    const rows = await this.#run((now) => this.#core.fetchHeaders(now, String(receiver ?? ""), after, afterMid, limit));
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

  /** Serves the Go-compatible HTTP API: a `Request` in, a `Response` out. */
  async handle(request) {
    const parts = await requestParts(request);
    return responseOf(await this.#run((now) => this.#core.handle(now, parts)), request.method);
  }

  /** The worker loop over this server, on its clock (see consume.js): returns `{ stop(), done }`. */
  consume(receiver, handler, options = {}) { return consume(this, receiver, handler, { clock: this.#clock, ...options }); }
}
