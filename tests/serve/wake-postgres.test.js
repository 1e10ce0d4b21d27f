// Long polls across servers on one PostgreSQL queue: a send through one
// server wakes a waiter of another (LISTEN/NOTIFY), each on its own pool, as
// two processes are. The waiter's timers never fire, so nothing but the
// wake-up can end its wait before the test's guard does.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import pg from "pg";
import { Server, postgresStorage } from "pandora-mq";
import { startPostgres } from "./support/postgres.js";

const db = await startPostgres();
const pools = [];
after(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await db.stop();
});
const pool = () => {
  const p = new pg.Pool({ connectionString: db.url, max: 2 });
  pools.push(p);
  return p;
};
/** Timers whose callbacks never run: a long poll can only end by a wake-up. */
const frozen = { setTimeout: () => 0, clearTimeout: () => {} };
/** Rejects after `ms` of real time: the test's guard, never its assertion. */
const guard = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`not woken within ${ms} ms: ${what}`)), ms).unref());

let n = 0;
async function twoServers() {
  const table = `wake${n++}`;
  const [sa, sb] = [postgresStorage(pool(), { table }), postgresStorage(pool(), { table })];
  await Promise.all([sa.ready, sb.ready]);
  return { a: new Server({ storage: sa }), b: new Server({ storage: sb, timers: frozen }), close: () => Promise.all([sa.close(), sb.close()]) };
}

test("postgres: a send through one server wakes a long poll waiting in another", async () => {
  const { a, b, close } = await twoServers();
  try {
    const waiting = b.fetchLatest("bob@x", { wait: 20_000 });
    // Let the waiter's first fetch find nothing and its LISTEN take hold.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { mid } = await a.send({ sender: "a@x", receiver: "bob@x", body: { n: 1 } });
    const got = await Promise.race([waiting, guard(10_000, "fetchLatest")]);
    assert.strictEqual(got?.mid, mid);
  } finally {
    await close();
  }
});

test("postgres: many waiters in another server, each woken message delivered to one of them", async () => {
  const { a, b, close } = await twoServers();
  try {
    const waiters = Array.from({ length: 6 }, () => b.fetchLatest("many@x", { wait: 20_000 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = [];
    for (let i = 0; i < 6; i++) sent.push((await a.send({ sender: "a@x", receiver: "many@x", body: { i } })).mid);
    const got = await Promise.race([Promise.all(waiters), guard(10_000, "6 waiters")]);
    assert.deepStrictEqual(got.map((m) => m.mid).sort(), sent.sort(), "each message to exactly one waiter");
  } finally {
    await close();
  }
});

test("postgres: a send to another mailbox does not end the wait; the mailbox's own does", async () => {
  const { a, b, close } = await twoServers();
  try {
    let done = false;
    const waiting = b.fetchLatest("mine@x", { wait: 20_000 }).finally(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await a.send({ sender: "a@x", receiver: "other@x", body: {} });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.strictEqual(done, false, "still waiting after another mailbox's send");
    const { mid } = await a.send({ sender: "a@x", receiver: "mine@x", body: {} });
    assert.strictEqual((await Promise.race([waiting, guard(10_000, "own mailbox")]))?.mid, mid);
  } finally {
    await close();
  }
});

test("postgres: storages of one new table and schema made at the same moment are all ready", async () => {
  // Each race is run many times: which catalog error the loser gets varies.
  const p = pool();
  for (let round = 0; round < 20; round++) {
    const options = { table: `twins${round}`, schema: `twin_schema${round}` };
    const storages = Array.from({ length: 6 }, () => postgresStorage(p, options));
    await Promise.all(storages.map((s) => s.ready));
    await storages[0].write([["k", new Uint8Array([round])]]);
    assert.deepStrictEqual(await storages[5].get("k"), new Uint8Array([round]));
    await Promise.all(storages.map((s) => s.close()));
  }
});

test("postgres: a listening connection dropped without a word is noticed and replaced, and its waiters woken", async (t) => {
  const { pgWakeChannel } = await import("../../node_modules/pandora-mq/src/storage/pg-wake.js");
  // A TCP proxy in front of PostgreSQL that can go silent on the connections
  // it carries, as a NAT or a proxy dropping an idle connection does.
  const target = new URL(db.url);
  const silenced = new Set();
  const sockets = new Set();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair = { client, upstream };
    sockets.add(pair);
    client.on("data", (d) => silenced.has(pair) || upstream.write(d));
    upstream.on("data", (d) => silenced.has(pair) || client.write(d));
    const end = () => (client.destroy(), upstream.destroy());
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const viaProxy = new URL(db.url);
  viaProxy.host = `127.0.0.1:${proxy.address().port}`;
  const proxied = new pg.Pool({ connectionString: viaProxy.href, max: 1 });
  pools.push(proxied);
  const wake = pgWakeChannel(proxied, "pandora_mq:heartbeat_test", () => {}, { heartbeatMs: 100, heartbeatTimeoutMs: 200 });
  t.after(() => {
    wake.close();
    for (const { client, upstream } of sockets) client.destroy(), upstream.destroy();
    proxy.close();
  });
  /** @type {(() => void)[]} */
  const pending = [];
  wake.subscribe(() => pending.shift()?.());
  const woken = () => new Promise((resolve) => pending.push(resolve));
  await Promise.race([woken(), guard(10_000, "LISTEN taking hold")]);
  for (const pair of sockets) silenced.add(pair); // the listening connection goes silent
  const again = woken();
  const direct = pool();
  await direct.query("SELECT pg_notify($1, $2)", ["pandora_mq:heartbeat_test", JSON.stringify({ o: "elsewhere", m: null })]);
  // The notification is lost on the silent connection; the heartbeat finds it dead, a new one listens and wakes every waiter.
  await Promise.race([again, guard(10_000, "the replacement LISTEN")]);
});

test("postgres: a pool that is not a pg Pool (no Client to listen with) gets no listening, and a long poll ends at its deadline", async () => {
  const inner = new pg.Pool({ connectionString: db.url, max: 1 });
  pools.push(inner);
  const wrapper = { query: (...a) => inner.query(...a), connect: () => inner.connect() };
  const storage = postgresStorage(wrapper, { table: "wrapped_pool" });
  await storage.ready;
  let now = 0;
  const server = new Server({ storage, clock: () => now });
  const waiting = server.fetchLatest("w@x", { wait: 1_000 });
  now = 1_001;
  assert.strictEqual(await Promise.race([waiting, guard(10_000, "the deadline")]), null);
  const { mid } = await server.send({ sender: "a@x", receiver: "w@x", body: {} });
  assert.strictEqual((await server.fetchLatest("w@x"))?.mid, mid, "the pool's one connection is free for queries");
  await storage.close();
});
