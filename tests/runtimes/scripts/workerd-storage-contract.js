// workerd: runs the shared storage contract (tests/js/storage-contract.js) on
// the Cloudflare adapters of the installed package and answers with the
// results per backend: durableObjectStorage(ctx.storage) inside a SQLite-backed
// and a key-value-backed Durable Object, and kvStorage(env.KV) in the Worker.
import { durableObjectStorage, kvStorage } from "../../../node_modules/pandora-mq/entry/workerd.js";
import { storageContract } from "../../js/storage-contract.js";
import { miniHarness } from "../../js/support/mini-harness.js";

/**
 * ctx.storage cannot leave its object, so the contract runs inside it.
 * Subclassed below once per storage backend, because Miniflare fixes the
 * backend per class.
 */
class ContractObject {
  /** @param {any} ctx */
  constructor(ctx) {
    this.ctx = ctx;
  }

  /**
   * Which backend this object really got. The key-value backend has a `sql`
   * property too, but running a query on it throws.
   */
  backend() {
    try {
      this.ctx.storage.sql.exec("SELECT 1");
      return "sqlite";
    } catch {
      return "key-value";
    }
  }

  async fetch() {
    const harness = miniHarness();
    const storage = this.ctx.storage;
    const backend = this.backend();
    storageContract(
      `durableObjectStorage (${backend})`,
      async () => {
        await storage.deleteAll(); // each test starts on an empty store
        return durableObjectStorage(storage);
      },
      harness,
    );
    return Response.json({ backend, results: await harness.run() });
  }
}

export class SqliteContractObject extends ContractObject {}
export class KeyValueContractObject extends ContractObject {}

/**
 * Deletes every key of a KV namespace, so the next test starts empty.
 * @param {any} kv
 */
async function clearKv(kv) {
  for (;;) {
    const page = await kv.list();
    await Promise.all(page.keys.map((/** @type {{ name: string }} */ k) => kv.delete(k.name)));
    if (page.list_complete) return;
  }
}

/**
 * The contract on Workers KV, twice: on the bare namespace, and through the
 * adapter's `prefix` option while the keys of earlier tests are still there,
 * which shows that a prefixed store neither sees nor returns its neighbours.
 * @param {any} kv
 */
async function kvContract(kv) {
  const harness = miniHarness();
  storageContract(
    "kvStorage",
    async () => {
      await clearKv(kv);
      return kvStorage(kv);
    },
    harness,
  );
  let n = 0;
  storageContract("kvStorage (prefixed)", () => kvStorage(kv, { prefix: `store${n++}/` }), harness);
  return harness.run();
}

/** @param {any} namespace */
const inObject = async (namespace) => (await namespace.get(namespace.idFromName("contract")).fetch("http://do/")).json();

export default {
  /** @param {Request} _request @param {any} env */
  async fetch(_request, env) {
    try {
      // One backend after another: the contract's timing-based tests must not compete.
      const sqlite = await inObject(env.SQLITE_OBJECTS);
      const keyValue = await inObject(env.KEY_VALUE_OBJECTS);
      const kv = await kvContract(env.KV);
      return Response.json({ sqlite, keyValue, kv });
    } catch (err) {
      return Response.json({ error: String(/** @type {any} */ (err)?.stack ?? err) }, { status: 500 });
    }
  },
};
