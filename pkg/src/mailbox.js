/**
 * HTTP client for the Go-compatible pandora wire protocol.
 *
 * Requests are form-encoded (as the Go server expects) and ask for JSON
 * replies; replies are converted to the same shapes the in-process Server
 * returns (times as epoch milliseconds), so code can switch between a local
 * queue and a remote one without changes.
 *
 * @module
 */

import { PandoraError } from "./error.js";
import { flatFields } from "./body.js";
import { signalOf } from "./long-poll.js";
import { FETCH_BATCH_OPTIONS, FETCH_OPTIONS, SEND_INPUT, known } from "./known-options.js";
import { tables } from "./tables.js";
import { consume } from "./consume.js";

/** Reply fields holding RFC 3339 times, converted to epoch ms. */
const TIME_FIELDS = new Set(["receivedAt", "sendWhen", "leasedUntil", "visibleAt", "clientTime"]);
/** Header fields the Go server sends as strings but that are numbers. */
const NUMBER_FIELDS = new Set(["statusCode", "deliveryCount"]);
/** How the wire says "no time" (Go's zero time.Time). */
const GO_ZERO_TIME = "0001-01-01T00:00:00Z";
/** Header fields sent as "true"/"false". */
const BOOLEAN_FIELDS = new Set(["leased", "validBody"]);

/**
 * Formats a duration for the Go server: a number of ms becomes `"<n>ms"`
 * (which Go's time.ParseDuration reads); a string is passed through as is.
 * @param {number | string} value
 * @returns {string}
 */
function goDuration(value) {
  if (typeof value === "string") return value;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    const why = `duration must be a finite number of ms or a Go duration string, got ${String(value)}`;
    throw new PandoraError("invalid_duration", why);
  }
  return `${value}ms`;
}

/**
 * Formats a time as RFC 3339: numbers are epoch ms, Dates are converted,
 * strings are passed through.
 * @param {number | string | Date} value
 * @returns {string}
 */
function rfc3339(value) {
  if (typeof value === "string") return value;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new PandoraError("invalid_time", `not a valid time: ${String(value)}`);
  return date.toISOString();
}

/**
 * Parses an RFC 3339 time to epoch ms; empty values become null. Fractions
 * are cut to milliseconds first because Go sends nanoseconds and not every
 * JS engine's Date.parse accepts more than three fraction digits.
 * @param {unknown} value
 * @returns {number | null}
 */
function parseTime(value) {
  if (value === undefined || value === null || value === "") return null;
  return Date.parse(String(value).replace(/(\.\d{3})\d+/, "$1"));
}

/**
 * The fields of one send, in the order the wire takes them: the control
 * fields, then the body flattened as the in-process Server does.
 * @param {{ sender?: string, receiver?: string, delay?: number | string, clientTime?: number | string | Date, ttl?: number | string, body?: any }} input
 * @param {number} [item] its index in a sendBatch, for the messages
 * @returns {[string, string][]}
 */
function sendFields(input, item) {
  const what = item === undefined ? "send" : `sendBatch item ${item}`;
  const { sender, receiver, delay, clientTime, ttl, body } = known(input, what, SEND_INPUT);
  /** @type {[string, string][]} */
  const fields = [];
  if (sender !== undefined) fields.push(["sender", sender]);
  if (receiver !== undefined) fields.push(["receiver", receiver]);
  if (delay !== undefined) fields.push(["delay", goDuration(delay)]);
  if (clientTime !== undefined) fields.push(["clientTime", rfc3339(clientTime)]);
  if (ttl !== undefined) fields.push(["ttl", goDuration(ttl)]);
  const flat = flatFields(body, item) ?? [];
  for (let i = 0; i < flat.length; i += 2) fields.push([flat[i], flat[i + 1]]);
  return fields;
}

/**
 * Fields as one JSON object of a batch item: a repeated field becomes an array.
 * @param {[string, string][]} fields
 * @returns {Record<string, string | string[]>}
 */
function jsonItem(fields) {
  /** @type {Record<string, string | string[]>} */
  const item = {};
  for (const [name, value] of fields) {
    const prior = item[name];
    item[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  return item;
}

/**
 * The form of a `POST …/fetch`.
 * @param {string} receiver
 * @param {{ lease?: number | string, wait?: number | string }} options
 */
function fetchForm(receiver, { lease, wait }) {
  const form = new URLSearchParams({ receiver });
  if (lease !== undefined) form.append("leaseTime", goDuration(lease));
  if (wait !== undefined) form.append("wait", goDuration(wait));
  return form;
}

/**
 * Reshapes a reply body like the in-process Server's: one value per field
 * as a string, a repeated field as an array. Go sends url.Values (every
 * value an array) or an encoded string; a one-element array is therefore
 * always a single value, so the conversion is unambiguous.
 * @param {unknown} body
 * @returns {unknown}
 */
function convertBody(body) {
  /** @type {Iterable<[string, unknown]>} */
  let pairs;
  if (typeof body === "string") pairs = new URLSearchParams(body);
  else if (body !== null && typeof body === "object") pairs = Object.entries(body);
  else return body;
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [name, value] of pairs) {
    const prior = out[name];
    if (Array.isArray(value) && value.length === 1) out[name] = value[0];
    else if (prior === undefined) out[name] = value;
    else out[name] = [...(Array.isArray(prior) ? prior : [prior]), value]; // repeated in an encoded string
  }
  return out;
}

/**
 * Converts a JSON message reply to the Server's shape: RFC 3339 times become
 * epoch ms and the body has single values unwrapped.
 * @param {Record<string, unknown>} reply
 * @returns {Record<string, unknown>}
 */
function convertMessage(reply) {
  const out = { ...reply };
  for (const field of TIME_FIELDS) if (field in out) out[field] = parseTime(out[field]);
  // A missing blob (validBody false) is an empty body, as in-process.
  if ("body" in out) out.body = convertBody(out.body) ?? {};
  return out;
}

/**
 * Converts one Go header (every value an array of strings) to a plain
 * object with single values, numbers and epoch-ms times.
 * @param {Record<string, unknown>} header
 * @returns {Record<string, unknown>}
 */
function convertHeader(header) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [name, raw] of Object.entries(header)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    // Listings never carry a lid (the Go shape sends an empty one) and always a
    // valid body: drop both, so headers look exactly like the in-process Server's.
    if (name === "lid" || name === "validBody") continue;
    // Go's zero time means "never leased", which the in-process Server says as 0.
    if (name === "leasedUntil" && value === GO_ZERO_TIME) {
      out[name] = 0;
      continue;
    }
    if (NUMBER_FIELDS.has(name)) out[name] = Number(value);
    else if (BOOLEAN_FIELDS.has(name)) out[name] = value === true || value === "true";
    else if (TIME_FIELDS.has(name)) out[name] = parseTime(value);
    else out[name] = value;
  }
  return out;
}

/**
 * Builds the PandoraError for a non-2xx reply, using the server's
 * `{"error", "code"}` JSON when there is one.
 * @param {Response} res
 * @returns {Promise<PandoraError>}
 */
async function replyError(res) {
  const text = await res.text().catch(() => "");
  let code = "http";
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const body = JSON.parse(text);
    if (body && typeof body.code === "string") code = body.code;
    if (body && typeof body.error === "string") message = body.error;
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the status text.
  }
  const err = new PandoraError(code, message);
  /** @type {any} */ (err).status = res.status; // for callers that care about HTTP itself
  return err;
}

/**
 * A remote mailbox server spoken to over HTTP.
 */
export class Mailbox {
  /** @type {URL} */
  #base;
  /** @type {string | undefined} */
  #token;
  /** @type {typeof globalThis.fetch} */
  #fetch;
  /** @type {{ clock?: () => number, timers?: { setTimeout: Function, clearTimeout: Function } }} */
  #timing;

  /**
   * @param {string | URL} baseUrl server root, may include a path prefix
   *   (`https://host/mq` and `https://host/mq/` are the same); relative URLs
   *   resolve against the page's location
   * @param {{ token?: string, fetch?: typeof globalThis.fetch, clock?: () => number, timers?: { setTimeout: Function, clearTimeout: Function } }} [options]
   *   `token` is sent as a Bearer token; `fetch` replaces the global one;
   *   `clock` and `timers` are what `consume` reads time from and sleeps on
   */
  constructor(baseUrl, { token, fetch = globalThis.fetch, clock, timers } = {}) {
    const base = new URL(String(baseUrl), globalThis.location?.href);
    // Routes are resolved relative to the base, which only keeps the last path
    // segment when the path ends in "/".
    if (!base.pathname.endsWith("/")) base.pathname += "/";
    base.search = "";
    base.hash = "";
    this.#base = base;
    this.#token = token;
    this.#fetch = fetch;
    this.#timing = { ...(clock && { clock }), ...(timers && { timers }) };
  }

  /**
   * Sends one HTTP request and returns the response, throwing a PandoraError
   * for network failures and for non-2xx statuses not listed in `accept`.
   * @param {"GET" | "POST"} method
   * @param {string} route path relative to the base URL
   * @param {{ query?: Record<string, string>, form?: URLSearchParams, json?: unknown, accept?: number[], signal?: AbortSignal }} [options]
   *   `json`: a JSON request body (the batch routes), instead of a form
   * @returns {Promise<Response>}
   */
  async #request(method, route, { query, form, json, accept = [], signal } = {}) {
    const url = new URL(route, this.#base);
    for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
    /** @type {Record<string, string>} */
    const headers = { Accept: "application/json" };
    if (this.#token) headers.Authorization = `Bearer ${this.#token}`;
    /** @type {RequestInit} */
    const init = { method, headers, ...(signal && { signal }) };
    if (form) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      init.body = form.toString();
    } else if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(json);
    }
    const doFetch = this.#fetch; // called unbound: browsers reject fetch with a foreign `this`
    let res;
    try {
      res = await doFetch(url.href, init);
    } catch (err) {
      const why = /** @type {Error} */ (err)?.message ?? String(err);
      throw new PandoraError("network", `${method} ${url.href}: ${why}`, { cause: err });
    }
    if (!res.ok && !accept.includes(res.status)) throw await replyError(res);
    return res;
  }

  /**
   * Parses a JSON reply body.
   * @param {Response} res
   * @returns {Promise<any>}
   */
  async #json(res) {
    try {
      return await res.json();
    } catch (err) {
      throw new PandoraError("http", `reply from ${res.url || "server"} is not JSON`, { cause: err });
    }
  }

  /**
   * Sends a message.
   * @param {{
   *   sender?: string, receiver?: string,
   *   delay?: number | string, clientTime?: number | string | Date,
   *   ttl?: number | string, body?: Record<string, unknown> | URLSearchParams | string,
   * }} message `delay` and `ttl` in ms or a Go duration; `clientTime` in epoch ms or RFC 3339
   * @returns {Promise<{ mid: string, duplicate: boolean }>}
   */
  async send(message = {}) {
    const form = new URLSearchParams(sendFields(message));
    const reply = await this.#json(await this.#request("POST", "send", { form }));
    return { mid: reply.mid, duplicate: reply.duplicate === true };
  }

  /**
   * Sends up to 100 messages in one request (`POST …/sendBatch`, a JSON
   * array); one bad item refuses the whole call, naming its index, and nothing is enqueued.
   * @param {Parameters<Mailbox["send"]>[0][]} messages each as for `send`
   * @returns {Promise<{ mid: string, duplicate: boolean }[]>} in input order
   */
  async sendBatch(messages) {
    if (!Array.isArray(messages)) throw new PandoraError("bad_request", "sendBatch takes an array of messages");
    const items = messages.map((message, i) => jsonItem(sendFields(message ?? {}, i)));
    const reply = await this.#json(await this.#request("POST", "sendBatch", { json: items }));
    return reply.map((/** @type {any} */ r) => ({ mid: r.mid, duplicate: r.duplicate === true }));
  }

  /**
   * Leases the next message for `receiver`, or returns null when there is none.
   * @param {string} receiver
   * @param {{ lease?: number | string, wait?: number | string, signal?: AbortSignal }} [options] lease time in ms or a Go
   *   duration; `wait` (0 … 20 s) holds the request until a message is due; `signal` ends it early, with null
   * @returns {Promise<Record<string, any> | null>} the message, times in epoch ms
   */
  async fetch(receiver, options = {}) {
    const { lease, wait, signal } = known(options, "fetch", FETCH_OPTIONS);
    const res = await this.#poll({ form: fetchForm(receiver, { lease, wait }), signal });
    if (res === null || res.status === 204) return null;
    return convertMessage(await this.#json(res));
  }

  /**
   * `POST …/fetch`, or null when `signal` aborted it: the server, seeing its
   * client gone, ends the wait and leases nothing more, as the Server does.
   * @param {{ form: URLSearchParams, signal?: AbortSignal }} o
   * @returns {Promise<Response | null>}
   */
  async #poll({ form, signal }) {
    const abort = signalOf(signal);
    if (abort?.aborted) return null;
    try {
      return await this.#request("POST", "fetch", { form, signal: abort });
    } catch (err) {
      if (abort?.aborted) return null;
      throw err;
    }
  }

  /** The same as `fetch`, by the in-process Server's name. @type {Mailbox["fetch"]} */
  fetchLatest(receiver, options) {
    return this.fetch(receiver, options);
  }

  /**
   * Leases up to `max` (1 … 100, default 1) due messages, earliest first, each with its own lid.
   * @param {string} receiver
   * @param {{ max?: number, lease?: number | string, wait?: number | string, signal?: AbortSignal }} [options]
   * @returns {Promise<Record<string, any>[]>} `[]` when none is due (or `signal` aborted the wait)
   */
  async fetchBatch(receiver, options = {}) {
    const { max = 1, lease, wait, signal } = known(options, "fetchBatch", FETCH_BATCH_OPTIONS);
    const form = fetchForm(receiver, { lease, wait });
    form.append("max", String(max));
    const res = await this.#poll({ form, signal });
    if (res === null || res.status === 204) return [];
    return (await this.#json(res)).map(convertMessage);
  }

  /**
   * Acknowledges a leased message.
   * @param {string} mid message id
   * @param {string} lid lease id from fetch
   * @param {"confirmed" | "rejected" | 1 | 2} status
   * @param {{ retryDelay?: number | string }} [options] for a reject: how long until it is deliverable again
   * @returns {Promise<void>}
   */
  async ack(mid, lid, status, { retryDelay } = {}) {
    const { confirmed, rejected } = tables().statuses;
    const code = status === "confirmed" ? confirmed : status === "rejected" ? rejected : Number(status);
    if (code !== confirmed && code !== rejected) {
      const why = `unknown status ${JSON.stringify(status)}: use confirmed (1) or rejected (2)`;
      throw new PandoraError("unknown_status", why);
    }
    const form = new URLSearchParams({ mid, lid, statusCode: String(code) });
    if (retryDelay !== undefined) form.append("retryDelay", goDuration(retryDelay));
    await this.#request("POST", "ack", { form });
  }

  /**
   * Up to 100 acks in one request (`POST …/ackBatch`), each independent: a
   * bad item fails alone, in its own result.
   * @param {{ mid: string, lid: string, status: "confirmed" | "rejected" | 1 | 2, retryDelay?: number | string }[]} acks
   * @returns {Promise<({ ok: true } | { ok: false, code: string, message: string })[]>} in input order
   */
  async ackBatch(acks) {
    if (!Array.isArray(acks)) throw new PandoraError("bad_request", "ackBatch takes an array of acks");
    const items = acks.map(({ mid, lid, status, retryDelay } = /** @type {any} */ ({})) => ({
      mid, lid, status, ...(retryDelay !== undefined && { retryDelay: goDuration(retryDelay) }),
    }));
    return this.#json(await this.#request("POST", "ackBatch", { json: items }));
  }

  /**
   * Renews the running lease `lid` of `mid` (same lid), at most 12 h after the fetch that issued it.
   * @param {string} mid
   * @param {string} lid
   * @param {{ lease?: number | string }} [options] the new lease from now (the server requires one over HTTP)
   * @returns {Promise<{ leasedUntil: number }>} epoch ms
   */
  async extend(mid, lid, { lease } = {}) {
    const form = new URLSearchParams({ mid, lid });
    if (lease !== undefined) form.append("leaseTime", goDuration(lease));
    const reply = await this.#json(await this.#request("POST", "extend", { form }));
    return { leasedUntil: /** @type {number} */ (parseTime(reply.leasedUntil)) };
  }

  /**
   * Removes a pending message (delayed, due or leased) and its body.
   * @param {string} receiver
   * @param {string} mid
   * @returns {Promise<{ cancelled: boolean }>} false when it was not pending
   */
  async cancel(receiver, mid) {
    const reply = await this.#json(await this.#request("POST", "cancel", { form: new URLSearchParams({ receiver, mid }) }));
    return { cancelled: reply.cancelled === true };
  }

  /**
   * The next due messages with bodies, no lease taken, nothing changed.
   * @param {string} receiver
   * @param {{ limit?: number }} [options] 1 … 100, default 1
   * @returns {Promise<Record<string, any>[]>} messages without a lid
   */
  async peek(receiver, { limit } = {}) {
    const query = { receiver, ...(limit !== undefined && { limit: String(limit) }) };
    const reply = await this.#json(await this.#request("GET", "peek", { query }));
    return reply.map((/** @type {Record<string, unknown>} */ m) => {
      const { lid: _lid, ...message } = convertMessage(m);
      return message;
    });
  }

  /**
   * Exact counts of a mailbox.
   * @param {string} receiver
   * @returns {Promise<{ ready: number, delayed: number, leased: number, dead: number, bytes: number, oldestReady: number | null }>}
   */
  async stats(receiver) {
    const { ready, delayed, leased, dead, bytes, oldestReady } = await this.#json(await this.#request("GET", "stats", { query: { receiver } }));
    return { ready, delayed, leased, dead, bytes, oldestReady };
  }

  /**
   * Moves dead messages back to ready, oldest first, delivery count reset (an admin route).
   * @param {string} receiver
   * @param {{ limit?: number }} [options] 1 … 1000, the default
   * @returns {Promise<{ moved: number }>}
   */
  async redrive(receiver, { limit } = {}) {
    const form = new URLSearchParams({ receiver });
    if (limit !== undefined) form.append("limit", String(limit));
    const reply = await this.#json(await this.#request("POST", "admin/redrive", { form }));
    return { moved: Number(reply.moved) };
  }

  /**
   * Deletes every pending and dead message of a mailbox, or only the dead ones (an admin route).
   * @param {string} receiver
   * @param {{ status?: "all" | "dead" }} [options]
   * @returns {Promise<{ deleted: number }>}
   */
  async purge(receiver, { status } = {}) {
    const form = new URLSearchParams({ receiver });
    if (status !== undefined) form.append("status", status);
    const reply = await this.#json(await this.#request("POST", "admin/purge", { form }));
    return { deleted: Number(reply.deleted) };
  }

  /**
   * The worker loop over this mailbox (see consume.js), on the `clock` and
   * `timers` given to the constructor.
   * @param {string} receiver
   * @param {(message: Record<string, any>) => unknown} handler
   * @param {Record<string, unknown>} [options] `concurrency`, `lease`, `wait`, `signal`, `onError`
   * @returns {{ stop(): void, done: Promise<void> }}
   */
  consume(receiver, handler, options = {}) {
    return consume(this, receiver, handler, { ...this.#timing, ...options });
  }

  /**
   * Lists headers of the messages for `receiver` received after `after`.
   * @param {string} receiver
   * @param {{ status?: "dead" | "leased", after?: number | string | Date, afterMid?: string, limit?: number }} [options] `after` defaults to the beginning; `limit` (1–100) defaults to 100, as in-process; `status: "dead"` lists the dead letters, `"leased"` the messages under a lease (left out otherwise)
   * @returns {Promise<Record<string, any>[]>} headers with numbers and epoch-ms times
   */
  async fetchHeaders(receiver, { status, after, afterMid, limit = 100 } = {}) {
    /** @type {Record<string, string>} */
    const query = { receiver };
    if (status !== undefined) query.status = status;
    // No `receivedat` means from the beginning; `after` (a mid) pages within one millisecond.
    if (after !== undefined) query.receivedat = rfc3339(after);
    if (afterMid !== undefined) query.after = afterMid;
    query.limit = String(limit);
    const res = await this.#request("GET", "admin/headers", { query });
    if (res.status === 204) return [];
    const reply = await this.#json(res);
    return Array.isArray(reply) ? reply.map(convertHeader) : [];
  }

  /**
   * Reads the raw encoded body of a message, or null when there is none.
   * @param {string} mid
   * @returns {Promise<string | null>}
   */
  async fetchBlob(mid) {
    const res = await this.#request("GET", "admin/fetchBlob", { query: { mid }, accept: [404] });
    if (res.status !== 404) return res.text();
    await res.arrayBuffer(); // drain the error page so the connection is released cleanly
    return null;
  }

  /**
   * Asks the server to re-enqueue messages whose lease has run out.
   * @returns {Promise<number>} how many messages were re-enqueued
   */
  async reenqueue() {
    const reply = await this.#json(await this.#request("GET", "admin/reenqueue"));
    return Number(reply.count);
  }
}
