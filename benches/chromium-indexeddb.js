// (5) Chromium (Debian /usr/bin/chromium, headless, via playwright-core):
// IndexedDB sends/s and fetch+ack pairs/s of `new Server({ storage:
// indexedDbStorage(name) })` from the package's browser entry, against raw
// idb-keyval in the same page, one transaction per operation:
// - send baseline: `set(key, bytes)` of an encoded body of the same size and
//   content (one readwrite transaction per message);
// - fetch+ack baseline: `get(key)` then `del(key)` (one readonly and one
//   readwrite transaction per message: read it, remove it).
// The Server does one transaction per operation; its Web Lock is held across
// a burst (one request per 16 operations) and reads of rows it read or wrote
// earlier in the burst are answered from memory (docs/design.md, "IndexedDB:
// round trips, not work"). Both run in turns of CHUNK operations in one page.
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

/** Operations per turn: the Server and idb-keyval alternate every CHUNK operations. */
const CHUNK = 25;

const NAMES = { send: "chromium IndexedDB: send", fetchAck: "chromium IndexedDB: fetch+ack" };

/** Runs in the page: loads the package's browser entry and idb-keyval once. */
async function setUpPage() {
  const pkg = await import("/pandora-mq/entry/browser.js");
  const idb = await import("/idb-keyval/dist/index.js");
  Object.assign(globalThis, { bench: { pkg, idb } });
  return navigator.userAgent;
}

/**
 * Runs in the page: one round on fresh databases, the Server and raw
 * idb-keyval taking turns every `chunk` operations (so a load swing on the
 * machine hits both alike), each variant's time summed over its own chunks.
 * Self-contained (Playwright sends only the source).
 */
async function roundInPage({ n, chunk, round }) {
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
  const name = `pandora-bench-${round}-${Date.now()}`;
  const storage = pkg.indexedDbStorage(`${name}-server`);
  const server = new pkg.Server({ storage });
  const store = idb.createStore(`${name}-raw`, "kv");
  const keys = [];
  const work = {
    server: {
      send: (i) => server.send({ sender: SENDER, receiver: RECEIVER, body: body(i) }),
      fetchAck: async (i) => {
        const m = await server.fetchLatest(RECEIVER);
        if (m === null) throw new Error(`queue empty after ${i}`);
        await server.ack(m.mid, m.lid, "confirmed");
      },
    },
    raw: {
      send: (i) => {
        keys[i] = `b/${hex(crypto.getRandomValues(new Uint8Array(20)))}`;
        return idb.set(keys[i], encoder.encode(encoded(i)), store);
      },
      fetchAck: async (i) => {
        if ((await idb.get(keys[i], store)) === undefined) throw new Error(`missing ${keys[i]}`);
        await idb.del(keys[i], store);
      },
    },
  };
  const ms = { server: { send: 0, fetchAck: 0 }, raw: { send: 0, fetchAck: 0 } };
  for (const op of ["send", "fetchAck"]) {
    for (let from = 0; from < n; from += chunk) {
      const order = (from / chunk + round) % 2 ? ["server", "raw"] : ["raw", "server"];
      for (const variant of order) {
        const t0 = performance.now();
        for (let i = from; i < Math.min(n, from + chunk); i++) await work[variant][op](i);
        ms[variant][op] += performance.now() - t0;
      }
    }
  }
  await storage.close();
  await pkg.deleteIndexedDb(`${name}-server`);
  await store("readonly", (s) => s.transaction.db.close());
  await new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(`${name}-raw`);
    req.onsuccess = resolve;
    req.onerror = () => reject(req.error);
  });
  const rate = (t) => (n * 1000) / t;
  return {
    server: { send: rate(ms.server.send), fetchAck: rate(ms.server.fetchAck) },
    raw: { send: rate(ms.raw.send), fetchAck: rate(ms.raw.fetchAck) },
  };
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
      const got = await page.evaluate(roundInPage, { n, chunk: CHUNK, round: r + 1 });
      log(`  ${r < 0 ? "warm-up" : `round ${r + 1}/${rounds}`}: server send ${got.server.send.toFixed(0)}/s fetch+ack ${got.server.fetchAck.toFixed(0)}/s | idb-keyval set ${got.raw.send.toFixed(0)}/s get+del ${got.raw.fetchAck.toFixed(0)}/s`);
      if (r < 0) continue;
      for (const v of ["server", "raw"]) for (const k of ["send", "fetchAck"]) samples[v][k].push(got[v][k]);
    }
    const note = `Chromium ${chromium.version}; ${n} messages/round, turns of ${CHUNK} operations, fresh databases per round`;
    return [
      figure({
        name: NAMES.send, unit: "msg/s", samples: samples.server.send,
        baseline: "idb-keyval set (1 tx/msg)", baselineSamples: samples.raw.send,
        target: { text: "≥ 0.5×", met: (e) => e.ratio >= 0.5 }, note,
      }),
      figure({
        name: NAMES.fetchAck, unit: "pairs/s", samples: samples.server.fetchAck,
        baseline: "idb-keyval get + del (2 tx/msg)", baselineSamples: samples.raw.fetchAck,
        target: { text: "≥ 0.3×", met: (e) => e.ratio >= 0.3 }, note,
      }),
    ];
  } finally {
    await chromium.close();
    await web.close();
  }
}
