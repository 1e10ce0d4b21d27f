// One interface over the two ways to reach a queue:
//   local  — a pandora-mq `Server` running in this tab on IndexedDB;
//   remote — the `Mailbox` HTTP client talking to the Worker's API.
// Every view calls only the methods returned here.

import { bindPackage } from "./format.js";

export const DB_NAME = "pandora-demo";

/**
 * The production policy of the Server in the tab: a message rejected or timed
 * out on its third delivery becomes a dead letter, and each failed delivery
 * waits a little longer before it is due again, so both can be watched.
 */
export const LOCAL_POLICY = Object.freeze({
  maxDeliveries: 3,
  retryBackoff: Object.freeze({ initial: "1s", max: "30s", factor: 2 }),
});

let pkgPromise = null;

/** Where `make pkg` puts the package's browser entry (it initialises the wasm, then exports the API). */
const ENTRY = "../vendor/pandora-mq/entry/browser.js";

/** Loads the wasm package once (a dynamic import, so a missing build is reported, not thrown at parse time). */
export function loadPackage() {
  pkgPromise ??= import(ENTRY).then((pkg) => {
    bindPackage(pkg);
    return pkg;
  });
  return pkgPromise;
}

/**
 * Test hook: when `window.__pandoraClock` is a function before the app starts,
 * the local Server and every countdown use it instead of the real time.
 */
export function testClock() {
  const hook = globalThis.__pandoraClock;
  return typeof hook === "function" ? () => Number(hook()) : null;
}

/** Runs async jobs one after another, in call order. */
function serial() {
  let tail = Promise.resolve();
  return (job) => {
    const result = tail.then(job, job);
    tail = result.catch(() => {});
    return result;
  };
}

export async function createLocalBackend() {
  const { Server, indexedDbStorage, deleteIndexedDb } = await loadPackage();
  const clock = testClock();
  let storage = null;
  const make = () => {
    storage = indexedDbStorage(DB_NAME);
    const options = { storage, ...LOCAL_POLICY };
    if (clock) options.clock = clock;
    return new Server(options);
  };
  let server = make();
  // The wasm Server is driven by one caller at a time; the live refresh and
  // the buttons all queue here, so their answers arrive in the order asked.
  const run = serial();
  return {
    kind: "local",
    where: `IndexedDB “${DB_NAME}” in this browser`,
    now: clock ?? (() => Date.now()),
    policy: LOCAL_POLICY,
    send: (message) => run(() => server.send(message)),
    sendBatch: (messages) => run(() => server.sendBatch(messages)),
    fetch: (receiver, options) => run(() => server.fetchLatest(receiver, options)),
    ack: (mid, lid, status) => run(() => server.ack(mid, lid, status)),
    extend: (mid, lid, options) => run(() => server.extend(mid, lid, options)),
    cancel: (receiver, mid) => run(() => server.cancel(receiver, mid)),
    headers: (receiver, options) => run(() => server.fetchHeaders(receiver, options)),
    stats: (receiver) => run(() => server.stats(receiver)),
    redrive: (receiver, options) => run(() => server.redrive(receiver, options)),
    purge: (receiver, options) => run(() => server.purge(receiver, options)),
    blob: (mid) => run(() => server.fetchBlob(mid)),
    reenqueue: () => run(() => server.reenqueue()),
    // The loop long-polls, so it calls the Server directly: queued behind
    // `run`, a waiting fetch would hold up every button and the refresh.
    consume: (receiver, handler, options) => server.consume(receiver, handler, options),
    clear: () =>
      run(async () => {
        // The database can only be deleted once this tab's connection is closed.
        await storage.close();
        await deleteIndexedDb(DB_NAME);
        server = make();
      }),
    dispose: () => run(() => storage.close()),
  };
}

export async function createRemoteBackend(url, token) {
  const { Mailbox } = await loadPackage();
  const mailbox = new Mailbox(url, token ? { token } : {});
  return {
    kind: "remote",
    where: url,
    // Times in remote messages come from the Worker's clock, which is real time.
    now: () => Date.now(),
    policy: null, // the Worker's own settings (PANDORA_MAX_DELIVERIES, …)
    send: (message) => mailbox.send(message),
    sendBatch: (messages) => mailbox.sendBatch(messages),
    fetch: (receiver, options) => mailbox.fetch(receiver, options),
    ack: (mid, lid, status) => mailbox.ack(mid, lid, status),
    extend: (mid, lid, options) => mailbox.extend(mid, lid, options),
    cancel: (receiver, mid) => mailbox.cancel(receiver, mid),
    headers: (receiver, options) => mailbox.fetchHeaders(receiver, options),
    stats: (receiver) => mailbox.stats(receiver),
    redrive: (receiver, options) => mailbox.redrive(receiver, options),
    purge: (receiver, options) => mailbox.purge(receiver, options),
    blob: (mid) => mailbox.fetchBlob(mid),
    reenqueue: () => mailbox.reenqueue(),
    consume: (receiver, handler, options) => mailbox.consume(receiver, handler, options),
    clear: null,
    dispose: async () => {}, // a Mailbox holds no connection of its own
  };
}

/** Stands in while remote mode waits for Connect: every action says so. */
export function disconnectedBackend(reason) {
  const refuse = async () => {
    throw { code: "not_connected", message: reason };
  };
  return {
    kind: "none",
    where: "",
    now: () => Date.now(),
    policy: null,
    send: refuse,
    sendBatch: refuse,
    fetch: refuse,
    ack: refuse,
    extend: refuse,
    cancel: refuse,
    headers: refuse,
    stats: refuse,
    redrive: refuse,
    purge: refuse,
    blob: refuse,
    reenqueue: refuse,
    consume: () => {
      throw { code: "not_connected", message: reason };
    },
    clear: null,
    dispose: async () => {},
  };
}

/** `{ code, message }` for anything thrown: a PandoraError keeps its code. */
export function describeError(error) {
  if (error && typeof error === "object" && typeof error.code === "string") {
    return { code: error.code, message: error.message || error.code };
  }
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) {
    return { code: "network", message: `cannot reach the server: ${error.message}` };
  }
  return { code: "error", message: error?.message ?? String(error) };
}
