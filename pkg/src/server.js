/**
 * The queue in-process: `Server`, a JavaScript face over the wasm core.
 *
 * The core takes the time as an argument and never reads a clock; this class
 * reads the injected `clock` once per operation and shapes the core's flat
 * replies into plain objects.
 *
 * @module
 */
import { WasmServer, parseDuration, parseTime } from "../pandora_mq.js";
import { PandoraError } from "./error.js";
import { requestParts, responseOf } from "./http.js";

const STATUS_NAMES = { 1: "confirmed", 2: "rejected", 4: "timeout", 8: "notDelivered" };

/** Durations are ms numbers or Go strings ("1s", "5m", "1h30m"). */
export function toMillis(value, name) {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new PandoraError("invalid_duration", `${name} must be a finite number of ms`);
    return value;
  }
  if (typeof value === "string") return call(() => parseDuration(value));
  throw new PandoraError("invalid_duration", `${name} must be ms or a Go duration string such as "5m"`);
}

function toTime(value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string") return call(() => parseTime(value));
  throw new PandoraError("invalid_time", "clientTime must be ms, a Date or an RFC 3339 string");
}

function call(fn) {
  try {
    return fn();
  } catch (e) {
    throw PandoraError.from(e);
  }
}

/** Flattens a body (object, URLSearchParams or encoded string) to [name, value, …]. */
function flatFields(body) {
  if (body === null) throw new PandoraError("nil_body", "body is nil");
  if (body === undefined) return [];
  const pairs = typeof body === "string" || body instanceof URLSearchParams
    ? new URLSearchParams(body)
    : Object.entries(body);
  const flat = [];
  // Nullish values are absent fields, as the HTTP client treats them: one body, one mid.
  for (const [name, value] of pairs) {
    if (Array.isArray(value)) {
      for (const v of value) if (v !== undefined && v !== null) flat.push(name, String(v));
    } else if (value !== undefined && value !== null) flat.push(name, String(value));
  }
  return flat;
}

/** Turns a flat [name, value, …] list into an object; repeated names become arrays. */
function bodyObject(flat) {
  const body = {};
  for (let i = 0; i < flat.length; i += 2) {
    const [name, value] = [flat[i], flat[i + 1]];
    const seen = body[name];
    if (seen === undefined) body[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else body[name] = [seen, value];
  }
  return body;
}

function messageFrom(row, withDelivery) {
  const [mid, lid, statusCode, sender, receiver, receivedAt, sendWhen, leasedUntil, deliveryCount, clientTime, leased, body] = row;
  const message = {
    mid, status: STATUS_NAMES[statusCode], statusCode, sender, receiver,
    receivedAt, sendWhen, leasedUntil, deliveryCount, clientTime,
  };
  if (withDelivery) {
    message.lid = lid;
    message.validBody = body !== null;
    message.body = body === null ? {} : bodyObject(body);
  } else {
    message.leased = leased;
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
   * @param {object} [options]
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
    const { storage, clock = Date.now, random } = options;
    if (typeof clock !== "function") throw new PandoraError("bad_request", "clock must be a function returning ms");
    // A mistyped security option must fail loudly, not fall back to an open or default setting.
    if (random !== undefined && typeof random !== "function") throw new PandoraError("bad_request", "random must be a function filling a Uint8Array");
    for (const name of ["token", "lidPrefix"]) {
      if (options[name] !== undefined && typeof options[name] !== "string") throw new PandoraError("bad_request", `${name} must be a string`);
    }
    // "off" is a truthy string: a flag that is not a boolean would switch admin routes on.
    if (options.admin !== undefined && typeof options.admin !== "boolean") throw new PandoraError("bad_request", "admin must be a boolean");
    this.#clock = clock;
    this.#exclusive = typeof storage?.exclusive === "function" ? storage.exclusive.bind(storage) : null;
    this.#core = call(() => new WasmServer({
      storage, random,
      maxSize: options.maxSize,
      defaultLease: toMillis(options.defaultLease, "defaultLease"),
      maxDelay: toMillis(options.maxDelay, "maxDelay"),
      dedupeWindow: toMillis(options.dedupeWindow, "dedupeWindow"),
      lidPrefix: options.lidPrefix,
      admin: options.admin,
      token: options.token,
      signingKeys: options.signingKeys,
      headersPage: options.headersPage,
    }));
  }

  // Every operation runs inside the storage's lock when it has one (IndexedDB
  // shared by tabs), so two servers on one database never interleave.
  // A clock that returns NaN or a string would otherwise become time 0 inside the core.
  #now() {
    const now = this.#clock();
    // ±8.64e15 ms is the range of a JS Date; beyond it no time is meaningful.
    if (typeof now !== "number" || !Number.isFinite(now) || Math.abs(now) > 8.64e15) {
      throw new PandoraError("bad_request", `clock() must return ms within the Date range, got ${String(now)}`);
    }
    return now;
  }

  async #run(op) {
    const task = () => op(this.#now());
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
    const ms = toMillis(delay, "delay") ?? 0;
    const at = toTime(clientTime);
    const fields = flatFields(body);
    return this.#run(async (now) => {
      const [mid, duplicate] = await this.#core.send(now, String(sender ?? ""), String(receiver ?? ""), ms, at, fields);
      return { mid, duplicate };
    });
  }

  /** Leases the earliest due message of `receiver`; resolves to it, or `null` when none is due. */
  async fetchLatest(receiver, { lease } = {}) {
    const ms = toMillis(lease, "lease");
    return this.#run(async (now) => {
      const row = await this.#core.fetchLatest(now, String(receiver ?? ""), ms);
      return row === null ? null : messageFrom(row, true);
    });
  }

  /** Confirms (`"confirmed"`/1) or rejects (`"rejected"`/2) a leased message. */
  async ack(mid, lid, status, { retryDelay } = {}) {
    const retry = toMillis(retryDelay, "retryDelay") ?? 0;
    return this.#run((now) => this.#core.ack(now, String(mid ?? ""), String(lid ?? ""), String(status), retry));
  }

  /**
   * Pending headers of `receiver` received after `after` (ms; default: all), oldest first.
   * Pass `afterMid` (the last header's mid) to page within one millisecond.
   */
  async fetchHeaders(receiver, { after, afterMid, limit = 100 } = {}) {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new PandoraError("out_of_range", `limit must be an integer from 1 to 1000, got ${String(limit)}`);
    }
    if (after !== undefined && !Number.isFinite(after)) throw new PandoraError("invalid_time", "after must be ms since the epoch");
    return this.#run(async (now) => {
      const rows = await this.#core.fetchHeaders(now, String(receiver ?? ""), after, afterMid, limit);
      return rows.map((row) => messageFrom(row, false));
    });
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
    return responseOf(await this.#run((now) => this.#core.handle(now, ...parts)), request.method);
  }
}
