// A second baseline for benchmark (6): the queue a Workers developer would
// write by hand on the Durable Object SQL API. One Durable Object per mailbox
// (routed like worker/, acks by the object id in the lid), one table and the
// one index a fetch needs (by visible time); the same HTTP workload and the
// same dedupe by SHA-1 of the canonical body. Every statement's cursor reports
// rowsRead / rowsWritten (what Cloudflare bills); the object sums them and
// `POST /api/rows` (receiver=…) returns the sums, so the benchmark puts rows
// per message beside the package's.
import { DurableObject } from "cloudflare:workers";

const encoder = new TextEncoder();
const LEASE = 300_000;
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const form = (pairs) => new Response(new URLSearchParams(pairs).toString(), {
  headers: { "content-type": "application/x-www-form-urlencoded" },
});

export class SqlMailbox extends DurableObject {
  rows = { read: 0, written: 0 };

  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS q (
      mid TEXT PRIMARY KEY, visible_at INTEGER NOT NULL, lid TEXT, delivery_count INTEGER NOT NULL,
      received_at INTEGER NOT NULL, body TEXT NOT NULL)`);
    this.sql.exec("CREATE INDEX IF NOT EXISTS q_visible ON q (visible_at)");
  }

  /** Runs one statement and adds its billed rows to the sums. */
  run(query, ...args) {
    const cursor = this.sql.exec(query, ...args);
    const out = cursor.toArray();
    this.rows.read += cursor.rowsRead;
    this.rows.written += cursor.rowsWritten;
    return out;
  }

  async fetch(request) {
    const path = new URL(request.url).pathname;
    const fields = new URLSearchParams(await request.text());
    const now = Date.now();

    if (path.endsWith("/send")) {
      const pairs = [...fields].filter(([k]) => k !== "sender" && k !== "receiver");
      pairs.push(["sender", fields.get("sender")], ["receiver", fields.get("receiver")], ["clientTime", new Date(now).toISOString()],
        ["p-nonce", hex(crypto.getRandomValues(new Uint8Array(16)))], ["p-server", "Pandora-Default-Server"]);
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const body = new URLSearchParams(pairs).toString();
      const mid = hex(new Uint8Array(await crypto.subtle.digest("SHA-1", encoder.encode(body))));
      this.run("INSERT OR IGNORE INTO q (mid, visible_at, lid, delivery_count, received_at, body) VALUES (?, ?, NULL, 0, ?, ?)", mid, now, now, body);
      return form([["mid", mid]]);
    }

    if (path.endsWith("/fetch")) {
      const lid = `${this.ctx.id.toString()}.${hex(crypto.getRandomValues(new Uint8Array(16)))}`;
      const leasedUntil = now + LEASE;
      const [m] = this.run(
        `UPDATE q SET lid = ?, visible_at = ?, delivery_count = delivery_count + 1
         WHERE mid = (SELECT mid FROM q WHERE visible_at <= ? ORDER BY visible_at LIMIT 1)
         RETURNING mid, delivery_count, received_at, body`,
        lid, leasedUntil + 1, now);
      if (m === undefined) return new Response(null, { status: 204 });
      return form([...new URLSearchParams(m.body), ["mid", m.mid], ["lid", lid], ["statusCode", "8"], ["status", "notDelivered"],
        ["leasedUntil", new Date(leasedUntil).toISOString()], ["receivedAt", new Date(m.received_at).toISOString()],
        ["deliveryCount", String(m.delivery_count)], ["validBody", "true"]]);
    }

    if (path.endsWith("/ack")) {
      const gone = this.run("DELETE FROM q WHERE mid = ? AND lid = ? AND visible_at > ? RETURNING mid", fields.get("mid"), fields.get("lid"), now);
      return gone.length ? new Response("", { status: 200 }) : new Response("error=lock+mismatch", { status: 400 });
    }

    if (path.endsWith("/rows")) return form([["read", String(this.rows.read)], ["written", String(this.rows.written)]]);
    return new Response("error=no+route", { status: 404 });
  }
}

export default {
  async fetch(request, env) {
    if (request.method !== "POST") return new Response("error=method", { status: 405 });
    const path = new URL(request.url).pathname;
    const fields = new URLSearchParams(await request.clone().text());
    if (path.endsWith("/ack")) {
      const lid = fields.get("lid") ?? "";
      return env.BOXES.get(env.BOXES.idFromString(lid.slice(0, lid.lastIndexOf(".")))).fetch(request);
    }
    const receiver = fields.get("receiver");
    if (!receiver) return new Response("error=no+receiver", { status: 400 });
    return env.BOXES.get(env.BOXES.idFromName(receiver)).fetch(request);
  },
};
