// PostgreSQL stopped under a running `pandora-mq serve`: requests in flight
// and after get 500 code=storage, nothing is half-written (the queue holds
// exactly what was confirmed to clients), and once the database is back the
// same server process works again.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startPostgres } from "./support/postgres.js";
import { startServe } from "./support/serve-process.js";

const pg = await startPostgres();
after(() => pg.stop());

const post = async (url, route, fields) => {
  const res = await fetch(`${url}/api/${route}`, { method: "POST", body: new URLSearchParams(fields) });
  return { status: res.status, fields: new URLSearchParams(await res.text()) };
};

test("postgres stopped mid-run: 500 storage, nothing half-written, the same server recovers", { timeout: 120_000 }, async () => {
  const serve = await startServe(["--store", pg.url, "--table", "faults", "--admin"]);
  try {
    const receiver = "faults@x";
    const before = await post(serve.url, "send", { sender: "a", receiver, n: "before" });
    assert.strictEqual(before.status, 200);

    // Sends race the shutdown: each must either have happened (200) or not at all (500 storage).
    const inFlight = Array.from({ length: 40 }, (_, i) => post(serve.url, "send", { sender: "a", receiver, n: `race-${i}` }));
    await pg.pause();
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

    await pg.resume();
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
