// When the storage has `exclusive`, every Server operation runs inside it:
// once per operation, with all its storage calls inside the section.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { formOf, postForm } from "./support/http.js";

/**
 * memoryStorage with a counting `exclusive` (a real promise-chain lock, as a
 * backend would have); storage calls made outside a section are recorded.
 */
function locked() {
  const inner = memoryStorage();
  const log = { sections: 0, inside: false, outside: /** @type {string[]} */ ([]), calls: 0 };
  /** @type {Promise<unknown>} */
  let tail = Promise.resolve();
  const guard = (/** @type {"get" | "list" | "write"} */ method) => (/** @type {any} */ arg) => {
    log.calls += 1;
    if (!log.inside) log.outside.push(method);
    return inner[method](arg);
  };
  const storage = {
    get: guard("get"),
    list: guard("list"),
    write: guard("write"),
    exclusive(/** @type {() => Promise<any>} */ fn) {
      log.sections += 1;
      const run = tail.then(async () => {
        log.inside = true;
        try {
          return await fn();
        } finally {
          log.inside = false;
        }
      });
      tail = run.catch(() => {});
      return run;
    },
  };
  return { storage, log };
}

test("each of the seven operations takes the lock exactly once", async () => {
  const { storage, log } = locked();
  const time = fakeClock();
  const server = new Server({ storage, clock: time.clock, admin: true });
  const operations = [
    ["send", () => server.send({ sender: "ann", receiver: "bob", body: { k: "v" } })],
    ["fetchLatest", () => server.fetchLatest("bob", { lease: 10 })],
    ["fetchHeaders", () => server.fetchHeaders("bob")],
    ["fetchBlob", () => server.fetchBlob("a".repeat(40))],
    ["reenqueue", () => (time.advance(20), server.reenqueue())],
    ["handle", () => server.handle(postForm("/fetch", { receiver: "bob" }))],
  ];
  let msg;
  for (const [name, run] of operations) {
    const before = log.sections;
    const result = await run();
    if (name === "handle") msg = await formOf(result);
    assert.strictEqual(log.sections - before, 1, `${name} took the lock ${log.sections - before} times`);
  }
  const before = log.sections;
  await server.ack(msg.mid, msg.lid, "confirmed");
  assert.strictEqual(log.sections - before, 1, "ack");
  assert.ok(log.calls > 10, "the operations reached the storage");
  assert.deepStrictEqual(log.outside, [], "storage calls outside exclusive");
});

test("concurrent operations do all their storage calls inside their own section", async () => {
  const { storage, log } = locked();
  const server = new Server({ storage, clock: fakeClock().clock });
  const sends = Array.from({ length: 20 }, (_, i) => server.send({ sender: "ann", receiver: "bob", body: { i } }));
  await Promise.all(sends);
  assert.strictEqual(log.sections, 20);
  assert.deepStrictEqual(log.outside, []);
  assert.strictEqual((await server.fetchHeaders("bob")).length, 20);
});

test("a failing operation still releases the section, and its error comes out", async () => {
  const { storage, log } = locked();
  const server = new Server({ storage, clock: fakeClock().clock });
  await assert.rejects(server.ack("a".repeat(40), "lid", "confirmed"), { code: "not_found" });
  assert.strictEqual(log.inside, false);
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  assert.strictEqual(log.sections, 2);
});

test("without exclusive no lock is taken and everything still works", async () => {
  const inner = memoryStorage();
  const server = new Server({ storage: inner, clock: fakeClock().clock });
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  assert.notStrictEqual(await server.fetchLatest("bob"), null);
});
