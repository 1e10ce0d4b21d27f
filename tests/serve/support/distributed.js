/**
 * The distributed run shared by the PostgreSQL and SQLite tests: two
 * `pandora-mq serve` processes on one store and two client processes that
 * send and consume `total` messages over both; one server is SIGKILLed
 * part-way and restarted on its port. Resolves to what the clients saw.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import path from "node:path";
import { ROOT, startServe } from "./serve-process.js";

const CLIENT = path.join(ROOT, "tests/serve/scripts/queue-client.js");
const RECEIVERS = ["dist-a@x", "dist-b@x", "dist-c@x", "dist-d@x"];

/**
 * @param {string[]} storeFlags e.g. ["--store", url]
 * @param {{ total: number, killAfter: number }} options kill a server once this many were confirmed
 */
export async function distributedRun(storeFlags, { total, killAfter }) {
  const servers = [await startServe(storeFlags), await startServe(storeFlags)];
  const urls = servers.map((s) => s.url);
  const clients = [0, 1].map((id) =>
    fork(CLIENT, [JSON.stringify([urls, id, id * (total / 2), total / 2, RECEIVERS])], { stdio: ["ignore", "inherit", "inherit", "ipc"] }));

  let killed = null;
  let produced = 0;
  const progress = [0, 0];
  const results = await Promise.all(clients.map((child, id) => new Promise((resolve, reject) => {
    child.on("message", async (/** @type {any} */ m) => {
      if (m.progress !== undefined) {
        progress[id] = m.progress;
        if (!killed && progress[0] + progress[1] >= killAfter) {
          killed = (async () => {
            const victim = servers[0];
            const { signal } = await victim.stop("SIGKILL");
            assert.strictEqual(signal, "SIGKILL");
            servers[0] = await startServe(storeFlags, { port: victim.port });
          })();
        }
      }
      if (m.produced !== undefined && ++produced === clients.length) for (const c of clients) c.send("drain");
      if (m.done) resolve(m.done);
    });
    child.on("exit", (code) => code !== 0 && reject(new Error(`client ${id} exited with ${code}`)));
  })));
  await killed;

  // Nothing may be left pending: every message was confirmed.
  const pending = [];
  for (const receiver of RECEIVERS) {
    const res = await fetch(`${servers[1].url}/api/admin/headers?${new URLSearchParams({ receiver, receivedat: "2000-01-01T00:00:00Z" })}`);
    if (res.status === 200) pending.push(...(await res.json()));
    else assert.strictEqual(res.status, 204, await res.text());
  }
  for (const s of servers) assert.deepStrictEqual(await s.stop("SIGTERM"), { code: 0, signal: null }, s.stderr());
  return { results, pending, killed: killed !== null };
}

/**
 * Every sent message was confirmed exactly once: once by an ack that
 * answered 200, or by an ack whose connection broke (then never again).
 * @param {{ results: any[], pending: any[], killed: boolean }} run
 * @param {number} total
 */
export function assertExactlyOnce({ results, pending, killed }, total) {
  assert.ok(killed, "a server was killed mid-run");
  const sent = new Set(results.flatMap((r) => r.sent));
  assert.strictEqual(sent.size, total, "every message was sent once, under its own mid");
  const confirmed = results.flatMap((r) => r.confirmed);
  const counts = new Map();
  for (const mid of confirmed) counts.set(mid, (counts.get(mid) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1);
  assert.deepStrictEqual(twice, [], "no message was confirmed twice");
  const ambiguous = new Set(results.flatMap((r) => r.ambiguous).filter((mid) => !counts.has(mid)));
  const missing = [...sent].filter((mid) => !counts.has(mid) && !ambiguous.has(mid));
  assert.deepStrictEqual(missing, [], "no message was lost");
  for (const mid of [...counts.keys(), ...ambiguous]) assert.ok(sent.has(mid), `confirmed ${mid} was sent`);
  assert.deepStrictEqual(pending, [], "nothing is left in the queue");
  const deliveries = results.reduce((sum, r) => sum + Object.values(r.deliveries).reduce((a, b) => a + b, 0), 0);
  return { confirmed: counts.size, ambiguous: ambiguous.size, deliveries };
}
