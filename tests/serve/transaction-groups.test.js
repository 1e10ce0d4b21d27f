// transactionGroups with a recording fake database: what shares a commit,
// what is undone alone, and what a failed BEGIN or COMMIT does to callers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { transactionGroups } from "../../pkg/src/storage/transaction-groups.js";

function fakeDb({ failBegin = false, failCommit = false } = {}) {
  const log = [];
  const steps = {
    begin: (scope) => {
      log.push(scope === null ? "begin" : `begin ${scope}`);
      if (failBegin) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    },
    commit: async () => {
      log.push("commit");
      if (failCommit) throw new Error("server closed the connection");
    },
    rollback: () => log.push("rollback"),
    savepoint: () => log.push("savepoint"),
    release: () => log.push("release"),
    undo: () => log.push("undo"),
  };
  return { log, groups: transactionGroups(steps) };
}

test("sections queued together share one transaction; each is told only after COMMIT", async () => {
  const { log, groups } = fakeDb();
  const results = await Promise.all([1, 2, 3].map((n) => groups.exclusive(async () => {
    log.push(`run ${n}`);
    return n;
  })));
  assert.deepStrictEqual(results, [1, 2, 3]);
  assert.deepStrictEqual(log, ["begin", "savepoint", "run 1", "release", "savepoint", "run 2", "release", "savepoint", "run 3", "release", "commit"]);
});

test("a throwing section is undone alone and rejects with its own error; the others commit", async () => {
  const { log, groups } = fakeDb();
  const [a, b, c] = await Promise.allSettled([
    groups.exclusive(() => "a"),
    groups.exclusive(() => {
      throw new Error("lock_mismatch");
    }),
    groups.exclusive(() => "c"),
  ]);
  assert.deepStrictEqual([a.value, b.reason.message, c.value], ["a", "lock_mismatch", "c"]);
  assert.deepStrictEqual(log.filter((e) => e !== "savepoint"), ["begin", "release", "undo", "release", "commit"]);
});

test("a failed COMMIT rejects every section of the group with a storage error", async () => {
  const { log, groups } = fakeDb({ failCommit: true });
  const settled = await Promise.allSettled([groups.exclusive(() => 1), groups.exclusive(() => 2)]);
  for (const s of settled) {
    assert.strictEqual(s.status, "rejected");
    assert.strictEqual(s.reason.code, "storage");
    assert.match(s.reason.message, /server closed the connection/);
  }
  assert.deepStrictEqual(log.slice(-2), ["commit", "rollback"]);
});

test("a failed BEGIN is a storage error (not the driver's code), and the next section starts afresh", async () => {
  const db = fakeDb({ failBegin: true });
  await assert.rejects(db.groups.exclusive(() => 1), (e) => e.code === "storage" && /ECONNREFUSED/.test(e.message));
  assert.deepStrictEqual(db.log, ["begin"]);
});

test("a section sees inSection while it runs, and not after", async () => {
  const { groups } = fakeDb();
  assert.strictEqual(groups.inSection, false);
  assert.strictEqual(await groups.exclusive(() => groups.inSection), true);
  assert.strictEqual(groups.inSection, false);
});

test("with gather, a section that arrives while the group waits before COMMIT joins that group", async () => {
  const log = [];
  let late = null;
  const groups = transactionGroups({
    begin: () => log.push("begin"),
    commit: () => log.push("commit"),
    rollback: () => log.push("rollback"),
    savepoint: () => {},
    release: () => {},
    undo: () => {},
    // The first wait brings in one more section (as a request read during the wait would).
    gather: async () => {
      log.push("gather");
      if (late === null) late = groups.exclusive(() => log.push("run late"));
    },
  });
  await groups.exclusive(() => log.push("run first"));
  await late;
  assert.deepStrictEqual(log, ["begin", "run first", "gather", "run late", "gather", "commit"]);
});

test("without new work, gather costs one wait per group and the group commits", async () => {
  const log = [];
  const groups = transactionGroups({
    begin: () => log.push("begin"), commit: () => log.push("commit"), rollback: () => {},
    savepoint: () => {}, release: () => {}, undo: () => {},
    gather: async () => log.push("gather"),
  });
  await groups.exclusive(() => log.push("run"));
  await groups.exclusive(() => log.push("run"));
  assert.deepStrictEqual(log, ["begin", "run", "gather", "commit", "begin", "run", "gather", "commit"]);
});

test("a transaction holds one scope's lock: a section of another scope waits for the next one", async () => {
  const { log, groups } = fakeDb();
  const results = await Promise.all([
    groups.exclusive(() => "a1", "a@x"),
    groups.exclusive(() => "a2", "a@x"),
    groups.exclusive(() => "b1", "b@x"),
    groups.exclusive(() => "a3", "a@x"),
    groups.exclusive(() => "all"),
  ]);
  assert.deepStrictEqual(results, ["a1", "a2", "b1", "a3", "all"]);
  assert.deepStrictEqual(log.filter((e) => e.startsWith("begin") || e === "commit"), [
    "begin a@x", "commit", "begin b@x", "commit", "begin a@x", "commit", "begin", "commit",
  ]);
});

test("a run of failing sections does not keep the group open: the good one before them commits after at most 64 sections", async () => {
  const { log, groups } = fakeDb();
  const good = groups.exclusive(() => "good");
  const failing = Array.from({ length: 200 }, () => groups.exclusive(() => {
    throw new Error("lock_mismatch");
  }).catch(() => undefined));
  await good;
  const undosBeforeCommit = log.slice(0, log.indexOf("commit")).filter((e) => e === "undo").length;
  assert.ok(undosBeforeCommit <= 63, `${undosBeforeCommit} failing sections ran before the good one's COMMIT`);
  await Promise.all(failing);
});
