// The plain-JS baseline: a queue that does, per message, the same work the
// wasm Server does, with nothing clever and nothing skipped:
// - send: build the same canonical form-encoded body (sorted fields, the
//   server's clientTime and p-nonce/p-server fields), SHA-1 it with node:crypto,
//   2 reads (header, blob) and one batch of 4 puts (blob, delivery index,
//   listing index, header);
// - fetch: 1 ordered list (first delivery-index key), 2 reads, decode the body
//   into an object, a random 128-bit lid (from a pooled CSPRNG, as the server's), one batch of 1 delete + 3 puts;
// - ack: 1 read, 1 ordered list (expired tombstones), 1 read, one batch of
//   4 deletes + 2 puts.
// The read/list/write counts are the ones the wasm Server makes through a JS
// storage (see benches/node-js-storage.js, which counts them). Records are
// byte arrays like the server's: a header with the times, sender, receiver
// and lid; a blob of [format][refcount][body]. The store is benches/lib/ordered-store.js.

import { createHash } from "node:crypto";
import { OrderedStore } from "./ordered-store.js";

const EMPTY = new Uint8Array(0);
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

/** 16 hex digits of the ms value with the sign bit flipped, so byte order is time order. */
export function timeKey(ms) {
  const hi = Math.floor(ms / 4294967296);
  const lo = ms - hi * 4294967296;
  return (((hi | 0) ^ 0x80000000) >>> 0).toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

function parseTimeKey(s) {
  const hi = (parseInt(s.slice(0, 8), 16) ^ 0x80000000) | 0;
  return hi * 4294967296 + parseInt(s.slice(8, 16), 16);
}

const mailboxKey = (name) => encodeURIComponent(name).replace(/%20/g, "+");

/**
 * Header record, like the server's (format byte, then the fields):
 * [format][status][receivedAt f64][sendWhen f64][leasedUntil f64][count u32][clientTime f64][tombstoneUntil f64]
 * [sender len][sender][receiver len][receiver][lid len][lid (32 hex) when leased].
 */
function header(h) {
  const sender = encoder.encode(h.sender);
  const receiver = encoder.encode(h.receiver);
  const lid = h.lid ? encoder.encode(h.lid) : EMPTY;
  const bytes = new Uint8Array(49 + sender.length + receiver.length + lid.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = 1;
  bytes[1] = h.status;
  view.setFloat64(2, h.receivedAt, true);
  view.setFloat64(10, h.sendWhen, true);
  view.setFloat64(18, h.leasedUntil, true);
  view.setUint32(26, h.deliveryCount, true);
  view.setFloat64(30, h.clientTime, true);
  view.setFloat64(38, h.tombstoneUntil, true);
  let at = 46;
  for (const part of [sender, receiver, lid]) {
    bytes[at++] = part.length;
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

function readHeader(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 46;
  const text = () => {
    const n = bytes[at++];
    const s = decoder.decode(bytes.subarray(at, at + n));
    at += n;
    return s;
  };
  return {
    status: bytes[1],
    receivedAt: view.getFloat64(2, true),
    sendWhen: view.getFloat64(10, true),
    leasedUntil: view.getFloat64(18, true),
    deliveryCount: view.getUint32(26, true),
    clientTime: view.getFloat64(30, true),
    tombstoneUntil: view.getFloat64(38, true),
    sender: text(),
    receiver: text(),
    lid: text() || null,
  };
}

function blobWithRefs(blob, refs) {
  const copy = new Uint8Array(blob);
  copy[1] = refs;
  return copy;
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
    const mid = createHash("sha1").update(encoded).digest("hex");
    const { store } = this;
    const seen = store.get(`h/${mid}`);
    const blob = store.get(`b/${mid}`);
    if (seen !== undefined && readHeader(seen).status !== 1) return { mid, duplicate: true };
    const bytes = new Uint8Array(5 + encoded.length);
    bytes[0] = 1;
    bytes[1] = blob === undefined ? 1 : blob[1] + 1;
    encoder.encodeInto(encoded, bytes.subarray(5));
    const mb = mailboxKey(receiver);
    const t = timeKey(now);
    store.write([
      [`b/${mid}`, bytes],
      [`v/${mb}/${t}/${mid}`, EMPTY],
      [`r/${mb}/${t}/${mid}`, EMPTY],
      [`h/${mid}`, header({ status: 8, receivedAt: now, sendWhen: now, leasedUntil: 0, deliveryCount: 0, clientTime: now, tombstoneUntil: 0, sender, receiver, lid: null })],
    ]);
    return { mid, duplicate: false };
  }

  async fetchLatest(receiver) {
    const now = this.clock();
    const prefix = `v/${mailboxKey(receiver)}/`;
    const { store } = this;
    const [first] = store.list({ prefix, limit: 1 });
    if (first === undefined || parseTimeKey(first[0].slice(prefix.length, prefix.length + 16)) > now) return null;
    const key = first[0];
    const mid = key.slice(-40);
    const h = readHeader(store.get(`h/${mid}`));
    const blob = store.get(`b/${mid}`);
    const lidBytes = new Uint8Array(16);
    this.random(lidBytes);
    const lid = hex(lidBytes);
    const leasedUntil = now + this.lease;
    const t = timeKey(leasedUntil);
    const body = {};
    for (const [name, value] of new URLSearchParams(decoder.decode(blob.subarray(5)))) {
      const had = body[name];
      body[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    }
    store.write([
      [key, null],
      [`${prefix}${t}/${mid}`, EMPTY],
      [`l/${t}/${mid}`, EMPTY],
      [`h/${mid}`, header({ ...h, leasedUntil, deliveryCount: h.deliveryCount + 1, lid })],
    ]);
    return {
      mid, lid, status: STATUS[h.status], statusCode: h.status, sender: h.sender, receiver: h.receiver,
      receivedAt: h.receivedAt, sendWhen: h.sendWhen, leasedUntil, deliveryCount: h.deliveryCount + 1,
      clientTime: h.clientTime, validBody: true, body,
    };
  }

  async ack(mid, lid, status) {
    if (status !== "confirmed") throw new Error("the baseline only confirms");
    const now = this.clock();
    const { store } = this;
    const raw = store.get(`h/${mid}`);
    if (raw === undefined) throw new Error("not_found");
    const h = readHeader(raw);
    if (h.lid !== lid) throw new Error("lock_mismatch");
    if (now > h.leasedUntil) throw new Error("lease_expired");
    // Collect up to 4 expired tombstones, as the server does on each confirm.
    const batch = [];
    for (const [key] of store.list({ prefix: "t/", limit: 4 })) {
      if (parseTimeKey(key.slice(2, 18)) > now) break;
      batch.push([key, null], [`h/${key.slice(-40)}`, null]);
    }
    const blob = store.get(`b/${mid}`);
    const mb = mailboxKey(h.receiver);
    const lt = timeKey(h.leasedUntil);
    batch.push(
      [`v/${mb}/${lt}/${mid}`, null],
      [`l/${lt}/${mid}`, null],
      [`r/${mb}/${timeKey(h.receivedAt)}/${mid}`, null],
      blob[1] > 1 ? [`b/${mid}`, blobWithRefs(blob, blob[1] - 1)] : [`b/${mid}`, null],
      [`t/${timeKey(now + this.dedupeWindow)}/${mid}`, EMPTY],
      [`h/${mid}`, header({ ...h, status: 1, tombstoneUntil: now + this.dedupeWindow, lid: null })],
    );
    store.write(batch);
  }
}
