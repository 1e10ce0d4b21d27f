// The baseline for `serve` on SQLite: a bare node:http server doing what a
// hand-written queue would, one durable transaction per request on the same
// SQLite settings (WAL, synchronous=FULL): /api/send inserts a row, /api/fetch
// leases the oldest due row, /api/ack deletes it. No wasm, no dedupe, no blobs.
//
// SQLite driver: the one serve uses on this Node (lib/sqlite-driver.js).
//
//   node bare-sqlite-server.js <file>   prints "listening on http://127.0.0.1:<port> "
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { immediate, openSqlite } from "./sqlite-driver.js";

const { db } = await openSqlite(process.argv[2]);
db.exec("PRAGMA journal_mode = WAL");
db.exec("PRAGMA synchronous = FULL");
db.exec("CREATE TABLE IF NOT EXISTS q (mid TEXT PRIMARY KEY, receiver TEXT, due INTEGER, lid TEXT, body BLOB)");
db.exec("CREATE INDEX IF NOT EXISTS q_due ON q (receiver, due)");
const insert = db.prepare("INSERT OR IGNORE INTO q VALUES (?, ?, ?, NULL, ?)");
const lease = db.prepare("UPDATE q SET lid = ?, due = ? WHERE mid = (SELECT mid FROM q WHERE receiver = ? AND due <= ? ORDER BY due LIMIT 1) RETURNING mid, lid");
const remove = db.prepare("DELETE FROM q WHERE mid = ? AND lid = ?");
const tx = (fn) => immediate(db, fn);

const send = tx((f, body) => insert.run(randomBytes(20).toString("hex"), f.get("receiver"), Date.now(), body));
const fetchOne = tx((f) => lease.get(randomBytes(16).toString("hex"), Date.now() + 60_000, f.get("receiver"), Date.now()));
const ack = tx((f) => remove.run(f.get("mid"), f.get("lid")).changes);

createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = Buffer.concat(chunks);
  const f = new URLSearchParams(body.toString());
  if (req.url === "/api/send") {
    send(f, body);
    res.end("mid=x");
  } else if (req.url === "/api/fetch") {
    const row = fetchOne(f);
    if (!row) res.writeHead(204).end();
    else res.end(`mid=${row.mid}&lid=${row.lid}`);
  } else if (req.url === "/api/ack") {
    res.writeHead(ack(f) ? 200 : 400).end();
  } else res.writeHead(404).end();
}).listen(0, "127.0.0.1", function () {
  console.log(`listening on http://127.0.0.1:${this.address().port} `);
});
