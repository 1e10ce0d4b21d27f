/**
 * The queue's behaviour as one suite, written once and run over every backend:
 * the built-in store, memoryStorage, faultyStorage with faults off (Node),
 * IndexedDB (Chromium) and Durable Object storage (workerd).
 *
 * Like storage-contract.js it takes `test` and `assert` as parameters, so
 * node:test or the small shim in support/mini-harness.js can drive it. Time is
 * a fake clock handed to `makeServer`; nothing here sleeps.
 *
 * @module
 */
import { fakeClock } from "./support/clock.js";
import { productionScenarios } from "./queue-scenarios-production.js";

/** A mid nobody ever sent: 40 hex digits. */
const UNKNOWN_MID = "0".repeat(40);

/**
 * Registers the queue scenarios for one backend.
 *
 * @param {string} name prefix of every test name, e.g. "memoryStorage"
 * @param {(options: { clock: () => number }) => any} makeServer returns (or resolves
 *   to) a Server on a fresh, empty store with `options` (they include the
 *   `clock` it reads time from; the production scenarios add more)
 * @param {{ test: Function, assert: any }} harness node:test's `test` and
 *   node:assert/strict, or the mini-harness shim
 */
export function queueScenarios(name, makeServer, { test, assert }) {
  /**
   * @param {string} title
   * @param {(server: any, time: ReturnType<typeof fakeClock>) => Promise<void>} body
   */
  function scenario(title, body) {
    test(`${name}: ${title}`, async () => {
      const time = fakeClock();
      const server = await makeServer({ clock: time.clock });
      await body(server, time);
    });
  }

  scenario("a delayed message is held until it is due", async (server, time) => {
    const sentAt = time.now();
    const { mid } = await server.send({ sender: "ann", receiver: "bob", delay: "2s", body: { topic: "later" } });
    const [header] = await server.fetchHeaders("bob");
    assert.strictEqual(header.mid, mid);
    assert.strictEqual(header.receivedAt, sentAt);
    assert.strictEqual(header.sendWhen, sentAt + 2000);
    assert.strictEqual(header.status, "notDelivered");

    time.advance(1999);
    assert.strictEqual(await server.fetchLatest("bob"), null, "delivered before it was due");
    time.advance(1);
    const msg = await server.fetchLatest("bob");
    assert.strictEqual(msg?.mid, mid);
    assert.strictEqual(msg.body.topic, "later");
    assert.strictEqual(msg.deliveryCount, 1);
  });

  scenario("a message whose lease runs out is delivered again", async (server, time) => {
    const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { job: "1" } });
    const first = await server.fetchLatest("bob", { lease: "10s" });
    assert.strictEqual(first.leasedUntil, time.now() + 10_000);

    time.advance(5_000);
    assert.strictEqual(await server.fetchLatest("bob"), null, "delivered again while leased");
    time.advance(5_001); // one ms past the lease
    const second = await server.fetchLatest("bob", { lease: "10s" });
    assert.strictEqual(second?.mid, mid);
    assert.strictEqual(second.status, "timeout");
    assert.strictEqual(second.statusCode, 4);
    assert.strictEqual(second.deliveryCount, 2);
    assert.notStrictEqual(second.lid, first.lid);
    assert.deepStrictEqual(second.body, first.body);

    // The first consumer lost its lock; the second one holds it.
    await assert.rejects(server.ack(mid, first.lid, "confirmed"), { code: "lock_mismatch" });
    await server.ack(mid, second.lid, "confirmed");
    assert.strictEqual(await server.fetchLatest("bob"), null);
  });

  scenario("a rejected message is delivered again at once", async (server) => {
    const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { job: "2" } });
    const first = await server.fetchLatest("bob");
    await server.ack(mid, first.lid, "rejected");
    const second = await server.fetchLatest("bob");
    assert.strictEqual(second?.mid, mid);
    assert.strictEqual(second.status, "rejected");
    assert.strictEqual(second.statusCode, 2);
    assert.strictEqual(second.deliveryCount, 2);
    await assert.rejects(server.ack(mid, first.lid, "confirmed"), { code: "lock_mismatch" });
  });

  scenario("a reject with a retry delay holds the message back", async (server, time) => {
    const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { job: "3" } });
    const first = await server.fetchLatest("bob");
    await server.ack(mid, first.lid, "rejected", { retryDelay: "1m" });
    time.advance(59_999);
    assert.strictEqual(await server.fetchLatest("bob"), null);
    time.advance(1);
    assert.strictEqual((await server.fetchLatest("bob"))?.mid, mid);
  });

  scenario("confirm removes the message and collects its blob", async (server, time) => {
    const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { topic: "done" } });
    const blob = await server.fetchBlob(mid);
    assert.strictEqual(typeof blob, "string");
    assert.ok(blob.includes("topic=done"), blob);

    const msg = await server.fetchLatest("bob", { lease: "1s" });
    await server.ack(mid, msg.lid, "confirmed");
    assert.strictEqual(await server.fetchBlob(mid), null, "blob kept after confirm");
    assert.deepStrictEqual(await server.fetchHeaders("bob"), []);
    assert.strictEqual(await server.fetchLatest("bob"), null);
    // Its lease would have ended by now: a confirmed message never comes back.
    time.advance(60_000);
    assert.strictEqual(await server.fetchLatest("bob"), null);
    await assert.rejects(server.ack(mid, msg.lid, "confirmed"), { code: "not_found" });
  });

  scenario("sending the same message again is idempotent", async (server, time) => {
    const input = { sender: "ann", receiver: "bob", clientTime: "2029-12-31T23:59:59Z", body: { order: "42" } };
    const first = await server.send(input);
    assert.strictEqual(first.duplicate, false);
    const retry = await server.send(input);
    assert.deepStrictEqual(retry, { mid: first.mid, duplicate: true });
    assert.strictEqual((await server.fetchHeaders("bob")).length, 1);

    const msg = await server.fetchLatest("bob");
    await server.ack(msg.mid, msg.lid, "confirmed");
    // Inside the dedupe window (default 5 minutes from the first send, as SQS
    // FIFO counts it) a retry is still a duplicate, though it was confirmed.
    time.advance(5 * 60_000 - 1);
    assert.deepStrictEqual(await server.send(input), { mid: first.mid, duplicate: true });
    assert.strictEqual(await server.fetchLatest("bob"), null);
    // After it, the same body is a new message again.
    time.advance(1);
    assert.deepStrictEqual(await server.send(input), { mid: first.mid, duplicate: false });
    const again = await server.fetchLatest("bob");
    assert.strictEqual(again?.mid, first.mid);
    assert.strictEqual(again.deliveryCount, 1);
  });

  scenario("a leased message leaves the listing, is listed with status leased, and reenqueue brings it back", async (server, time) => {
    const a = await server.send({ sender: "ann", receiver: "bob", body: { n: "1" } });
    time.advance(1);
    const b = await server.send({ sender: "ann", receiver: "bob", body: { n: "2" } });
    const held = await server.fetchLatest("bob", { lease: 1000 });
    assert.strictEqual(held.mid, a.mid);
    assert.deepStrictEqual((await server.fetchHeaders("bob")).map((h) => h.mid), [b.mid], "as in the Go original");
    const [leased] = await server.fetchHeaders("bob", { status: "leased" });
    assert.deepStrictEqual([leased.mid, leased.leased, leased.leasedUntil], [a.mid, true, held.leasedUntil]);
    time.advance(1001);
    assert.strictEqual(await server.reenqueue(), 1);
    const listed = await server.fetchHeaders("bob");
    assert.deepStrictEqual(listed.map((h) => [h.mid, h.status]), [[a.mid, "timeout"], [b.mid, "notDelivered"]]);
    assert.deepStrictEqual(await server.fetchHeaders("bob", { status: "leased" }), []);
  });

  scenario("sends without a clientTime never deduplicate", async (server) => {
    const input = { sender: "ann", receiver: "bob", body: { same: "fields" } };
    const a = await server.send(input);
    const b = await server.send(input);
    assert.strictEqual(a.duplicate, false);
    assert.strictEqual(b.duplicate, false);
    assert.notStrictEqual(a.mid, b.mid);
    assert.strictEqual((await server.fetchHeaders("bob")).length, 2);
  });

  scenario("headers are oldest first; delivery is earliest due first", async (server, time) => {
    const { mid: m1 } = await server.send({ sender: "ann", receiver: "bob", delay: 3000, body: { n: "1" } });
    time.advance(1);
    const { mid: m2 } = await server.send({ sender: "ann", receiver: "bob", body: { n: "2" } });
    time.advance(1);
    const { mid: m3 } = await server.send({ sender: "ann", receiver: "bob", delay: 1000, body: { n: "3" } });

    const all = await server.fetchHeaders("bob");
    assert.deepStrictEqual(all.map((h) => h.mid), [m1, m2, m3]);
    const page1 = await server.fetchHeaders("bob", { limit: 2 });
    assert.deepStrictEqual(page1.map((h) => h.mid), [m1, m2]);
    const last = page1[1];
    const page2 = await server.fetchHeaders("bob", { after: last.receivedAt, afterMid: last.mid, limit: 2 });
    assert.deepStrictEqual(page2.map((h) => h.mid), [m3]);

    time.advance(5000);
    const order = [];
    for (let msg; (msg = await server.fetchLatest("bob")); ) order.push(msg.mid);
    assert.deepStrictEqual(order, [m2, m3, m1]);
  });

  scenario("an unknown mailbox has nothing, and mailboxes are separate", async (server) => {
    assert.strictEqual(await server.fetchLatest("nobody@x"), null);
    assert.deepStrictEqual(await server.fetchHeaders("nobody@x"), []);
    assert.strictEqual(await server.fetchBlob(UNKNOWN_MID), null);
    await server.send({ sender: "ann", receiver: "bob", body: { for: "bob" } });
    assert.strictEqual(await server.fetchLatest("carol"), null);
    assert.deepStrictEqual(await server.fetchHeaders("carol"), []);
    assert.strictEqual((await server.fetchLatest("bob"))?.body.for, "bob");
  });

  productionScenarios(name, makeServer, { test, assert });
}
