/**
 * The storage contract as one test suite that every backend runs through
 * (memory and fault-injection in Node, IndexedDB in real Chromium, Durable
 * Object and Workers KV storage in workerd), so all backends are held to
 * exactly the same rules.
 *
 * It takes `test` and `assert` as parameters instead of importing node:test,
 * so the browser and workerd harnesses can pass a small shim with the same shape.
 *
 * Workers KV is not transactional, yet it passes every test here: the only
 * atomicity test is the invalid batch, which every backend rejects by
 * validating the whole batch before writing anything. A write that fails part
 * way through (which KV cannot undo) is beyond what this suite can provoke.
 *
 * @module
 */

/** Shorthand for a Uint8Array of the given bytes. */
const bytes = (/** @type {number[]} */ ...values) => new Uint8Array(values);
/** Shorthand for the UTF-8 bytes of a string, to make values readable. */
const utf8 = (/** @type {string} */ text) => new TextEncoder().encode(text);
/** Resolves after `ms` milliseconds. */
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Registers the contract tests for one storage backend.
 *
 * @param {string} name prefix of every test name, e.g. "memory"
 * @param {() => any} makeStorage returns (or resolves to) a fresh, empty storage;
 *   if the storage has `close()`, it is called after each test
 * @param {{
 *   test: (name: string, fn: (t?: { skip?: (why?: string) => void }) => Promise<void>) => unknown,
 *   assert: {
 *     strictEqual: Function, deepStrictEqual: Function, ok: Function, rejects: Function,
 *   },
 * }} harness node:test's `test` and node:assert/strict, or compatible shims
 */
export function storageContract(name, makeStorage, { test, assert }) {
  /**
   * Registers one test that gets a fresh storage and always closes it.
   * @param {string} title
   * @param {(s: any, t: any) => Promise<void>} body
   */
  function contract(title, body) {
    test(`${name}: ${title}`, async (t) => {
      const s = await makeStorage();
      try {
        await body(s, t);
      } finally {
        await s.close?.();
      }
    });
  }

  /**
   * Writes `entries` as puts in one batch.
   * @param {any} s
   * @param {Record<string, Uint8Array>} entries
   */
  async function seed(s, entries) {
    await s.write(Object.entries(entries));
  }

  /**
   * Reads everything under `prefix` as [key, text] pairs for compact asserts.
   * @param {any} s
   * @param {{ prefix: string, start?: string, limit?: number }} options
   * @returns {Promise<[string, string][]>}
   */
  async function listText(s, options) {
    const entries = await s.list(options);
    return entries.map((/** @type {[string, Uint8Array]} */ [key, value]) => [key, new TextDecoder().decode(value)]);
  }

  contract("get of a missing key is undefined", async (s) => {
    assert.strictEqual(await s.get("missing"), undefined);
  });

  contract("write then get returns the bytes", async (s) => {
    await s.write([["k", bytes(1, 2, 3)], ["empty", bytes()]]);
    assert.deepStrictEqual(await s.get("k"), bytes(1, 2, 3));
    assert.deepStrictEqual(await s.get("empty"), bytes());
  });

  contract("a subarray is stored as just its own bytes", async (s) => {
    const big = bytes(0, 1, 2, 3, 4, 5, 6);
    await s.write([["view", big.subarray(2, 5)]]);
    const got = await s.get("view");
    assert.deepStrictEqual(got, bytes(2, 3, 4));
    assert.strictEqual(got.length, 3);
  });

  contract("values are copies in both directions", async (s) => {
    const input = bytes(1, 2, 3);
    await s.write([["k", input]]);
    input[0] = 99; // the caller reuses its buffer after the write
    const first = await s.get("k");
    assert.deepStrictEqual(first, bytes(1, 2, 3));
    first[1] = 99; // the caller scribbles on what it read
    assert.deepStrictEqual(await s.get("k"), bytes(1, 2, 3));
    const [[, listed]] = await s.list({ prefix: "k" });
    listed[2] = 99;
    assert.deepStrictEqual(await s.get("k"), bytes(1, 2, 3));
  });

  contract("list is ascending in bytewise order", async (s) => {
    // Written out of order; "/" (0x2f) < "0" (0x30), "A" (0x41) < "a" (0x61) < "~" (0x7e).
    await seed(s, { "~": utf8("tilde"), b: utf8("b"), a0: utf8("a0"), "a/b": utf8("a/b"), A: utf8("A"), a: utf8("a") });
    assert.deepStrictEqual(await listText(s, { prefix: "" }), [
      ["A", "A"],
      ["a", "a"],
      ["a/b", "a/b"],
      ["a0", "a0"],
      ["b", "b"],
      ["~", "tilde"],
    ]);
  });

  contract("prefix isolates its keys", async (s) => {
    await seed(s, {
      "v/a": utf8("0"),
      "v/a/1": utf8("1"),
      "v/a/2": utf8("2"),
      "v/ab/1": utf8("x"),
      "v/b/1": utf8("y"),
      "v/a.": utf8("z"), // "." (0x2e) sorts just before "/" (0x2f)
    });
    assert.deepStrictEqual(await listText(s, { prefix: "v/a/" }), [
      ["v/a/1", "1"],
      ["v/a/2", "2"],
    ]);
    assert.deepStrictEqual(await listText(s, { prefix: "v/c/" }), []);
  });

  contract("start is inclusive and stays within the prefix", async (s) => {
    await seed(s, { "o/9": utf8("o"), "p/1": utf8("1"), "p/2": utf8("2"), "p/3": utf8("3"), "p/4": utf8("4"), "q/1": utf8("q") });
    const keys = async (/** @type {any} */ o) => (await s.list(o)).map((/** @type {any[]} */ e) => e[0]);
    assert.deepStrictEqual(await keys({ prefix: "p/", start: "p/2" }), ["p/2", "p/3", "p/4"]);
    assert.deepStrictEqual(await keys({ prefix: "p/", start: "p/25" }), ["p/3", "p/4"]);
    // A start below the prefix must not pull in keys before it.
    assert.deepStrictEqual(await keys({ prefix: "p/", start: "a" }), ["p/1", "p/2", "p/3", "p/4"]);
    // A start past the prefix range yields nothing, not the next prefix's keys.
    assert.deepStrictEqual(await keys({ prefix: "p/", start: "p/5" }), []);
    assert.deepStrictEqual(await keys({ prefix: "p/", start: "z" }), []);
  });

  contract("limit caps the number of entries", async (s) => {
    await seed(s, { "m/1": utf8("1"), "m/2": utf8("2"), "m/3": utf8("3"), "m/4": utf8("4"), n: utf8("n") });
    assert.deepStrictEqual(await listText(s, { prefix: "m/", limit: 2 }), [
      ["m/1", "1"],
      ["m/2", "2"],
    ]);
    assert.deepStrictEqual(await listText(s, { prefix: "m/", start: "m/2", limit: 2 }), [
      ["m/2", "2"],
      ["m/3", "3"],
    ]);
    assert.deepStrictEqual(await listText(s, { prefix: "m/", limit: 0 }), []);
  });

  contract("limit larger than the results returns them all", async (s) => {
    await seed(s, { "m/1": utf8("1"), "m/2": utf8("2"), z: utf8("z") });
    assert.deepStrictEqual(await listText(s, { prefix: "m/", limit: 100 }), [
      ["m/1", "1"],
      ["m/2", "2"],
    ]);
  });

  contract("a batch mixes puts and deletes", async (s) => {
    await seed(s, { a: utf8("a1"), b: utf8("b1"), c: utf8("c1") });
    await s.write([
      ["b", null],
      ["d", utf8("d1")],
      ["a", utf8("a2")],
    ]);
    assert.deepStrictEqual(await listText(s, { prefix: "" }), [
      ["a", "a2"],
      ["c", "c1"],
      ["d", "d1"],
    ]);
    assert.strictEqual(await s.get("b"), undefined);
  });

  contract("deleting a missing key is fine", async (s) => {
    await seed(s, { keep: utf8("k") });
    await s.write([["never-existed", null]]);
    assert.deepStrictEqual(await listText(s, { prefix: "" }), [["keep", "k"]]);
  });

  contract("the later entry for a key in one batch wins", async (s) => {
    await seed(s, { j: utf8("old") });
    await s.write([
      ["k", utf8("first")],
      ["k", utf8("second")],
      ["gone", utf8("x")],
      ["gone", null],
      ["j", null],
      ["j", utf8("back")],
    ]);
    assert.deepStrictEqual(await listText(s, { prefix: "" }), [
      ["j", "back"],
      ["k", "second"],
    ]);
  });

  contract("a large batch mixing puts and deletes applies completely", async (s) => {
    // More than Durable Objects take in one put/delete call (128 keys): the adapter must split it atomically.
    const initial = {};
    for (let i = 0; i < 150; i++) initial[`old/${String(i).padStart(3, "0")}`] = utf8(`o${i}`);
    await seed(s, initial);
    const batch = [];
    for (let i = 0; i < 150; i++) batch.push([`old/${String(i).padStart(3, "0")}`, null]);
    for (let i = 0; i < 300; i++) batch.push([`new/${String(i).padStart(3, "0")}`, utf8(`n${i}`)]);
    await s.write(batch);
    assert.deepStrictEqual(await listText(s, { prefix: "old/" }), []);
    const fresh = await listText(s, { prefix: "new/" });
    assert.strictEqual(fresh.length, 300);
    assert.deepStrictEqual(fresh[299], ["new/299", "n299"]);
  });

  contract("an empty batch is accepted and changes nothing", async (s) => {
    await seed(s, { a: utf8("a") });
    await s.write([]);
    assert.deepStrictEqual(await listText(s, { prefix: "" }), [["a", "a"]]);
  });

  contract("a batch with an invalid entry rejects and changes nothing", async (s) => {
    await seed(s, { x: utf8("x1"), y: utf8("y1") });
    const bad = [
      // The bad entry comes last, after valid changes a naive backend would already have applied.
      [["x", utf8("x2")], ["y", null], ["z", utf8("z1")], ["w", "not bytes"]],
      [["x", utf8("x2")], ["w", [1, 2, 3]]],
      [["x", utf8("x2")], ["w", undefined]],
      [["x", utf8("x2")], [42, utf8("n")]],
      [["x", utf8("x2")], ["caf\u00e9", utf8("non-ascii key")]],
    ];
    for (const batch of bad) {
      await assert.rejects(async () => s.write(batch));
      assert.deepStrictEqual(await listText(s, { prefix: "" }), [
        ["x", "x1"],
        ["y", "y1"],
      ]);
    }
  });

  contract("exclusive runs fn and returns its value", async (s, t) => {
    if (typeof s.exclusive !== "function") return t?.skip?.("backend has no exclusive");
    assert.strictEqual(await s.exclusive(async () => "result"), "result");
    // A throwing section rejects with its error and does not keep the lock.
    await assert.rejects(
      s.exclusive(async () => {
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.strictEqual(await s.exclusive(async () => 7), 7);
  });

  contract("prefetch is only a hint: whatever it read ahead, every answer is the store's", async (s, t) => {
    if (typeof s.prefetch !== "function") return t?.skip?.("backend has no prefetch");
    const bytes = (/** @type {number} */ n) => new Uint8Array([n]);
    await s.write([["k", bytes(1)]]);
    const inside = (/** @type {() => Promise<any>} */ fn) => (typeof s.exclusive === "function" ? s.exclusive(fn) : fn());
    // Read ahead, then changed in the same operation: the change wins, now and later.
    await inside(async () => {
      s.prefetch("k");
      s.prefetch("absent");
      await s.write([["k", bytes(2)], ["absent", bytes(3)]]);
    });
    await inside(async () => {
      assert.deepStrictEqual(await s.get("k"), bytes(2));
      assert.deepStrictEqual(await s.get("absent"), bytes(3));
      s.prefetch("k");
      await s.write([["k", null]]);
    });
    await inside(async () => {
      s.prefetch("k");
      assert.strictEqual(await s.get("k"), undefined);
      assert.deepStrictEqual((await s.list({ prefix: "" })).map(([key, v]) => [key, v[0]]), [["absent", 3]]);
    });
    // Outside any section too.
    s.prefetch("absent");
    assert.deepStrictEqual(await s.get("absent"), bytes(3));
  });

  contract("concurrent exclusive sections never overlap", async (s, t) => {
    if (typeof s.exclusive !== "function") return t?.skip?.("backend has no exclusive");
    /** @type {string[]} */
    const events = [];
    const section = (/** @type {string} */ id) =>
      s.exclusive(async () => {
        events.push(`${id}:enter`);
        await sleep(15); // long enough that an unlocked section would interleave
        events.push(`${id}:leave`);
        return id;
      });
    assert.deepStrictEqual(await Promise.all([section("a"), section("b"), section("c")]), ["a", "b", "c"]);
    // Each enter must be followed directly by its own leave.
    assert.strictEqual(events.length, 6);
    for (let i = 0; i < events.length; i += 2) {
      const [id] = events[i].split(":");
      assert.deepStrictEqual([events[i], events[i + 1]], [`${id}:enter`, `${id}:leave`]);
    }
  });
}
