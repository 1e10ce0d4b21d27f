// The baseline for the Worker benchmark (benches/worker-miniflare.js): a bare
// JS Worker with the same shape as worker/ (a router that picks one Durable
// Object per mailbox, an ack routed by the object id inside the lid) and the
// same Durable Object storage calls per request as the real one makes through
// the package's durableObjectStorage adapter on storage format 2 (docs/design.md),
// but no wasm and no queue rules. Like the adapter on a SQLite-backed object,
// it uses the synchronous API (ctx.storage.kv, one transactionSync per write):
// - send:  list({ prefix: "m", start: cursor, limit: 4 }) (the sweep),
//          transactionSync { put d, put r, put m }                     (SHA-1 via crypto.subtle)
// - fetch: list({ prefix: d<mailbox>/, limit: 2 }), get m,
//          transactionSync { put d' (holding the lease), delete d }
// - ack:   get m, get d' (named by the lid), transactionSync { delete d', delete r, delete m }
// Keys use format 2's order-preserving base-64 digits for mids and times
// (../lib/format2-keys.js, shared with the Node baseline).
// Replies are form-encoded like the real Worker's. The real Worker also records
// each sent mid in a KV directory (ctx.waitUntil, after replying); this one does
// that too only when the binding WITH_DIRECTORY is "on" (and DIRECTORY is bound).
import { DurableObject } from "cloudflare:workers";
// Miniflare follows this import and bundles the module with the Worker.
import { MID_DIGITS, TIME_DIGITS, mailboxKey, midKey, parseTimeKey, receivedKey, timeKey, visibleKey } from "../lib/format2-keys.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// A listing entry pointing at a delivery entry 0 ms after the receive time.
const POINTER_0 = Uint8Array.of(0);
const LEASE = 300_000;

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const record = (value) => encoder.encode(JSON.stringify(value));
const readRecord = (bytes) => JSON.parse(decoder.decode(bytes));
const form = (pairs) => new Response(new URLSearchParams(pairs).toString(), {
  headers: { "content-type": "application/x-www-form-urlencoded" },
});

async function fieldsOf(request) {
  return new URLSearchParams(await request.text());
}

export class BareMailbox extends DurableObject {
  /** Where the sweep of records goes on, as the real server keeps it. */
  sweepFrom = undefined;

  async fetch(request) {
    const path = new URL(request.url).pathname;
    const fields = await fieldsOf(request);
    const storage = this.ctx.storage;
    const now = Date.now();

    if (path.endsWith("/send")) {
      const receiver = fields.get("receiver");
      const sender = fields.get("sender");
      const pairs = [...fields].filter(([k]) => k !== "sender" && k !== "receiver");
      pairs.push(["sender", sender], ["receiver", receiver], ["clientTime", new Date(now).toISOString()],
        ["p-nonce", hex(crypto.getRandomValues(new Uint8Array(16)))], ["p-server", "Pandora-Default-Server"]);
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const body = new URLSearchParams(pairs).toString();
      const sha = new Uint8Array(await crypto.subtle.digest("SHA-1", encoder.encode(body)));
      const mid = hex(sha);
      const mk = midKey(sha);
      // No lookup of m<mid>: the nonce makes the mid new, and the real server skips it too.
      const options = { prefix: "m", limit: 4 };
      if (this.sweepFrom !== undefined) options.start = this.sweepFrom;
      const page = [...storage.kv.list(options)];
      const mb = mailboxKey(receiver);
      storage.transactionSync(() => {
        // [not leased][body length, 2-byte LEB128][delivery count 0][status 8], as the core's entry.
        storage.kv.put(visibleKey(mb, now, mk), Uint8Array.of(0, (body.length & 127) | 128, body.length >> 7, 0, 8));
        storage.kv.put(receivedKey(mb, now, mk), POINTER_0);
        storage.kv.put(`m${mk}`, record({ mid, receivedAt: now, sendWhen: now, visibleAt: now, leasedUntil: 0, lid: null, status: 8, deliveryCount: 0, body }));
      });
      this.sweepFrom = page.length < 4 ? undefined : `${page[3][0]}!`;
      return form([["mid", mid]]);
    }

    if (path.endsWith("/fetch")) {
      const receiver = fields.get("receiver");
      const mb = mailboxKey(receiver);
      const prefix = `d${mb}/`;
      const first = [...storage.kv.list({ prefix, limit: 2 })][0];
      if (first === undefined || first[0].slice(prefix.length, prefix.length + TIME_DIGITS) > timeKey(now)) return new Response(null, { status: 204 });
      const key = first[0];
      const mk = key.slice(-MID_DIGITS);
      const m = readRecord(storage.kv.get(`m${mk}`));
      const random = crypto.getRandomValues(new Uint8Array(16));
      const leasedUntil = now + LEASE;
      const lid = `${this.ctx.id.toString()}.${hex(random)}${timeKey(leasedUntil + 1)}`;
      m.deliveryCount = first[1][3] + 1;
      // The entry holds the lease: [leased][body length][count][status][wait 0][span 300,000 in LEB128][lid bytes].
      const entry = new Uint8Array(25);
      entry.set([1, (m.body.length & 127) | 128, m.body.length >> 7, m.deliveryCount, 8, 0, 0xe0, 0xa7, 0x12]);
      entry.set(random, 9);
      storage.transactionSync(() => {
        storage.kv.put(visibleKey(mb, leasedUntil + 1, mk), entry);
        storage.kv.delete(key);
      });
      const body = [...new URLSearchParams(m.body)];
      return form([...body, ["mid", m.mid], ["lid", lid], ["statusCode", String(m.status)], ["status", "notDelivered"],
        ["leasedUntil", new Date(leasedUntil).toISOString()], ["receivedAt", new Date(m.receivedAt).toISOString()],
        ["deliveryCount", String(m.deliveryCount)], ["sendWhen", new Date(m.sendWhen).toISOString()], ["validBody", "true"]]);
    }

    if (path.endsWith("/ack")) {
      const mid = fields.get("mid") ?? "";
      const sha = Uint8Array.from(mid.match(/../g) ?? [], (h) => parseInt(h, 16));
      const mk = midKey(sha);
      const raw = storage.kv.get(`m${mk}`);
      if (raw === undefined) return form([["error", "not found"]]);
      const m = readRecord(raw);
      const mb = mailboxKey(new URLSearchParams(m.body).get("receiver"));
      const lid = fields.get("lid") ?? "";
      const delivery = visibleKey(mb, parseTimeKey(lid.slice(-TIME_DIGITS)), mk);
      const entry = storage.kv.get(delivery);
      if (entry === undefined) return form([["error", "not found"]]);
      if (hex(entry.subarray(9, 25)) !== lid.slice(-TIME_DIGITS - 32, -TIME_DIGITS)) return new Response("error=lock+mismatch", { status: 400 });
      // A server-minted mid: nothing is kept for a dedupe window.
      storage.transactionSync(() => {
        storage.kv.delete(delivery);
        storage.kv.delete(receivedKey(mb, m.receivedAt, mk));
        storage.kv.delete(`m${mk}`);
      });
      return new Response("", { status: 200 });
    }
    return new Response("error=no+route", { status: 404 });
  }
}

export default {
  async fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    if (request.method !== "POST") return new Response("error=method", { status: 405 });
    // As the real router does: read the fields from a clone, forward the request untouched.
    const fields = new URLSearchParams(await request.clone().text());
    if (path.endsWith("/ack")) {
      const lid = fields.get("lid") ?? "";
      const id = env.BOXES.idFromString(lid.slice(0, lid.lastIndexOf(".")));
      return env.BOXES.get(id).fetch(request);
    }
    if (path.endsWith("/send") || path.endsWith("/fetch")) {
      const receiver = fields.get("receiver");
      if (!receiver) return new Response("error=no+receiver", { status: 400 });
      const reply = await env.BOXES.get(env.BOXES.idFromName(receiver)).fetch(request);
      if (env.WITH_DIRECTORY === "on" && path.endsWith("/send") && reply.ok) {
        const copy = reply.clone();
        ctx.waitUntil(copy.text().then((text) => env.DIRECTORY.put(`mid/${new URLSearchParams(text).get("mid")}`, receiver)));
      }
      return reply;
    }
    return new Response("error=no+route", { status: 404 });
  },
};
