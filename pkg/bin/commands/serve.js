// `pandora-mq serve`: the HTTP API and the demo page on node:http, on the store
// named by --store. A reply goes out only after its write is durable there.
import { serveConfig, serverOptions, UsageError, USAGE } from "../../src/serve/config.js";
import { openStore } from "../../src/serve/open-store.js";
import { listen } from "../../src/serve/http-server.js";
import { hasWww } from "../../src/serve/static-files.js";
import { refusedVariable } from "../../src/settings-env.js";

/** How long a stop waits for the requests in flight before it cuts their connections. */
const GRACE_MS = 10_000;
/** How long an exit forced by a second signal still waits for the store to close. */
const FORCED_CLOSE_MS = 1_000;
/**
 * How long a stop waits for the store to close (operations queued in it to
 * end) before it exits anyway: every reply sent was durable already, so
 * what is still queued was never confirmed to anyone.
 */
const STORE_CLOSE_MS = 10_000;

const log = (/** @type {string} */ line) => console.error(`pandora-mq: ${line}`);

/** @param {number} ms */
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The package entry for this runtime: it initialises the wasm. */
function loadPackage() {
  return "Deno" in globalThis ? import("../../entry/deno.js") : import("../../entry/node.js");
}

export const summary = "run the HTTP API and the demo page (--store memory | sqlite:<file> | postgres://…)";

/**
 * Ends the process after a failure to start: one line, the store closed first when open.
 * @param {string} line
 * @param {number} code 2 for a settings mistake, 1 for anything else
 * @param {{ close(): Promise<void> }} [store]
 * @returns {Promise<never>}
 */
async function fail(line, code, store) {
  log(line);
  await store?.close().catch(() => {});
  process.exit(code);
}

/**
 * SIGTERM or SIGINT stops gracefully: no new connections, the requests in
 * flight answered, the connections still open after GRACE_MS cut, the store
 * closed. A second signal (Ctrl-C again) exits at once.
 * @param {Awaited<ReturnType<typeof listen>>} http
 * @param {{ close(): Promise<void> }} store
 */
function stopOnSignals(http, store) {
  /** @type {Promise<void> | undefined} */
  let storeClosed;
  // Once: the forced exit may come while the graceful stop is closing it.
  const closeStore = () => (storeClosed ??= store.close());
  let stopping = false;
  let forced = false;

  const stop = async (/** @type {string} */ signal) => {
    stopping = true;
    log(`${signal}: finishing in-flight requests (up to ${GRACE_MS / 1000} s), then closing the store; a second signal exits at once`);
    const cut = await http.close(GRACE_MS);
    // Cutting the connections ends that wait too: the forced exit has the last word.
    if (forced) return;
    if (cut > 0) log(`${cut} connection${cut === 1 ? "" : "s"} still open after ${GRACE_MS / 1000} s: closed`);
    const late = Symbol("late");
    let closed;
    try {
      closed = await Promise.race([closeStore(), delay(STORE_CLOSE_MS).then(() => late)]);
    } catch (err) {
      await fail(`closing the store failed: ${/** @type {Error} */ (err).message}`, 1);
    }
    if (closed === late) {
      log(`the store did not close within ${STORE_CLOSE_MS / 1000} s (is it answering?): exiting without it`);
      process.exit(1);
    }
    process.exit(0);
  };

  const forceExit = async (/** @type {string} */ signal) => {
    forced = true;
    log(`${signal} again: exiting now`);
    http.closeNow();
    await Promise.race([closeStore().catch(() => {}), delay(FORCED_CLOSE_MS)]);
    process.exit(1);
  };

  const on = (/** @type {string} */ signal) => {
    if (forced) return;
    void (stopping ? forceExit(signal) : stop(signal));
  };
  process.on("SIGTERM", () => on("SIGTERM"));
  process.on("SIGINT", () => on("SIGINT"));
}

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
    return fail(/** @type {Error} */ (err).message, err instanceof UsageError ? 2 : 1);
  }
  let server;
  try {
    server = new Server({ storage: store.storage, ...serverOptions(config) });
  } catch (err) {
    // A setting the package refuses (a signing secret too short, a malformed duration): a settings mistake.
    if (!(err instanceof pkg.PandoraError)) throw err;
    const variable = refusedVariable(Server, config.settings);
    return fail(`${variable ? `${variable}: ` : ""}${err.message}`, 2, store);
  }
  const www = config.www && (await hasWww());
  let http;
  try {
    http = await listen(server, { host: config.host, port: config.port, www, log, cors: config.cors });
  } catch (err) {
    // EADDRINUSE, an address that is not this machine's or no address at all.
    return fail(`cannot listen on ${config.host}:${config.port}: ${/** @type {Error} */ (err).message}`, 1, store);
  }
  // Before any line a script may wait on: a signal right after it stops gracefully.
  stopOnSignals(http, store);
  if (config.token === undefined && !config.signingKeys) log("no token set (--token or PANDORA_TOKEN): the API is open to anyone who can reach it");
  log(`store: ${store.describe}`);
  // The one line scripts wait for: the address, with the real port when --port 0.
  console.log(`pandora-mq serve listening on ${http.url} (API under ${http.url}/api/${www ? ", demo page at /" : ""})`);
}
