// (5) Chromium (Debian /usr/bin/chromium, headless, via playwright-core):
// IndexedDB sends/s and fetch+ack pairs/s of `new Server({ storage:
// indexedDbStorage(name) })` from the package's browser entry, against raw
// idb-keyval in the same page, one transaction per operation:
// - send baseline: `set(key, bytes)` of an encoded body of the same size and
//   content (one readwrite transaction per message);
// - fetch+ack baseline: `get(key)` then `del(key)` (one readonly and one
//   readwrite transaction per message: read it, remove it).
// The Server does per send 2 reads + 1 write transaction (+ a Web Lock), per
// fetch+ack 6 reads + 2 writes (+ 2 Web Locks).
// node_modules/pandora-mq and node_modules/idb-keyval are served by a local
// static server (tests/browser/support/static-server.js, shared with the tests).

import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { launch, missing } from "./lib/chromium.js";
import { figure, unavailable } from "./lib/results.js";
import { startStaticServer } from "../tests/browser/support/static-server.js";

export const title = "Chromium: IndexedDB storage vs raw idb-keyval";

const PKG = fileURLToPath(new URL("../", import.meta.resolve("pandora-mq")));
const IDB_KEYVAL = join(dirname(createRequire(import.meta.url).resolve("idb-keyval/package.json")));

const NAMES = { send: "chromium IndexedDB: send", fetchAck: "chromium IndexedDB: fetch+ack" };

/** Runs in the page: loads the package's browser entry and idb-keyval once. */
async function setUpPage() {
  const pkg = await import("/pandora-mq/entry/browser.js");
  const idb = await import("/idb-keyval/dist/index.js");
  Object.assign(globalThis, { bench: { pkg, idb } });
  return navigator.userAgent;
}

/** Runs in the page: one round of one variant on a fresh database. Self-contained (Playwright sends only the source). */
async function roundInPage({ variant, n, round }) {
  const { pkg, idb } = globalThis.bench;
  const SENDER = "alice@example.com";
  const RECEIVER = "bob@example.com";
  const PAYLOAD = "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.";
  const body = (i) => ({ topic: "orders", id: i, payload: PAYLOAD });
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const encoder = new TextEncoder();
  /** The body as the server encodes it: its fields plus the server's, sorted, form-encoded. */
  const encoded = (i) => {
    const fields = {
      ...body(i), sender: SENDER, receiver: RECEIVER, clientTime: new Date().toISOString(),
      "p-nonce": hex(crypto.getRandomValues(new Uint8Array(16))), "p-server": "Pandora-Default-Server",
    };
    return new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]).sort((a, b) => (a[0] < b[0] ? -1 : 1))).toString();
  };
  const rate = (count, t0) => (count * 1000) / (performance.now() - t0);
  const name = `pandora-bench-${variant}-${round}-${Date.now()}`;

  if (variant === "server") {
    const storage = pkg.indexedDbStorage(name);
    const server = new pkg.Server({ storage });
    let t0 = performance.now();
    for (let i = 0; i < n; i++) await server.send({ sender: SENDER, receiver: RECEIVER, body: body(i) });
    const send = rate(n, t0);
    t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const m = await server.fetchLatest(RECEIVER);
      if (m === null) throw new Error(`queue empty after ${i}`);
      await server.ack(m.mid, m.lid, "confirmed");
    }
    const fetchAck = rate(n, t0);
    await storage.close();
    await pkg.deleteIndexedDb(name);
    return { send, fetchAck };
  }

  const store = idb.createStore(name, "kv");
  const keys = [];
  let t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const key = `b/${hex(crypto.getRandomValues(new Uint8Array(20)))}`;
    keys.push(key);
    await idb.set(key, encoder.encode(encoded(i)), store);
  }
  const send = rate(n, t0);
  t0 = performance.now();
  for (const key of keys) {
    const value = await idb.get(key, store);
    if (value === undefined) throw new Error(`missing ${key}`);
    await idb.del(key, store);
  }
  const fetchAck = rate(n, t0);
  await store("readonly", (s) => s.transaction.db.close());
  await new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = resolve;
    req.onerror = () => reject(req.error);
  });
  return { send, fetchAck };
}

export async function run({ quick, log }) {
  const why = missing();
  if (why) return Object.values(NAMES).map((name) => unavailable({ name, unit: "ops/s", baseline: "raw idb-keyval", reason: why }));
  const n = quick ? 40 : 300;
  const rounds = quick ? 3 : 7;
  const web = await startStaticServer({ "/pandora-mq/": PKG, "/idb-keyval/": IDB_KEYVAL });
  const chromium = await launch();
  try {
    const page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    page.on("pageerror", (e) => log(`  [page error] ${e}`));
    await page.goto(`${web.origin}/`);
    const agent = await page.evaluate(setUpPage);
    log(`  ${agent}; ${n} messages per round, ${rounds} rounds`);
    const samples = { server: { send: [], fetchAck: [] }, raw: { send: [], fetchAck: [] } };
    for (let r = -1; r < rounds; r++) {
      const order = r % 2 ? ["server", "raw"] : ["raw", "server"];
      const got = {};
      for (const variant of order) got[variant] = await page.evaluate(roundInPage, { variant, n, round: r + 1 });
      log(`  ${r < 0 ? "warm-up" : `round ${r + 1}/${rounds}`}: server send ${got.server.send.toFixed(0)}/s fetch+ack ${got.server.fetchAck.toFixed(0)}/s | idb-keyval set ${got.raw.send.toFixed(0)}/s get+del ${got.raw.fetchAck.toFixed(0)}/s`);
      if (r < 0) continue;
      for (const v of ["server", "raw"]) for (const k of ["send", "fetchAck"]) samples[v][k].push(got[v][k]);
    }
    const note = `Chromium ${chromium.version}; ${n} messages/round, fresh database per round`;
    const target = { text: "≥ 0.5×", met: (e) => e.ratio >= 0.5 };
    return [
      figure({
        name: NAMES.send, unit: "msg/s", samples: samples.server.send,
        baseline: "idb-keyval set (1 tx/msg)", baselineSamples: samples.raw.send, target, note,
      }),
      figure({
        name: NAMES.fetchAck, unit: "pairs/s", samples: samples.server.fetchAck,
        baseline: "idb-keyval get + del (2 tx/msg)", baselineSamples: samples.raw.fetchAck, target, note,
      }),
    ];
  } finally {
    await chromium.close();
    await web.close();
  }
}
