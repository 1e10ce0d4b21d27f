// The IndexedDB storage's known rows (what it read or wrote under its held
// lock) against a reference database: random writes, gets and lists, and
// whenever the known rows answer, the answer must be the database's. Plain
// JS, so it runs in Node; the browser tests run the same rows inside
// indexedDbStorage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { knownRows } from "../../node_modules/pandora-mq/src/storage/known-rows.js";

/** Deterministic PRNG (mulberry32), so a failure repeats. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The database's answer to a list, as indexedDbStorage asks it (lower and upper bounds inclusive). */
function listOf(db, lower, upper, limit) {
  const keys = [...db.keys()].filter((k) => lower <= k && k <= upper).sort();
  return (limit === undefined ? keys : keys.slice(0, limit)).map((k) => [k, db.get(k)]);
}

const show = (entries) => entries.map(([k, v]) => `${k}=${v.join(".")}`).join(" ");

test("whatever the known rows answer is what the database holds", () => {
  const random = prng(20261202);
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const key = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(["a", "b", "/"])).join("");
  const db = new Map();
  const known = knownRows();
  const asked = { get: 0, list: 0 };
  const answered = { get: 0, list: 0 };
  for (let step = 0; step < 20_000; step++) {
    const r = random();
    if (r < 0.3) {
      const batch = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        /** @type {[string, Uint8Array | null]} */ ([key(), random() < 0.3 ? null : new Uint8Array([step & 255, 7])]));
      for (const [k, v] of batch) v === null ? db.delete(k) : db.set(k, v.slice());
      known.noteWrite(batch);
    } else if (r < 0.6) {
      const k = key();
      asked.get++;
      const hit = known.get(k);
      const truth = db.get(k);
      if (hit) {
        answered.get++;
        assert.deepStrictEqual(hit.value, truth, `get ${k} at step ${step}`);
      } else known.noteGet(k, truth?.slice());
    } else if (r < 0.995) {
      const prefix = pick(["", "a", "b", "a/", "b/", "ab"]);
      const start = random() < 0.5 ? undefined : key();
      const limit = random() < 0.2 ? undefined : Math.floor(random() * 5) + 1;
      const lower = start !== undefined && start > prefix ? start : prefix;
      const upper = `${prefix}\uffff`;
      asked.list++;
      const hit = known.list(lower, upper, limit);
      const truth = listOf(db, lower, upper, limit);
      if (hit) {
        answered.list++;
        assert.strictEqual(show(hit), show(truth), `list ${prefix} from ${lower} limit ${limit} at step ${step}`);
      } else {
        const count = limit === undefined ? undefined : Math.max(limit, 3);
        known.noteList(lower, upper, count, listOf(db, lower, upper, count).map(([k, v]) => [k, v.slice()]));
      }
    } else {
      known.clear();
    }
  }
  // The rows must really answer (else the checks above checked nothing).
  assert.ok(answered.get > asked.get / 2, `gets answered ${answered.get} of ${asked.get}`);
  assert.ok(answered.list > asked.list / 4, `lists answered ${answered.list} of ${asked.list}`);
});

test("known rows hand out copies: changing an answer changes nothing kept", () => {
  const known = knownRows();
  known.noteWrite([["k", new Uint8Array([1, 2])]]);
  const first = known.get("k")?.value;
  assert.ok(first);
  first[0] = 9;
  assert.deepStrictEqual(known.get("k")?.value, new Uint8Array([1, 2]));
  known.noteList("a", "a\uffff", undefined, [["a1", new Uint8Array([3])]]);
  const [[, listed]] = known.list("a", "a\uffff", 1) ?? [[]];
  listed[0] = 9;
  assert.deepStrictEqual(known.list("a", "a\uffff", 1), [["a1", new Uint8Array([3])]]);
});

test("cleared known rows answer nothing", () => {
  const known = knownRows();
  known.noteWrite([["k", new Uint8Array([1])]]);
  known.noteList("", "\uffff", undefined, [["k", new Uint8Array([1])]]);
  known.clear();
  assert.strictEqual(known.get("k"), null);
  assert.strictEqual(known.get("other"), null);
  assert.strictEqual(known.list("", "\uffff", 5), null);
});

test("a read that comes back after a clear is not noted", () => {
  const known = knownRows();
  const late = known.noter();
  known.clear(); // the hold ended while the read was on its way
  late.noteGet("k", new Uint8Array([1]));
  late.noteList("", "\uffff", undefined, [["k", new Uint8Array([1])]]);
  late.noteWrite([["j", new Uint8Array([2])]]);
  assert.strictEqual(known.get("k"), null);
  assert.strictEqual(known.get("j"), null);
  assert.strictEqual(known.list("", "\uffff", 1), null);
  const fresh = known.noter();
  fresh.noteGet("k", new Uint8Array([3]));
  assert.deepStrictEqual(known.get("k"), { value: new Uint8Array([3]) });
});

test("a run of fetches reads the database once per read-ahead, not every other time", () => {
  // What a consumer does under one held lock: list the first two delivery
  // entries (reading 16 when asked the database), lease the first (its entry
  // moves past the end), repeat. A span read later must not be shadowed by an
  // older, shorter one.
  const db = new Map();
  const key = (i) => `d/${String(i).padStart(4, "0")}`;
  for (let i = 0; i < 160; i++) db.set(key(i), new Uint8Array([i & 255]));
  const known = knownRows();
  let reads = 0;
  for (let fetched = 0; fetched < 160; fetched++) {
    let page = known.list("d/", "d/\uffff", 2);
    if (!page) {
      reads++;
      known.noteList("d/", "d/\uffff", 16, listOf(db, "d/", "d/\uffff", 16).map(([k, v]) => [k, v.slice()]));
      page = known.list("d/", "d/\uffff", 2);
    }
    assert.strictEqual(show(page ?? []), show(listOf(db, "d/", "d/\uffff", 2)), `fetch ${fetched}`);
    const [first] = /** @type {[string, Uint8Array][]} */ (page);
    const moved = key(10_000 + fetched);
    db.delete(first[0]);
    db.set(moved, first[1]);
    known.noteWrite([[first[0], null], [moved, first[1]]]);
  }
  // 160 due entries, 14 or more new ones per read of 16.
  assert.ok(reads <= 12, `${reads} database reads for 160 fetches`);
});
