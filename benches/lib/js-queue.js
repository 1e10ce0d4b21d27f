// The plain-JS baseline: a queue that does, per message, the same work the
// wasm Server does, with nothing clever and nothing skipped, on storage
// format 2 (docs/design.md: `m<mid>` record with the body inline,
// `d<mailbox>/<visibleAt><mid>` delivery entry, `r<mailbox>/<receivedAt><mid>`
// listing entry; mids and times in the order-preserving base-64 digits, all
// built by format2-keys.js):
// - send: build the same canonical form-encoded body (sorted fields, the
//   server's clientTime and p-nonce/p-server fields), SHA-1 it with node:crypto,
//   1 list of 4 records after a cursor (the sweep; a minted mid needs no dedupe
//   get and leaves no record to collect), one batch of 3 puts (d, r, m);
// - fetch: 1 ordered list (first delivery entry), 1 get (the record), decode
//   the body into an object, a random 128-bit lid (from a pooled CSPRNG, as the
//   server's) followed by the new entry's time, one batch of the delivery move
//   (1 delete + 1 put of the entry holding the lease); the record is not written;
// - confirm: 2 gets (record, the delivery entry the lid names), one batch of 3
//   deletes (d, r and the record: a server-minted mid keeps nothing).
// The read/list/write counts are the ones the wasm Server makes through a JS
// storage (benches/node-js-storage.js counts them). The record is bytes like
// the server's: a format byte, varint fields relative to receivedAt, the lid,
// then the body. The store is benches/lib/ordered-store.js.

import { createHash } from "node:crypto";
import { OrderedStore } from "./ordered-store.js";
import { MID_DIGITS, TIME_DIGITS, mailboxKey, midHex, midKey, parseTimeKey, receivedKey, timeKey, visibleKey } from "./format2-keys.js";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function hex(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

/** Go's url.QueryEscape: everything but [A-Za-z0-9-_.~] escaped, space as "+". */
export function queryEscape(s) {
  let e = encodeURIComponent(s);
  if (/[!'()*]/.test(e)) e = e.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return e.includes("%20") ? e.replace(/%20/g, "+") : e;
}

/** Go's url.Values.Encode of flat [name, value, …]: names sorted, values in order. */
export function encodeFields(flat) {
  const pairs = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1], i]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[2] - b[2]));
  let out = "";
  for (const [k, v] of pairs) out += `${out ? "&" : ""}${queryEscape(k)}=${queryEscape(v)}`;
  return out;
}

/** RFC 3339 in UTC, with milliseconds only when there are some (as the server writes it). */
export function rfc3339(ms) {
  const iso = new Date(ms).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/** Delivery entry: [leased 0/1][body length, LEB128][wait (leases only)]. */
/** A delivery entry: [leased][body length][delivery count][status], then for a lease [wait][span][16 lid bytes]. */
function entry(leased, bodyLength, deliveryCount = 0, lease = null) {
  const out = [leased ? 1 : 0];
  pushVarint(out, bodyLength);
  pushVarint(out, deliveryCount);
  out.push(8);
  if (leased) {
    out.push(0);
    pushVarint(out, lease.span);
    out.push(...lease.lid);
  }
  return Uint8Array.from(out);
}

/** Reads what `entry` wrote: the delivery count, and a lease's lid in hex. */
function parseEntry(bytes) {
  let at = 1;
  const varint = () => {
    let n = 0;
    for (let shift = 1; ; shift *= 128) {
      const b = bytes[at++];
      n += (b & 127) * shift;
      if (b < 128) return n;
    }
  };
  varint(); // body length
  const deliveryCount = varint();
  at++; // status
  if (bytes[0] !== 1) return { deliveryCount, lid: null };
  varint(); // wait
  varint(); // span
  return { deliveryCount, lid: hex(bytes.subarray(at, at + 16)) };
}

function pushVarint(out, n) {
  while (n >= 128) {
    out.push((n % 128) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

const zigzag = (n) => (n >= 0 ? n * 2 : -n * 2 - 1);
const unzigzag = (n) => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

/**
 * The message record, shaped like the server's: [format 2], then varints
 * (times relative to receivedAt, signed ones zigzagged), the lid, status,
 * delivery count, expiry, refs, whether the server minted the mid, body
 * length; then the encoded body.
 */
function record(r) {
  const out = [2];
  const base = r.receivedAt;
  for (const v of [base, r.sendWhen - base, r.clientTime - base, r.visibleAt - base, r.leasedUntil ? r.leasedUntil - base : 0, r.leasedUntil - r.leaseStart]) {
    pushVarint(out, zigzag(v));
  }
  if (r.lid) {
    out.push(1);
    pushVarint(out, r.lid.length);
    for (let i = 0; i < r.lid.length; i++) out.push(r.lid.charCodeAt(i));
  } else out.push(0);
  out.push(r.status);
  pushVarint(out, r.deliveryCount);
  out.push(0, r.refs);
  out.push(r.minted ? 1 : 0);
  pushVarint(out, r.body.length);
  const bytes = new Uint8Array(out.length + r.body.length);
  bytes.set(out);
  bytes.set(r.body, out.length);
  return bytes;
}

function readRecord(bytes) {
  let at = 1;
  const varint = () => {
    let n = 0;
    for (let scale = 1; ; scale *= 128) {
      const b = bytes[at++];
      n += (b & 127) * scale;
      if (b < 128) return n;
    }
  };
  const [base, send, client, visible, leaseEnd, span] = Array.from({ length: 6 }, () => unzigzag(varint()));
  let lid = null;
  if (bytes[at++] === 1) {
    const n = varint();
    lid = decoder.decode(bytes.subarray(at, at + n));
    at += n;
  }
  const status = bytes[at++];
  const deliveryCount = varint();
  varint(); // expiry: none in this workload
  const refs = varint();
  const minted = bytes[at++] === 1;
  const length = varint();
  const body = bytes.subarray(at, at + length);
  const leasedUntil = leaseEnd === 0 ? 0 : base + leaseEnd;
  const fields = new URLSearchParams(decoder.decode(body));
  return {
    receivedAt: base, sendWhen: base + send, clientTime: base + client, visibleAt: base + visible,
    leasedUntil, leaseStart: leasedUntil - span, lid, status, deliveryCount, refs, minted, body, fields,
    sender: fields.get("sender"), receiver: fields.get("receiver"),
  };
}

/**
 * Random bytes drawn from a 4 KiB pool refilled by crypto.getRandomValues, as
 * the server's default source does (one getRandomValues call costs microseconds).
 */
function pooledRandom(size = 4096) {
  const pool = new Uint8Array(size);
  let used = size;
  return (bytes) => {
    if (size - used < bytes.length) {
      crypto.getRandomValues(pool);
      used = 0;
    }
    bytes.set(pool.subarray(used, used + bytes.length));
    pool.fill(0, used, used + bytes.length);
    used += bytes.length;
    return bytes;
  };
}

const STATUS = { 1: "confirmed", 2: "rejected", 4: "timeout", 8: "notDelivered" };

/** Same method shapes as the package's Server, so one benchmark loop drives both. */
export class JsQueue {
  /** Where the sweep of confirmed records goes on (kept in memory, as the server's). */
  #sweepFrom = undefined;

  constructor({ clock = Date.now, random, lease = 300_000, dedupeWindow = 300_000 } = {}) {
    this.store = new OrderedStore();
    this.clock = clock;
    this.random = random ?? pooledRandom();
    this.lease = lease;
    this.dedupeWindow = dedupeWindow;
  }

  /** The canonical encoded body of a send without clientTime, as the server builds it. */
  encode(now, sender, receiver, body) {
    const flat = [];
    for (const [name, value] of Object.entries(body)) flat.push(name, String(value));
    const nonce = new Uint8Array(16);
    this.random(nonce);
    flat.push("sender", sender, "receiver", receiver, "clientTime", rfc3339(now), "p-nonce", hex(nonce), "p-server", "Pandora-Default-Server");
    return encodeFields(flat);
  }

  async send({ sender, receiver, body = {} }) {
    const now = this.clock();
    const encoded = this.encode(now, sender, receiver, body);
    const sha = createHash("sha1").update(encoded).digest();
    const mid = sha.toString("hex");
    const mk = midKey(sha);
    const { store } = this;
    // The mid holds a fresh nonce: no stored record can have it, so no dedupe read.
    const mb = mailboxKey(receiver);
    const bytes = encoder.encode(encoded);
    const batch = [
      [visibleKey(mb, now, mk), entry(false, bytes.length)],
      [receivedKey(mb, now, mk), Uint8Array.of(0)],
      [`m${mk}`, record({ receivedAt: now, sendWhen: now, clientTime: now, visibleAt: now, leasedUntil: 0, leaseStart: 0, lid: null, status: 8, deliveryCount: 0, refs: 1, minted: true, body: bytes })],
    ];
    // The sweep: the next 4 records, each read as far as its head. Minted
    // records are never kept past their confirm, so none is a candidate here.
    const page = store.list({ prefix: "m", start: this.#sweepFrom, limit: 4 });
    for (const [, value] of page) readRecord(value);
    store.write(batch);
    this.#sweepFrom = page.length < 4 ? undefined : `${page[page.length - 1][0]}!`;
    return { mid, duplicate: false };
  }

  async fetchLatest(receiver) {
    const now = this.clock();
    const mb = mailboxKey(receiver);
    const prefix = `d${mb}/`;
    const { store } = this;
    const [first] = store.list({ prefix, limit: 1 });
    if (first === undefined || parseTimeKey(first[0].slice(prefix.length, prefix.length + TIME_DIGITS)) > now) return null;
    const key = first[0];
    const mk = key.slice(-MID_DIGITS);
    const r = readRecord(store.get(`m${mk}`));
    const lidBytes = new Uint8Array(16);
    this.random(lidBytes);
    const leasedUntil = now + this.lease;
    const lid = hex(lidBytes) + timeKey(leasedUntil + 1);
    const body = {};
    for (const [name, value] of r.fields) {
      const had = body[name];
      body[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    }
    const deliveryCount = parseEntry(first[1]).deliveryCount + 1;
    store.write([
      [key, null],
      [visibleKey(mb, leasedUntil + 1, mk), entry(true, r.body.length, deliveryCount, { span: this.lease, lid: lidBytes })],
    ]);
    return {
      mid: midHex(mk), lid, status: STATUS[r.status], statusCode: r.status, sender: r.sender, receiver: r.receiver,
      receivedAt: r.receivedAt, sendWhen: r.sendWhen, leasedUntil, deliveryCount,
      clientTime: r.clientTime, validBody: true, body,
    };
  }

  async ack(mid, lid, status) {
    if (status !== "confirmed") throw new Error("the baseline only confirms");
    const now = this.clock();
    const { store } = this;
    const mk = midKey(Buffer.from(mid, "hex"));
    const raw = store.get(`m${mk}`);
    if (raw === undefined) throw new Error("not_found");
    const r = readRecord(raw);
    const mb = mailboxKey(r.receiver);
    const at = parseTimeKey(lid.slice(-TIME_DIGITS));
    const delivery = visibleKey(mb, at, mk);
    const held = store.get(delivery);
    if (held === undefined) throw new Error("not_found");
    const e = parseEntry(held);
    if (e.lid !== lid.slice(0, 32)) throw new Error("lock_mismatch");
    if (now > at - 1) throw new Error("lease_expired");
    // A server-minted mid: nothing is kept for a dedupe window.
    store.write([[delivery, null], [receivedKey(mb, r.receivedAt, mk), null], [`m${mk}`, null]]);
  }
}
