// A second baseline for the Worker benchmarks (benches/worker-batches.js): the
// queue a Workers developer would write by hand on a Durable Object's SQL API.
// One table, its primary key, and the one index such a queue needs (messages
// by due time); one object per mailbox, routed like worker/ (acks by the
// object id inside the lid). Same HTTP workload as the real Worker: form
// send, JSON sendBatch, fetch with max (JSON array), JSON ackBatch. No
// deduplication window, dead letters, scoped tokens or error codes: the
// least a queue does, so the comparison flatters this side.
//
// Rows written come from the SQL API itself (each cursor's rowsWritten,
// summed per object), read back by GET …/rows.
import { DurableObject } from "cloudflare:workers";

const LEASE = 300_000;
const encoder = new TextEncoder();
const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
const json = (value) => new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });

export class SqlMailbox extends DurableObject {
  #rows = 0;

  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.#exec(`CREATE TABLE IF NOT EXISTS messages (
      mid TEXT PRIMARY KEY, body TEXT NOT NULL, due INTEGER NOT NULL,
      lid TEXT, deliveries INTEGER NOT NULL DEFAULT 0, received_at INTEGER NOT NULL)`);
    this.#exec("CREATE INDEX IF NOT EXISTS messages_by_due ON messages (due)");
  }

  /** Runs one statement to its end, counting the rows it wrote. */
  #exec(query, ...bindings) {
    const cursor = this.sql.exec(query, ...bindings);
    const rows = cursor.toArray();
    this.#rows += cursor.rowsWritten;
    return rows;
  }

  async #insert(fields, now) {
    const body = new URLSearchParams([...fields].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))).toString();
    // Content-addressed like the real queue, with a nonce so only a client retry repeats a mid.
    const stamped = `${body}&p-nonce=${hex(crypto.getRandomValues(new Uint8Array(16)))}`;
    const mid = hex(await crypto.subtle.digest("SHA-1", encoder.encode(stamped)));
    const delay = Number(fields.get("delay") ?? 0) || 0;
    this.#exec("INSERT OR IGNORE INTO messages (mid, body, due, received_at) VALUES (?, ?, ?, ?)", mid, stamped, now + delay, now);
    return mid;
  }

  #ack(mid, lid) {
    const before = this.#rows;
    this.#exec("DELETE FROM messages WHERE mid = ? AND lid = ?", mid, lid);
    return this.#rows > before;
  }

  async fetch(request) {
    const url = new URL(request.url);
    const path = url.pathname;
    const now = Date.now();
    if (path.endsWith("/rows")) return json({ rowsWritten: this.#rows });
    if (path.endsWith("/stats")) {
      // One aggregate over the table: what a hand-written queue's stats would be.
      const [s] = this.#exec(
        `SELECT count(*) FILTER (WHERE due <= ?1) AS ready,
                count(*) FILTER (WHERE due > ?1 AND lid IS NULL) AS delayed,
                count(*) FILTER (WHERE due > ?1 AND lid IS NOT NULL) AS leased,
                coalesce(sum(length(body)), 0) AS bytes,
                min(CASE WHEN due <= ?1 THEN due END) AS oldestReady
         FROM messages`,
        now,
      );
      return json({ ...s, dead: 0 });
    }
    if (path.endsWith("/sendBatch")) {
      const items = await request.json();
      const receipts = [];
      for (const item of items) receipts.push({ mid: await this.#insert(new URLSearchParams(Object.entries(item)), now), duplicate: false });
      return json(receipts);
    }
    if (path.endsWith("/ackBatch")) {
      const items = await request.json();
      return json(items.map(({ mid, lid }) => (this.#ack(mid, lid) ? { ok: true } : { ok: false, code: "not_found" })));
    }
    const fields = new URLSearchParams(await request.text());
    if (path.endsWith("/send")) return new Response(`mid=${await this.#insert(fields, now)}`);
    if (path.endsWith("/ack")) return new Response("", { status: this.#ack(fields.get("mid"), fields.get("lid")) ? 200 : 400 });
    if (path.endsWith("/fetch")) {
      const max = Math.min(100, Number(fields.get("max") ?? 1) || 1);
      const prefix = this.ctx.id.toString();
      // Each row gets its own random lid, the object id in front (for ack routing).
      const rows = this.#exec(
        `UPDATE messages SET lid = ? || '.' || lower(hex(randomblob(16))), due = ?, deliveries = deliveries + 1
         WHERE mid IN (SELECT mid FROM messages WHERE due <= ? ORDER BY due LIMIT ?)
         RETURNING mid, lid, body, deliveries`,
        prefix, now + LEASE, now, max,
      );
      if (!fields.has("max")) {
        if (rows.length === 0) return new Response(null, { status: 204 });
        const [m] = rows;
        return new Response(new URLSearchParams([...new URLSearchParams(m.body), ["mid", m.mid], ["lid", m.lid]]).toString());
      }
      return json(rows.map((m) => ({ mid: m.mid, lid: m.lid, deliveryCount: m.deliveries, body: Object.fromEntries(new URLSearchParams(m.body)) })));
    }
    return new Response("error=no+route", { status: 404 });
  }
}

const lidObject = (namespace, lid) => namespace.idFromString(String(lid).slice(0, String(lid).lastIndexOf(".")));

export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    const box = (name) => env.BOXES.get(env.BOXES.idFromName(name));
    if (path.endsWith("/rows") || path.endsWith("/stats")) return box(new URL(request.url).searchParams.get("receiver")).fetch(request);
    if (path.endsWith("/sendBatch") || path.endsWith("/ackBatch")) {
      // One object per request here: the benchmark's batches all concern one mailbox.
      const items = await request.clone().json();
      if (items.length === 0) return json([]);
      const target = path.endsWith("/sendBatch") ? box(items[0].receiver) : env.BOXES.get(lidObject(env.BOXES, items[0].lid));
      return target.fetch(request);
    }
    const fields = new URLSearchParams(await request.clone().text());
    if (path.endsWith("/ack")) return env.BOXES.get(lidObject(env.BOXES, fields.get("lid"))).fetch(request);
    return box(fields.get("receiver")).fetch(request);
  },
};
