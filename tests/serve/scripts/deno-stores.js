// Deno: the storage contract and the queue scenarios on denoKvStorage
// (Deno.openKv on a file) and on sqliteStorage over Deno's node:sqlite.
// Prints one JSON line: { kv: results, sqlite: results, tooLarge }.
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
await Deno.remove(dir, { recursive: true });
console.log(JSON.stringify({ kv, sqlite, tooLarge, afterRefusal }));
