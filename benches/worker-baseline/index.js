// The baseline for the Worker benchmark (benches/worker-miniflare.js): a bare
// JS Worker with the same shape as worker/ (a router that picks one Durable
// Object per mailbox, an ack routed by the object id inside the lid) and the
// same Durable Object storage calls per request as the real one makes through
// the package's durableObjectStorage adapter, but no wasm and no queue rules:
// - send:  get h/<mid>, get b/<mid>, put({ b, v, r, h })                       (SHA-1 via crypto.subtle)
// - fetch: list({ prefix: v/<mailbox>/, limit: 1 }), get h, get b,
//          transaction { put({ v', l, h }), delete([v]) }
// - ack:   get h, list({ prefix: "t/", limit: 4 }), get b,
//          transaction { put({ t, h }), delete([v', l, r, b]) }
// Replies are form-encoded like the real Worker's. The real Worker also records
// each sent mid in a KV directory (ctx.waitUntil, after replying); this one does
// that too only when the binding WITH_DIRECTORY is "on" (and DIRECTORY is bound).
import { DurableObject } from "cloudflare:workers";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);
const LEASE = 300_000;
const DEDUPE = 300_000;

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const timeKey = (ms) => (BigInt(ms) ^ 0x8000000000000000n).toString(16).padStart(16, "0");
const mailboxKey = (name) => encodeURIComponent(name);
const record = (value) => encoder.encode(JSON.stringify(value));
const readRecord = (bytes) => JSON.parse(decoder.decode(bytes));
const form = (pairs) => new Response(new URLSearchParams(pairs).toString(), {
  headers: { "content-type": "application/x-www-form-urlencoded" },
});

async function fieldsOf(request) {
  return new URLSearchParams(await request.text());
}

export class BareMailbox extends DurableObject {
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
      const mid = hex(new Uint8Array(await crypto.subtle.digest("SHA-1", encoder.encode(body))));
      const seen = await storage.get(`h/${mid}`);
      await storage.get(`b/${mid}`);
      if (seen !== undefined) return form([["mid", mid]]);
      const blob = new Uint8Array(5 + body.length);
      blob[0] = 1;
      blob[1] = 1;
      blob.set(encoder.encode(body), 5);
      const mb = mailboxKey(receiver);
      const t = timeKey(now);
      await storage.put({
        [`b/${mid}`]: blob,
        [`v/${mb}/${t}/${mid}`]: EMPTY,
        [`r/${mb}/${t}/${mid}`]: EMPTY,
        [`h/${mid}`]: record({ sender, receiver, receivedAt: now, sendWhen: now, visibleAt: now, leasedUntil: 0, lid: null, status: 8, deliveryCount: 0 }),
      });
      return form([["mid", mid]]);
    }

    if (path.endsWith("/fetch")) {
      const receiver = fields.get("receiver");
      const prefix = `v/${mailboxKey(receiver)}/`;
      const first = [...(await storage.list({ prefix, limit: 1 }))][0];
      if (first === undefined || first[0].slice(prefix.length, prefix.length + 16) > timeKey(now)) return new Response(null, { status: 204 });
      const key = first[0];
      const mid = key.slice(-40);
      const h = readRecord(await storage.get(`h/${mid}`));
      const blob = await storage.get(`b/${mid}`);
      const lid = `${this.ctx.id.toString()}.${hex(crypto.getRandomValues(new Uint8Array(16)))}`;
      const leasedUntil = now + LEASE;
      const t = timeKey(leasedUntil);
      Object.assign(h, { lid, leasedUntil, visibleAt: leasedUntil, deliveryCount: h.deliveryCount + 1 });
      await storage.transaction(async (txn) => {
        await txn.put({ [`${prefix}${t}/${mid}`]: EMPTY, [`l/${t}/${mid}`]: EMPTY, [`h/${mid}`]: record(h) });
        await txn.delete([key]);
      });
      const body = [...new URLSearchParams(decoder.decode(blob.subarray(5)))];
      return form([...body, ["mid", mid], ["lid", lid], ["statusCode", String(h.status)], ["status", "notDelivered"],
        ["leasedUntil", new Date(leasedUntil).toISOString()], ["receivedAt", new Date(h.receivedAt).toISOString()],
        ["deliveryCount", String(h.deliveryCount)], ["sendWhen", new Date(h.sendWhen).toISOString()], ["validBody", "true"]]);
    }

    if (path.endsWith("/ack")) {
      const mid = fields.get("mid");
      const raw = await storage.get(`h/${mid}`);
      if (raw === undefined) return form([["error", "not found"]]);
      const h = readRecord(raw);
      if (h.lid !== fields.get("lid")) return new Response("error=lock+mismatch", { status: 400 });
      const expired = [...(await storage.list({ prefix: "t/", limit: 4 }))]
        .filter(([k]) => k.slice(2, 18) <= timeKey(now)).flatMap(([k]) => [k, `h/${k.slice(-40)}`]);
      await storage.get(`b/${mid}`);
      const mb = mailboxKey(h.receiver);
      const lt = timeKey(h.leasedUntil);
      Object.assign(h, { lid: null, status: 1, tombstoneUntil: now + DEDUPE });
      await storage.transaction(async (txn) => {
        await txn.put({ [`t/${timeKey(now + DEDUPE)}/${mid}`]: EMPTY, [`h/${mid}`]: record(h) });
        await txn.delete([`v/${mb}/${lt}/${mid}`, `l/${lt}/${mid}`, `r/${mb}/${timeKey(h.receivedAt)}/${mid}`, `b/${mid}`, ...expired]);
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
