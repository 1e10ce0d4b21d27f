// Two `pandora-mq serve` processes on one store: a long poll held by one is
// answered as soon as a send reaches the other (SQLite: the file's change;
// PostgreSQL: LISTEN/NOTIFY), not when its wait runs out. The wait is 20 s
// and the guard 10 s, so only a wake-up answers it in time.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServe } from "./support/serve-process.js";
import { startPostgres } from "./support/postgres.js";
import { within } from "./support/raw-http.js";

const dir = mkdtempSync(path.join(tmpdir(), "pandora-serve-wake-"));
const db = await startPostgres();
after(async () => {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
});

const form = (fields) => ({ method: "POST", body: new URLSearchParams(fields), headers: { accept: "application/json" } });

for (const [name, store] of [["sqlite", `sqlite:${path.join(dir, "q.db")}`], ["postgres", db.url]]) {
  test(`serve on ${name}: a send through one server answers a long poll held by another`, { timeout: 60_000 }, async (t) => {
    const a = await startServe(["--store", store, "--no-www"]);
    const b = await startServe(["--store", store, "--no-www"]);
    t.after(() => Promise.all([a.stop(), b.stop()]));
    // Both servers have their table and a first request behind them.
    for (const s of [a, b]) assert.strictEqual((await fetch(`${s.url}/api/fetch`, form({ receiver: "warm@x" }))).status, 204);
    const held = fetch(`${b.url}/api/fetch`, form({ receiver: `${name}@x`, wait: "20s" }));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the poll's first fetch has found nothing
    const sent = await (await fetch(`${a.url}/api/send`, form({ sender: "a@x", receiver: `${name}@x`, topic: "hi" }))).json();
    const reply = await within(held, "the held poll's reply", 10_000);
    assert.strictEqual(reply.status, 200);
    assert.strictEqual((await reply.json()).mid, sent.mid);
  });
}
