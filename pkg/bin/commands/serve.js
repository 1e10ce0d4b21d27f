// `pandora-mq serve`: the HTTP API and the demo page on node:http, on the store
// named by --store. A reply goes out only after its write is durable there.
import { serveConfig, UsageError, USAGE } from "../../src/serve/config.js";
import { openStore } from "../../src/serve/open-store.js";
import { listen } from "../../src/serve/http-server.js";
import { hasWww } from "../../src/serve/static-files.js";

const log = (/** @type {string} */ line) => console.error(`pandora-mq: ${line}`);

/** The package entry for this runtime: it initialises the wasm. */
function loadPackage() {
  return "Deno" in globalThis ? import("../../entry/deno.js") : import("../../entry/node.js");
}

export const summary = "run the HTTP API and the demo page (--store memory | sqlite:<file> | postgres://…)";

/** @param {string[]} args */
export async function run(args) {
  let config;
  try {
    config = serveConfig(args, process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`pandora-mq serve: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (config.help) {
    console.log(USAGE);
    return;
  }
  const pkg = await loadPackage();
  const { Server } = pkg;
  let store;
  try {
    store = await openStore(config.store, { table: config.table, log });
  } catch (err) {
    log(/** @type {Error} */ (err).message);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
  const server = new Server({
    storage: store.storage,
    admin: config.admin,
    token: config.token,
    ...(config.signingKeys ? { signingKeys: config.signingKeys } : {}),
  });
  const www = config.www && (await hasWww());
  const http = await listen(server, { host: config.host, port: config.port, www, log });
  if (config.token === undefined && !config.signingKeys) log("no token set (--token or PANDORA_TOKEN): the API is open to anyone who can reach it");
  log(`store: ${store.describe}`);
  // The one line scripts wait for: the address, with the real port when --port 0.
  console.log(`pandora-mq serve listening on ${http.url} (API under ${http.url}/api/${www ? ", demo page at /" : ""})`);

  let stopping = false;
  const stop = async (/** @type {string} */ signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing in-flight requests, then closing the store`);
    await http.close();
    await store.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
