// End-to-end tests of the demo's production controls (www/): dead letters and
// Redrive, Extend, Cancel, ttl, Purge, the stats strip, "Send 1,000", the depth
// chart and the consume toggle, each driven like a person would.
//
//   node --test tests/e2e/demo-production.test.js
//
// The Server in the tab runs with maxDeliveries 3 and a retry back-off of 1 s,
// doubling (www/js/backend.js, LOCAL_POLICY). Time is fake (support/demo-page.js):
// the tests move the page's clock; no test waits for a delay, lease or back-off
// in real time.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  TEST_TIMEOUT, advance, assertNoErrors, byTestId, compose, eventually, expectText, fetchNext, openDemo, row, screenshot, send,
  demo, useDemoPage, waitReady, watch,
} from "./support/demo-page.js";

useDemoPage();

const deadRow = (page, mid) => page.locator(`[data-testid="dead-row"][data-mid="${mid}"]`);

/** The stats strip as numbers: `{ ready, delayed, leased, dead }`, and the oldest-ready age as shown. */
async function strip(page) {
  const read = async (id) => Number((await byTestId(page, `stats-${id}`).textContent()).replace(/,/g, ""));
  return {
    ready: await read("ready"),
    delayed: await read("delayed"),
    leased: await read("leased"),
    dead: await read("dead"),
    oldest: (await byTestId(page, "stats-oldest").textContent()).trim(),
  };
}

/** Waits until the stats strip shows `want` (a subset of its fields). */
async function expectStrip(page, want) {
  return eventually(async () => {
    const got = await strip(page);
    for (const [k, v] of Object.entries(want)) assert.equal(got[k], v, `stats ${k}`);
    return got;
  }, `the stats strip to show ${JSON.stringify(want)}`);
}

/** Presses Reject on the fetched message and waits for the page to say so. */
async function reject(page) {
  await page.getByRole("button", { name: "Reject" }).click();
  await expectText(byTestId(page, "consume-status"), /Rejected/);
}

describe("pandora-mq demo, production controls (local Server on IndexedDB)", { timeout: TEST_TIMEOUT * 12 }, () => {
  test("three rejects make a dead letter; Redrive brings it back with its delivery count reset", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const mid = await send(page, { receiver: "dlq", fields: [["job", "always fails"]] });
    const r = row(page, mid);

    // Deliveries 1 and 2 are rejected: the back-off holds the message (1 s, then 2 s).
    for (const [delivery, backoff] of [[1, 1000], [2, 2000]]) {
      assert.equal(await fetchNext(page), mid);
      await expectText(byTestId(page, "message-deliveries"), new RegExp(`^${delivery}$`));
      await reject(page);
      await expectStrip(page, { ready: 0, delayed: 1, dead: 0 });
      await page.getByRole("button", { name: "Fetch next message" }).click();
      await expectText(byTestId(page, "consume-status"), /No message is due in “dlq”/);
      await advance(page, backoff);
      await expectStrip(page, { ready: 1, delayed: 0 });
    }
    // The third delivery is the last one allowed: its reject makes it dead.
    assert.equal(await fetchNext(page), mid);
    await expectText(byTestId(page, "message-deliveries"), /^3$/);
    await reject(page);
    await r.waitFor({ state: "detached" });
    const d = deadRow(page, mid);
    await expectText(d.getByTestId("dead-deliveries"), /^3 deliveries$/);
    await expectStrip(page, { ready: 0, delayed: 0, leased: 0, dead: 1 });
    await advance(page, 60_000);
    await page.getByRole("button", { name: "Fetch next message" }).click();
    await expectText(byTestId(page, "consume-status"), /No message is due in “dlq”/);
    await screenshot(page, "10-dead-letter");

    await page.getByRole("button", { name: "Redrive" }).click();
    await expectText(byTestId(page, "dead-status"), /^1 dead letter back in “dlq”\.$/);
    await d.waitFor({ state: "detached" });
    await expectText(byTestId(page, "dead-empty"), /No dead letters/);
    await expectText(r.getByTestId("row-deliveries"), /not delivered yet/);
    await expectStrip(page, { ready: 1, dead: 0 });
    assert.equal(await fetchNext(page), mid);
    await expectText(byTestId(page, "message-deliveries"), /^1$/);
    await page.getByRole("button", { name: "Confirm" }).click();
    await r.waitFor({ state: "detached" });
    assertNoErrors(errors);
    await context.close();
  });

  test("Extend moves the lease's end from now, on the same lid", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const mid = await send(page, { receiver: "long-job", fields: [["text", "needs more time"]] });
    assert.equal(await fetchNext(page, "10s"), mid);
    const lid = await page.getByLabel("Lock id (lid)").inputValue();
    const r = row(page, mid);
    await advance(page, 6000);
    await expectText(r.getByTestId("row-lease"), /lease ends in 4\.0 s/);

    await page.getByLabel("Lease", { exact: true }).fill("30s");
    await page.getByRole("button", { name: "Extend lease" }).click();
    await expectText(byTestId(page, "consume-status"), /Extended the lease .* same lid/);
    await expectText(byTestId(page, "message-lease"), /ends in 30 s/);
    await expectText(r.getByTestId("row-lease"), /lease ends in 30 s/);
    assert.equal(await page.getByLabel("Lock id (lid)").inputValue(), lid);

    // Past the first lease's end the message is still leased, and the ack holds.
    await advance(page, 20_000);
    await expectText(r.getByTestId("row-state"), /^leased$/);
    await expectStrip(page, { leased: 1, ready: 0 });
    await page.getByRole("button", { name: "Confirm" }).click();
    await expectText(byTestId(page, "consume-status"), /Confirmed/);
    await r.waitFor({ state: "detached" });

    // A lease that ran out cannot be extended: the server says why.
    const late = await send(page, { receiver: "long-job", fields: [["text", "too late"]] });
    assert.equal(await fetchNext(page, "5s"), late);
    await advance(page, 6000);
    await page.getByRole("button", { name: "Extend lease" }).click();
    await expectText(byTestId(page, "consume-error"), /lease_expired/);
    assertNoErrors(errors);
    await context.close();
  });

  test("Cancel removes a row, delayed or leased, and a later ack of that lease is refused", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const delayed = await send(page, { receiver: "cancel-box", delay: "1m", fields: [["n", "1"]] });
    await advance(page, 1000);
    const due = await send(page, { receiver: "cancel-box", fields: [["n", "2"]] });
    await expectStrip(page, { ready: 1, delayed: 1 });

    await page.getByRole("button", { name: `Cancel ${delayed.slice(0, 10)}…` }).click();
    await row(page, delayed).waitFor({ state: "detached" });
    await expectStrip(page, { ready: 1, delayed: 0 });
    await advance(page, 60_000);
    await row(page, due).waitFor();

    assert.equal(await fetchNext(page), due);
    await page.getByRole("button", { name: `Cancel ${due.slice(0, 10)}…` }).click();
    await row(page, due).waitFor({ state: "detached" });
    await expectText(byTestId(page, "mailbox-empty"), /No pending messages for “cancel-box”/);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expectText(byTestId(page, "consume-error"), /not_found/);
    // The blob went with it.
    await page.getByLabel("mid", { exact: true }).fill(due);
    await page.getByRole("button", { name: "Open blob", exact: true }).click();
    await expectText(byTestId(page, "blob-output"), /No blob is stored under/);
    assertNoErrors(errors);
    await context.close();
  });

  test("a message past its ttl is never fetched: it becomes a dead letter", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const mid = await send(page, { receiver: "fresh-only", ttl: "10s", fields: [["text", "stale soon"]] });
    await expectText(byTestId(page, "send-result"), /ttl 10s/);
    await advance(page, 10_001);
    await page.getByRole("button", { name: "Fetch next message" }).click();
    await expectText(byTestId(page, "consume-status"), /No message is due in “fresh-only”/);
    await row(page, mid).waitFor({ state: "detached" });
    await deadRow(page, mid).waitFor();
    await expectStrip(page, { ready: 0, dead: 1 });

    // Before its expiry a ttl'd message is delivered as any other.
    const other = await send(page, { receiver: "fresh-only", ttl: "10s", fields: [["text", "in time"]] });
    await advance(page, 9000);
    assert.equal(await fetchNext(page), other);
    assertNoErrors(errors);
    await context.close();
  });

  test("Purge dead letters keeps the pending ones; Purge mailbox empties it", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const doomed = await send(page, { receiver: "purge-box", ttl: "1s", fields: [["n", "0"]] });
    await advance(page, 2000);
    await page.getByRole("button", { name: "Fetch next message" }).click(); // meets the expired one: dead
    await deadRow(page, doomed).waitFor();
    for (const n of ["1", "2", "3"]) await send(page, { receiver: "purge-box", fields: [["n", n]] });
    await expectStrip(page, { ready: 3, dead: 1 });

    await page.getByRole("button", { name: "Purge dead letters" }).click();
    await expectText(byTestId(page, "tools-status"), /^Purged “purge-box”: 1 dead letter deleted\.$/);
    await expectStrip(page, { ready: 3, dead: 0 });
    assert.equal(await byTestId(page, "header-row").count(), 3);

    await page.getByRole("button", { name: "Purge mailbox" }).click();
    await expectText(byTestId(page, "tools-status"), /^Purged “purge-box”: 3 messages deleted\.$/);
    await expectText(byTestId(page, "mailbox-empty"), /No pending messages for “purge-box”/);
    await expectStrip(page, { ready: 0, delayed: 0, leased: 0, dead: 0, oldest: "—" });
    assertNoErrors(errors);
    await context.close();
  });

  test("the stats strip counts what the list shows, and the age of the oldest ready message", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const first = await send(page, { receiver: "counted", fields: [["n", "1"]] });
    await advance(page, 1000);
    await send(page, { receiver: "counted", fields: [["n", "2"]] });
    await send(page, { receiver: "counted", delay: "1m", fields: [["n", "3"]] });
    assert.equal(await fetchNext(page), first);
    await advance(page, 4000);

    // The second message has been ready since it was sent, 4 s ago on the page's clock.
    await expectStrip(page, { ready: 1, delayed: 1, leased: 1, dead: 0, oldest: "4.0 s" });
    const states = await byTestId(page, "header-row").evaluateAll((els) => els.map((e) => e.dataset.state).sort());
    assert.deepEqual(states, ["delayed", "leased", "ready"], "one row of each kind in the list");
    await advance(page, 60_000);
    await expectStrip(page, { ready: 3, delayed: 0, leased: 0 }); // the lease and its back-off ran out, the delay passed
    assertNoErrors(errors);
    await context.close();
  });

  test("Send 1,000 goes through sendBatch: 1,000 ready, and the depth chart draws them", { timeout: TEST_TIMEOUT * 2 }, async () => {
    const { context, page, errors } = await openDemo();
    await compose(page, { receiver: "bulk", fields: [["text", "one of many"]] });
    await page.getByRole("button", { name: "Send 1,000" }).click();
    await expectText(byTestId(page, "send-many-count"), /^1,000$/, "1,000 sent");
    await expectText(byTestId(page, "send-result"), /in 10 batches of 100/);
    await expectStrip(page, { ready: 1000, delayed: 0, leased: 0, dead: 0 });
    await expectText(byTestId(page, "mailbox-count"), /first 100 shown/);

    const chart = byTestId(page, "depth-chart");
    const ready = chart.locator('polyline[data-series="ready"]');
    await eventually(async () => assert.equal(await ready.getAttribute("data-last"), "1000"), "the chart's last ready point at 1,000");
    // A second sample one second later, after ten of them were fetched.
    await advance(page, 1000);
    // The button is disabled while a fetch runs, so each click waits for the one before.
    for (let i = 0; i < 10; i++) await page.getByRole("button", { name: "Fetch next message" }).click();
    await expectStrip(page, { ready: 990, leased: 10 });
    await eventually(async () => {
      assert.equal(await ready.getAttribute("data-last"), "990");
      assert.equal(await chart.locator('polyline[data-series="leased"]').getAttribute("data-last"), "10");
      assert.ok(Number(await ready.getAttribute("data-count")) >= 2, "at least two samples");
    }, "the chart to follow the counts");
    const points = (await ready.getAttribute("points")).trim().split(/\s+/).map((p) => p.split(",").map(Number));
    assert.ok(points.length >= 2);
    for (const [x, y] of points) {
      assert.ok(x >= 0 && x <= 300 && y >= 0 && y <= 100, `point ${x},${y} inside the plot`);
    }
    assert.ok(points.at(-1)[0] > points[0][0], "later samples to the right");
    await screenshot(page, "11-send-1000-chart");

    // A minute later the old samples have left the chart.
    await advance(page, 61_000);
    await eventually(async () => assert.equal(await ready.getAttribute("data-count"), "1"), "only the newest sample left");
    assertNoErrors(errors);
    await context.close();
  });
  test("the consume toggle drains the mailbox, takes a new send while it waits, and stops", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    for (const n of ["1", "2", "3"]) await send(page, { receiver: "drain", fields: [["n", n]] });
    await expectStrip(page, { ready: 3 });

    await page.getByRole("switch", { name: "Consume continuously" }).check();
    await expectText(byTestId(page, "consume-loop-count"), /^3 confirmed, 0 rejected/);
    await expectStrip(page, { ready: 0, leased: 0, delayed: 0, dead: 0 });
    await expectText(byTestId(page, "mailbox-empty"), /No pending messages for “drain”/);

    // The loop is long-polling now: a send wakes it.
    await send(page, { receiver: "drain", fields: [["n", "4"]] });
    await expectText(byTestId(page, "consume-loop-count"), /^4 confirmed/);
    await expectStrip(page, { ready: 0 });

    // Stop takes no new message; the long poll in flight ends at its 5 s deadline on
    // the page's clock (its sleep runs on real timers, so it notices within 5 s).
    await page.getByRole("switch", { name: "Consume continuously" }).uncheck();
    await advance(page, 5000);
    await eventually(
      async () => assert.match(await byTestId(page, "consume-loop-status").textContent(), /^Stopped\. 4 confirmed/),
      "the loop to stop",
      12_000,
    );
    const after = await send(page, { receiver: "drain", fields: [["n", "5"]] });
    await row(page, after).waitFor();
    await expectStrip(page, { ready: 1 });
    assertNoErrors(errors);
    await context.close();
  });

  test("with a handler that throws, the consume toggle retries with back-off until the message is dead", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const mid = await send(page, { receiver: "poison", fields: [["text", "cannot be handled"]] });
    await page.getByLabel("Handler").selectOption("fail");
    await page.getByRole("switch", { name: "Consume continuously" }).check();
    // Deliveries 1 and 2 are rejected, each followed by its back-off (1 s, 2 s) on the page's clock.
    for (const [failed, backoff] of [[1, 1000], [2, 2000]]) {
      await expectText(byTestId(page, "consume-loop-count"), new RegExp(`^0 confirmed, ${failed} rejected`));
      await expectStrip(page, { delayed: 1, ready: 0 });
      await advance(page, backoff);
    }
    await expectText(byTestId(page, "consume-loop-count"), /^0 confirmed, 3 rejected/);
    await deadRow(page, mid).waitFor({ timeout: 10_000 });
    await expectStrip(page, { ready: 0, delayed: 0, leased: 0, dead: 1 });
    await screenshot(page, "12-consume-to-dead");
    await page.getByRole("switch", { name: "Consume continuously" }).uncheck();
    await advance(page, 5000);
    await eventually(async () => assert.match(await byTestId(page, "consume-loop-status").textContent(), /^Stopped/), "the loop to stop", 12_000);
    assertNoErrors(errors);
    await context.close();
  });
});

describe("pandora-mq demo, two tabs on one IndexedDB", { timeout: TEST_TIMEOUT * 2 }, () => {
  test("the consume loop in one tab takes what the other tab sends", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const other = await context.newPage(); // same IndexedDB; this tab runs on the real clock
    other.on("pageerror", (err) => errors.push(`tab 2 pageerror: ${err.message}`));
    await other.goto(`${demo.site.origin}/`);
    await waitReady(other);
    await watch(other, "cross-tab");
    await other.getByRole("switch", { name: "Consume continuously" }).check();
    await expectText(byTestId(other, "consume-loop-status"), /Consuming “cross-tab” \(long-poll\)/);

    const mid = await send(page, { receiver: "cross-tab", fields: [["text", "for the other tab"]] });
    await expectText(byTestId(other, "consume-loop-count"), /^1 confirmed, 0 rejected/);
    await expectText(byTestId(other, "consume-loop-status"), new RegExp(`Last: ${mid.slice(0, 10)}`));
    await expectStrip(page, { ready: 0, leased: 0 });
    await other.getByRole("switch", { name: "Consume continuously" }).uncheck();
    await eventually(async () => assert.match(await byTestId(other, "consume-loop-status").textContent(), /^Stopped/), "the loop to stop", 12_000);
    assertNoErrors(errors);
    await context.close();
  });
});

// ---- remote mode -------------------------------------------------------------

// The Worker under Miniflare (tests/worker/start-miniflare.js), serving the demo
// at / and the API under /api/, as `make start` does. Its clock is real time.
const WORKER_HELPER = new URL("../worker/start-miniflare.js", import.meta.url);

describe("pandora-mq demo, production controls in remote mode (Mailbox against the Worker)", () => {
  test("Send 1,000, the stats strip, Cancel, Extend, the consume toggle and Purge go over HTTP", { timeout: TEST_TIMEOUT * 2 }, async () => {
    const { startWorker } = await import(WORKER_HELPER.href);
    const worker = await startWorker();
    try {
      const { context, page, errors } = await openDemo({ fakeClock: false, url: `${worker.url}/` });
      await page.locator('label[for="mode-remote"]').click();
      await page.getByLabel("Server URL").fill(`${worker.url}/api`);
      await page.getByRole("button", { name: "Connect" }).click();
      await waitReady(page);
      await expectText(byTestId(page, "backend-status"), /Remote · every action goes to/);

      const box = `remote-bulk-${Date.now()}`;
      await compose(page, { receiver: box, fields: [["text", "over the wire, in bulk"]] });
      await page.getByRole("button", { name: "Send 1,000" }).click();
      // Ten sendBatch requests through Miniflare: seconds on a busy machine.
      await expectText(byTestId(page, "send-many-count"), /^1,000$/, "1,000 sent", 30_000);
      await expectStrip(page, { ready: 1000, delayed: 0, leased: 0, dead: 0 });
      await eventually(
        async () => assert.equal(await byTestId(page, "depth-chart").locator('polyline[data-series="ready"]').getAttribute("data-last"), "1000"),
        "the chart at 1,000",
      );

      const first = await byTestId(page, "header-row").first().getAttribute("data-mid");
      await page.getByRole("button", { name: `Cancel ${first.slice(0, 10)}…` }).click();
      await row(page, first).waitFor({ state: "detached" });
      await expectStrip(page, { ready: 999 });

      const fetched = await fetchNext(page, "10s");
      await page.getByLabel("Lease", { exact: true }).fill("1m");
      await page.getByRole("button", { name: "Extend lease" }).click();
      await expectText(byTestId(page, "consume-status"), /Extended the lease/);
      await expectText(row(page, fetched).getByTestId("row-lease"), /lease ends in (59|60) s|lease ends in 1 min 00 s/);
      await page.getByRole("button", { name: "Confirm" }).click();
      await expectStrip(page, { ready: 998, leased: 0 });

      await page.getByRole("button", { name: "Purge mailbox" }).click();
      await expectText(byTestId(page, "tools-status"), new RegExp(`^Purged “${box}”: 998 messages deleted\\.$`));
      await expectStrip(page, { ready: 0 });

      for (const n of ["1", "2"]) await send(page, { receiver: box, fields: [["n", n]] });
      await page.getByRole("switch", { name: "Consume continuously" }).check();
      await expectText(byTestId(page, "consume-loop-count"), /^2 confirmed, 0 rejected/);
      await expectStrip(page, { ready: 0, leased: 0 });
      await page.getByRole("switch", { name: "Consume continuously" }).uncheck();
      await eventually(async () => assert.match(await byTestId(page, "consume-loop-status").textContent(), /^Stopped\. 2 confirmed/), "the loop to stop", 12_000);
      await screenshot(page, "13-remote-production");
      assertNoErrors(errors);
      await context.close();
    } finally {
      await worker.dispose();
    }
  });

  test("dead letters and Redrive over HTTP, with the Worker's PANDORA_MAX_DELIVERIES", { timeout: TEST_TIMEOUT * 2 }, async () => {
    const { startWorker } = await import(WORKER_HELPER.href);
    const worker = await startWorker({ env: { PANDORA_MAX_DELIVERIES: "1" } });
    try {
      const { context, page, errors } = await openDemo({ fakeClock: false, url: `${worker.url}/` });
      await page.locator('label[for="mode-remote"]').click();
      await page.getByLabel("Server URL").fill(`${worker.url}/api`);
      await page.getByRole("button", { name: "Connect" }).click();
      await waitReady(page);

      const box = `remote-dlq-${Date.now()}`;
      const mid = await send(page, { receiver: box, fields: [["text", "one try only"]] });
      assert.equal(await fetchNext(page), mid);
      await reject(page);
      await deadRow(page, mid).waitFor();
      await expectStrip(page, { ready: 0, dead: 1 });
      await page.getByRole("button", { name: "Redrive" }).click();
      await expectText(byTestId(page, "dead-status"), new RegExp(`^1 dead letter back in “${box}”\\.$`));
      await row(page, mid).waitFor();
      await expectStrip(page, { ready: 1, dead: 0 });

      assert.equal(await fetchNext(page), mid);
      await reject(page);
      await deadRow(page, mid).waitFor();
      await page.getByRole("button", { name: "Purge dead letters" }).click();
      await expectText(byTestId(page, "tools-status"), new RegExp(`^Purged “${box}”: 1 dead letter deleted\\.$`));
      await expectStrip(page, { ready: 0, dead: 0 });
      assertNoErrors(errors);
      await context.close();
    } finally {
      await worker.dispose();
    }
  });
});
