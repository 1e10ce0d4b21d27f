// PostgreSQL stopped under a running `pandora-mq serve`: requests in flight
// and after get 500 code=storage, nothing is half-written (the queue holds
// exactly what was confirmed to clients), and once the database is back the
// same server process works again.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { Server, postgresStorage } from "pandora-mq";
import { startPostgres } from "./support/postgres.js";
import { startServe } from "./support/serve-process.js";

const db = await startPostgres();
after(() => db.stop());

const post = async (url, route, fields) => {
  const res = await fetch(`${url}/api/${route}`, { method: "POST", body: new URLSearchParams(fields) });
  return { status: res.status, fields: new URLSearchParams(await res.text()) };
};

test("postgres stopped mid-run: 500 storage, nothing half-written, the same server recovers", { timeout: 120_000 }, async () => {
  const serve = await startServe(["--store", db.url, "--table", "faults", "--admin"]);
  try {
    const receiver = "faults@x";
    const before = await post(serve.url, "send", { sender: "a", receiver, n: "before" });
    assert.strictEqual(before.status, 200);

    // Sends race the shutdown: each must either have happened (200) or not at all (500 storage).
    const inFlight = Array.from({ length: 40 }, (_, i) => post(serve.url, "send", { sender: "a", receiver, n: `race-${i}` }));
    await db.pause();
    const raced = await Promise.all(inFlight);
    for (const r of raced) {
      assert.ok(r.status === 200 || r.status === 500, `status ${r.status}`);
      if (r.status === 500) assert.strictEqual(r.fields.get("code"), "storage", `${r.fields}\n${serve.stderr()}`);
    }
    const down = await post(serve.url, "send", { sender: "a", receiver, n: "down" });
    assert.strictEqual(down.status, 500);
    assert.strictEqual(down.fields.get("code"), "storage");
    const fetchDown = await post(serve.url, "fetch", { receiver });
    assert.strictEqual(fetchDown.status, 500);

    await db.resume();
    // The pool reconnects on the next request; the first may still meet a dead connection.
    let again;
    for (let i = 0; i < 20; i++) {
      again = await post(serve.url, "send", { sender: "a", receiver, n: "after" });
      if (again.status === 200) break;
    }
    assert.strictEqual(again?.status, 200);

    // Exactly the sends that answered 200 are in the queue, each once, and each whole.
    const expected = new Set([before, ...raced.filter((r) => r.status === 200), again].map((r) => r.fields.get("mid")));
    const delivered = [];
    for (;;) {
      const got = await post(serve.url, "fetch", { receiver, leaseTime: "1m" });
      if (got.status === 204) break;
      assert.strictEqual(got.status, 200);
      assert.strictEqual(got.fields.get("validBody"), "true");
      assert.match(got.fields.get("n"), /^(before|race-\d+|after)$/);
      delivered.push(got.fields.get("mid"));
      assert.strictEqual((await post(serve.url, "ack", { mid: got.fields.get("mid"), lid: got.fields.get("lid"), statusCode: "1" })).status, 200);
    }
    assert.deepStrictEqual(new Set(delivered), expected);
    assert.strictEqual(delivered.length, expected.size);
  } finally {
    assert.deepStrictEqual(await serve.stop(), { code: 0, signal: null }, serve.stderr());
  }
});

/** Rejects after `ms` of real time: the test's guard, never its assertion. */
const guard = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms: ${what}`)), ms).unref());

test("postgres that stops answering (hung, connections open): operations fail as storage within timeoutMs, then work once it answers again", { timeout: 60_000 }, async (t) => {
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  t.after(() => pool.end());
  const storage = postgresStorage(pool, { table: "hung", timeoutMs: 1_000 });
  await storage.ready;
  const queue = new Server({ storage });
  const receiver = "hung@x";
  const { mid } = await queue.send({ sender: "a@x", receiver, body: { n: "before" } });
  await db.freeze();
  let thawed = false;
  t.after(() => thawed || db.thaw());
  // One operation under way and two queued behind it: none may hang for good.
  const during = [
    queue.send({ sender: "a@x", receiver, body: { n: "during" } }),
    queue.fetchLatest(receiver),
    queue.stats(receiver),
  ].map((op) => op.then(() => "answered", (err) => err.code));
  const codes = await Promise.race([Promise.all(during), guard(20_000, "operations on a hung server")]);
  assert.deepStrictEqual(codes, ["storage", "storage", "storage"]);
  db.thaw();
  thawed = true;
  // Working again: what was confirmed is there, whole; the send that failed either landed whole or not at all.
  const seen = [];
  for (;;) {
    const m = await queue.fetchLatest(receiver, { lease: "1m" });
    if (m === null) break;
    assert.strictEqual(m.validBody, true);
    seen.push(m.body.n);
    await queue.ack(m.mid, m.lid, "confirmed");
  }
  assert.ok(seen[0] === "before" && seen.length <= 2 && (seen.length === 1 || seen[1] === "during"), `fetched ${seen}`);
  assert.ok(mid);
  await storage.close();
});

test("serve on a PostgreSQL that stops answering: SIGTERM still ends it, after the grace period and a bounded wait for the store", { timeout: 90_000 }, async (t) => {
  const serve = await startServe(["--store", db.url, "--table", "hungserve"]);
  t.after(() => serve.stop("SIGKILL"));
  const ok = await post(serve.url, "send", { sender: "a", receiver: "h@x", n: "1" });
  assert.strictEqual(ok.status, 200);
  await db.freeze();
  let thawed = false;
  t.after(() => thawed || db.thaw());
  const stuck = post(serve.url, "send", { sender: "a", receiver: "h@x", n: "2" }).catch((err) => err);
  // Time for that request to reach serve and stall on the database; nothing answers to tell.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const exited = serve.stop("SIGTERM");
  const status = await Promise.race([exited, guard(40_000, "serve's exit")]);
  db.thaw();
  thawed = true;
  assert.deepStrictEqual(status, { code: 1, signal: null }, serve.stderr());
  assert.match(serve.stderr(), /the store did not close within 10 s/);
  await stuck;
});
