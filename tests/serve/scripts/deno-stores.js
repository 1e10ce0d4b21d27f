// Deno: the storage contract and the queue scenarios on denoKvStorage
// (Deno.openKv on a file) and on sqliteStorage over Deno's node:sqlite.
// Then Deno KV's commit limits, met by the queue: bulk operations split to
// fit, what cannot fit is refused clearly, two storages on one Deno.Kv share
// one lock. Prints one JSON line: { kv, sqlite, tooLarge, afterRefusal, limits }.
import { DatabaseSync } from "node:sqlite";
import { Server, denoKvStorage, sqliteStorage } from "../../../node_modules/pandora-mq/entry/deno.js";
import { storageContract } from "../../js/storage-contract.js";
import { queueScenarios } from "../../js/queue-scenarios.js";
import { miniHarness } from "../../js/support/mini-harness.js";

const dir = await Deno.makeTempDir({ prefix: "pandora-deno-" });
let n = 0;
const kvStore = async () => denoKvStorage(await Deno.openKv(`${dir}/kv${n++}.db`));
const sqliteStore = () => sqliteStorage(new DatabaseSync(`${dir}/sq${n++}.db`));

async function suites(makeStorage, name) {
  const harness = miniHarness();
  storageContract(name, makeStorage, harness);
  queueScenarios(name, async (options) => new Server({ ...options, storage: await makeStorage() }), harness);
  return harness.run();
}

const kv = await suites(kvStore, "deno kv");
const sqlite = await suites(sqliteStore, "sqlite (deno node:sqlite)");

// A batch beyond one atomic operation is refused whole.
const big = await kvStore();
await big.write([["keep", new Uint8Array([1])]]);
const batch = [["keep", null]];
for (let i = 0; i < 1500; i++) batch.push([`k/${i}`, new Uint8Array([i & 255])]);
let tooLarge = null;
try {
  await big.write(batch);
} catch (err) {
  tooLarge = String(err?.message);
}
const afterRefusal = { keep: (await big.get("keep"))?.[0] ?? null, written: (await big.list({ prefix: "k/" })).length };
await big.close();

const limits = {};
const failure = (/** @type {any} */ err) => ({ code: err?.code ?? null, message: String(err?.message) });
{
  // Bulk operations over Deno KV's 1,000 mutations per commit: 400 pending
  // messages purged (1,200 keys), 300 dead ones redriven (1,200 keys), 400
  // ended leases released (800 keys).
  let now = 1_700_000_000_000;
  const storage = await kvStore();
  const server = new Server({ storage, clock: () => now, maxDeliveries: 1 });
  const fill = async (box, count) => {
    for (let i = 0; i < count; i += 100) {
      await server.sendBatch(Array.from({ length: Math.min(100, count - i) }, (_, k) => ({ sender: "a@x", receiver: box, body: { n: i + k } })));
    }
  };
  await fill("purged@x", 400);
  limits.purge = await server.purge("purged@x").catch(failure);
  limits.purgedStats = (await server.stats("purged@x")).ready;
  await fill("dead@x", 300);
  for (let i = 0; i < 300; i++) {
    const m = await server.fetchLatest("dead@x");
    await server.ack(m.mid, m.lid, "rejected");
  }
  limits.redrive = await server.redrive("dead@x").catch(failure);
  limits.redrivenStats = await server.stats("dead@x").then((s) => [s.ready, s.dead]);
  await fill("leased@x", 400);
  for (let i = 0; i < 400; i++) await server.fetchLatest("leased@x", { lease: 1000 });
  now += 2000;
  limits.reenqueue = await server.reenqueue().catch(failure);
  limits.reenqueuedStats = await server.stats("leased@x").then((s) => [s.ready, s.leased, s.dead]);

  // A mailbox name of 254 bytes makes keys of some 790 bytes: 100 messages
  // in one commit are beyond 80 KiB of keys, refused whole; 20 fit.
  const long = "é".repeat(127);
  const item = (n) => ({ sender: "a@x", receiver: long, body: { n } });
  limits.longBatch = await server.sendBatch(Array.from({ length: 100 }, (_, n) => item(n))).then(() => "sent", failure);
  limits.longAfterRefusal = (await server.stats(long)).ready;
  for (let i = 0; i < 5; i++) await server.sendBatch(Array.from({ length: 20 }, (_, n) => item(i * 20 + n)));
  limits.longPurge = await server.purge(long).catch(failure);

  // Writes exactly at the declared limits (what a commit may hold besides
  // the clock's bump and check) commit in Deno KV; one byte more is refused.
  const { keys, keyBytes, keyOverhead } = storage.writeLimit;
  const mutations = Array.from({ length: keys }, (_, i) => [`k/${i}`, new Uint8Array(1)]);
  limits.atKeys = await storage.write(mutations).then(() => "written", failure);
  const sized = (i, size) => `s/${String(i).padStart(3, "0")}/`.padEnd(size - keyOverhead, "z");
  const full = Math.floor(keyBytes / 2048);
  const atBytes = Array.from({ length: full }, (_, i) => [sized(i, 2048), new Uint8Array(0)]);
  atBytes.push([sized(full, keyBytes - full * 2048), new Uint8Array(0)]);
  limits.atKeyBytes = await storage.write(atBytes).then(() => "written", failure);
  atBytes[full][0] += "z";
  limits.overKeyBytes = await storage.write(atBytes).then(() => "written", failure);

  // One value beyond 64 KiB.
  limits.bigValue = await storage.write([["v", new Uint8Array(70_000)]]).then(() => "written", failure);
  await storage.close();
}
{
  // Two storages over one Deno.Kv, a Server each, 40 fetches at once for 20 messages.
  const kvHandle = await Deno.openKv(`${dir}/shared.db`);
  const [a, b] = [new Server({ storage: denoKvStorage(kvHandle) }), new Server({ storage: denoKvStorage(kvHandle) })];
  await a.sendBatch(Array.from({ length: 20 }, (_, n) => ({ sender: "a@x", receiver: "shared@x", body: { n } })));
  const got = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).fetchLatest("shared@x")));
  const mids = got.filter(Boolean).map((m) => m.mid);
  limits.shared = { deliveries: mids.length, distinct: new Set(mids).size };
  kvHandle.close();
}
{
  // Two Deno.Kv handles on one file (as two processes have): a section whose
  // write another commit overtakes runs again on the new state; so does one
  // that writes nothing after reads another commit came between; one that is
  // overtaken every time gives up after `retryFor`, having written nothing.
  const [kvA, kvB] = [await Deno.openKv(`${dir}/race.db`), await Deno.openKv(`${dir}/race.db`)];
  const [A, B] = [denoKvStorage(kvA, { retryFor: 300 }), denoKvStorage(kvB)];
  const one = (n) => new Uint8Array([n]);
  let runs = 0;
  const seen = await A.exclusive(async () => {
    runs++;
    const n = (await A.get("n"))?.[0] ?? 0;
    if (runs === 1) await B.write([["n", one(7)]]); // lands between A's read and A's write
    await A.write([["n", one(n + 1)]]);
    return n;
  });
  limits.overtaken = { runs, seen, stored: (await A.get("n"))[0] };
  let attempts = 0;
  limits.alwaysOvertaken = await A.exclusive(async () => {
    attempts++;
    await A.get("n");
    await B.write([["other", one(attempts & 255)]]);
    await A.write([["n", one(99)]]);
  }).then(() => "written", failure);
  limits.alwaysOvertaken.attempts = attempts;
  limits.alwaysOvertaken.stored = (await A.get("n"))[0];
  // A read-only section whose two reads straddle another handle's commit
  // sees a state that never was (here: n and m disagree); it runs again.
  await B.write([["n", one(1)], ["m", one(1)]]);
  let readRuns = 0;
  limits.readOnly = await A.exclusive(async () => {
    readRuns++;
    const n = (await A.get("n"))[0];
    if (readRuns === 1) await B.write([["n", one(2)], ["m", one(2)]]);
    const m = (await A.get("m"))[0];
    return { n, m };
  });
  limits.readOnly.runs = readRuns;
  kvA.close();
  kvB.close();
}
await Deno.remove(dir, { recursive: true });
console.log(JSON.stringify({ kv, sqlite, tooLarge, afterRefusal, limits }));
