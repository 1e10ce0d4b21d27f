// End-to-end tests of the browser demo (www/), driven like a person would:
// typing into labelled fields, pressing buttons, reading what the page shows.
//
//   node --test tests/e2e/demo.test.js
//
// Needs Debian's Chromium at /usr/bin/chromium and playwright-core from
// node_modules (never `npx playwright install`). The page runs the real
// pandora-mq package from www/vendor/pandora-mq/ (built by `make pkg`).
//
// Time is fake (see support/demo-page.js): the tests move the page's clock with
// `advance(page, ms)`; no test waits for a delay or a lease in real time.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  TEST_TIMEOUT, advance, assertNoErrors, byTestId, demo, eventually, expectText, fetchNext, openDemo, row, screenshot, send,
  useDemoPage, waitReady, watch,
} from "./support/demo-page.js";

useDemoPage();

// ---- scenarios -----------------------------------------------------------------

describe("pandora-mq demo, local mode (Server on IndexedDB in the tab)", { timeout: TEST_TIMEOUT * 10 }, () => {
  test("a delayed message counts down, becomes due, is fetched, confirmed and gone", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const box = "delayed-box";
    const mid = await send(page, { receiver: box, delay: "10s", fields: [["text", "see you in ten seconds"]] });

    // The mailbox view follows the receiver we sent to and shows the countdown.
    assert.equal(await page.getByLabel("Receiver to watch").inputValue(), box);
    const r = row(page, mid);
    await expectText(r.getByTestId("row-state"), /^delayed$/);
    await expectText(r.getByTestId("row-due"), /due in 10 s/);
    await expectText(r.getByTestId("row-mid"), new RegExp(`^${mid.slice(0, 10)}`));
    await expectText(r.getByTestId("row-deliveries"), /not delivered yet/);

    // Nothing is due yet.
    await page.getByRole("button", { name: "Fetch next message" }).click();
    await expectText(byTestId(page, "consume-status"), /No message is due in “delayed-box”/);

    await advance(page, 4000);
    await expectText(r.getByTestId("row-due"), /due in 6\.0 s/);
    await screenshot(page, "01-delayed-countdown");

    await advance(page, 6000);
    await expectText(r.getByTestId("row-state"), /^ready$/);

    // Fetch under a 30 s lease: the body is shown, the row turns leased.
    const fetched = await fetchNext(page, "30s");
    assert.equal(fetched, mid);
    const fields = byTestId(page, "message-fields");
    await expectText(fields, /see you in ten seconds/);
    await expectText(fields, /alice/); // the server stamps the sender into the body
    await expectText(byTestId(page, "message-status"), /notDelivered \(8\)/);
    await expectText(byTestId(page, "message-deliveries"), /^1$/);
    await expectText(r.getByTestId("row-state"), /^leased$/);
    await expectText(r.getByTestId("row-lease"), /lease ends in 30 s/);
    await advance(page, 12_000);
    await expectText(r.getByTestId("row-lease"), /lease ends in 18 s/);
    await expectText(byTestId(page, "message-lease"), /ends in 18 s/);

    // The blob opens from the row: the stored form-encoded body.
    await r.getByRole("button", { name: /Open blob/ }).click();
    await expectText(byTestId(page, "blob-raw"), /text=see\+you\+in\+ten\+seconds/);
    assert.equal(await page.getByLabel("mid", { exact: true }).inputValue(), mid);
    await screenshot(page, "02-leased-with-blob");

    await page.getByRole("button", { name: "Confirm" }).click();
    await expectText(byTestId(page, "consume-status"), /Confirmed .*done and removed/);
    await r.waitFor({ state: "detached" });
    await expectText(byTestId(page, "mailbox-empty"), /No pending messages for “delayed-box”/);
    assert.equal(await byTestId(page, "message").isVisible(), false);
    assertNoErrors(errors);
    await context.close();
  });

  test("reject makes the message deliverable again after the back-off; the next delivery counts 2", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const mid = await send(page, {
      receiver: "jobs",
      fields: [
        ["task", "resize"],
        ["size", "64"],
        ["size", "128"], // a repeated field becomes a list of values
      ],
    });
    assert.equal(await fetchNext(page), mid);
    const fields = byTestId(page, "message-fields");
    await expectText(fields, /resize/);
    await expectText(fields, /64/);
    await expectText(fields, /128/);

    await page.getByRole("button", { name: "Reject" }).click();
    await expectText(byTestId(page, "consume-status"), /Rejected .*deliverable again/);
    const r = row(page, mid);
    await expectText(r.getByTestId("row-status"), /rejected/);
    await expectText(r.getByTestId("row-state"), /^retry$/);
    await expectText(r.getByTestId("row-deliveries"), /^1 delivery$/);

    // The tab's Server waits out a retry back-off of 1 s after a first failed delivery.
    await advance(page, 1000);
    assert.equal(await fetchNext(page), mid);
    await expectText(byTestId(page, "message-deliveries"), /^2$/);
    await expectText(byTestId(page, "message-status"), /rejected \(2\)/);
    await expectText(r.getByTestId("row-deliveries"), /^2 deliveries$/);
    await screenshot(page, "03-redelivered-after-reject");

    await page.getByRole("button", { name: "Confirm" }).click();
    await r.waitFor({ state: "detached" });
    assertNoErrors(errors);
    await context.close();
  });

  test("an expired lease: late ack refused, message back with status timeout and fetchable", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const mid = await send(page, { receiver: "slow-worker", fields: [["text", "take your time"]] });
    assert.equal(await fetchNext(page, "5s"), mid);
    const r = row(page, mid);
    await expectText(r.getByTestId("row-lease"), /lease ends in 5\.0 s/);

    await advance(page, 6000);
    await expectText(r.getByTestId("row-state"), /^retry$/);
    await expectText(r.getByTestId("row-status"), /timeout/);
    await expectText(byTestId(page, "message-lease"), /ran out/);

    // Acking after the lease ended is refused, and the page says why, inline.
    await page.getByRole("button", { name: "Confirm" }).click();
    const alert = byTestId(page, "consume-error");
    await expectText(alert, /lease expired/);
    await expectText(alert, /lease_expired/);
    assert.equal(await alert.getAttribute("role"), "alert");

    await page.getByRole("button", { name: "Reenqueue expired leases" }).click();
    await expectText(byTestId(page, "tools-status"), /^\d+ expired leases? made visible again\.$/);

    await advance(page, 1000); // the retry back-off after a first failed delivery
    assert.equal(await fetchNext(page), mid);
    await expectText(byTestId(page, "message-status"), /timeout \(4\)/);
    await expectText(byTestId(page, "message-deliveries"), /^2$/);
    assert.equal(await alert.textContent(), "", "a new fetch clears the old error");
    await page.getByRole("button", { name: "Confirm" }).click();
    await r.waitFor({ state: "detached" });
    assertNoErrors(errors);
    await context.close();
  });

  test("a wrong lock id is refused with the server's message inline", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const mid = await send(page, { receiver: "locks", fields: [["text", "mine, not yours"]] });
    assert.equal(await fetchNext(page), mid);
    const lidInput = page.getByLabel("Lock id (lid)");
    const lid = await lidInput.inputValue();
    assert.ok(lid.length > 0, "the fetched lid is shown");
    const wrong = lid.slice(0, -1) + (lid.endsWith("0") ? "1" : "0");
    await lidInput.fill(wrong);
    await page.getByRole("button", { name: "Confirm" }).click();

    const alert = page.getByRole("alert").filter({ hasText: "lock_mismatch" });
    await expectText(alert, /lock id does not hold the lease of this message/);
    await expectText(row(page, mid).getByTestId("row-state"), /^leased$/);
    await screenshot(page, "04-wrong-lock");

    // With the right lid the same ack goes through.
    await lidInput.fill(lid);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expectText(byTestId(page, "consume-status"), /Confirmed/);
    assert.equal(await byTestId(page, "consume-error").textContent(), "");
    await row(page, mid).waitFor({ state: "detached" });
    assertNoErrors(errors);
    await context.close();
  });

  test("a reload keeps the mailbox (IndexedDB), and clear database empties it", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const first = await send(page, { receiver: "durable", fields: [["n", "1"]] });
    await advance(page, 1000); // distinct receive times, so "oldest first" is well defined
    const second = await send(page, { receiver: "durable", delay: "1m", fields: [["n", "2"]] });
    await row(page, second).waitFor();

    await page.reload();
    await waitReady(page);
    assert.equal(await page.getByLabel("Receiver to watch").inputValue(), "durable");
    await row(page, first).waitFor();
    await expectText(row(page, second).getByTestId("row-due"), /due in 1 min 00 s/);
    const mids = await byTestId(page, "header-row").evaluateAll((els) => els.map((e) => e.dataset.mid));
    assert.deepEqual(mids, [first, second], "oldest first");
    await screenshot(page, "05-after-reload");
    assert.equal(await fetchNext(page), first);

    // Clearing asks for a second press, then deletes everything.
    const clear = page.getByRole("button", { name: "Clear database" });
    await clear.click();
    await page.getByRole("button", { name: "Press again to delete everything" }).click();
    await expectText(byTestId(page, "tools-status"), /Database cleared/);
    await byTestId(page, "header-row").first().waitFor({ state: "detached" });
    await expectText(byTestId(page, "mailbox-empty"), /No pending messages/);
    await page.reload();
    await waitReady(page);
    await expectText(byTestId(page, "mailbox-empty"), /No pending messages for “durable”/);
    assert.equal(await byTestId(page, "header-row").count(), 0);
    // The queue still works after clearing.
    const third = await send(page, { receiver: "durable", fields: [["n", "3"]] });
    await row(page, third).waitFor();
    assertNoErrors(errors);
    await context.close();
  });

  test("two tabs share one queue: a send in one shows up in the other, a lease is seen by both", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const other = await context.newPage(); // same browser context: same IndexedDB, same clock start
    other.on("console", (msg) => msg.type() === "error" && errors.push(`tab 2 console: ${msg.text()}`));
    other.on("pageerror", (err) => errors.push(`tab 2 pageerror: ${err.message}`));
    await other.goto(`${demo.site.origin}/`);
    await waitReady(other);
    await watch(other, "shared");

    const mid = await send(page, { receiver: "shared", fields: [["text", "for whichever tab is first"]] });
    await row(other, mid).waitFor();
    assert.equal(await fetchNext(other), mid);
    await expectText(row(page, mid).getByTestId("row-state"), /^leased$/);
    // The first tab finds nothing due: the other tab holds the lease.
    await page.getByRole("button", { name: "Fetch next message" }).click();
    await expectText(byTestId(page, "consume-status"), /No message is due in “shared”/);
    await other.getByRole("button", { name: "Confirm" }).click();
    await row(page, mid).waitFor({ state: "detached" });
    assertNoErrors(errors);
    await context.close();
  });

  test("at 375 px wide nothing scrolls sideways", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo({ viewport: { width: 375, height: 812 } });
    // Remote shows the URL and token row (and waits for Connect, so nothing is requested).
    await page.locator('label[for="mode-remote"]').click();
    await byTestId(page, "remote-settings").waitFor();
    await expectText(byTestId(page, "backend-status"), /not connected/);
    await page.getByRole("button", { name: "Fetch next message" }).click();
    await expectText(byTestId(page, "consume-error"), /not_connected/);
    const remoteRowFits = await page.evaluate(() => document.documentElement.scrollWidth <= 375);
    assert.ok(remoteRowFits, "the remote settings row fits in 375 px");
    await page.locator('label[for="mode-local"]').click();
    await waitReady(page);

    const long = "a-rather-long-unbroken-value-".repeat(4);
    await send(page, { receiver: "phone", delay: "3s", fields: [["text", "small screen"], ["note", long]] });
    const mid = await send(page, { receiver: "phone", fields: [["text", "due now"]] });
    await fetchNext(page);
    await page.getByRole("button", { name: `Open blob ${mid.slice(0, 10)}…` }).click();
    await byTestId(page, "blob-raw").waitFor();
    await page.getByLabel("Lock id (lid)").fill("not-the-lid");
    await page.getByRole("button", { name: "Reject" }).click();
    await expectText(byTestId(page, "consume-error"), /lock_mismatch/);

    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll("body *")]
        .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > width + 0.5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}[${el.dataset.testid ?? ""}]`);
      return { scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10) };
    });
    assert.equal(overflow.width, 375);
    assert.ok(overflow.scrollWidth <= overflow.width, `page is ${overflow.scrollWidth}px wide: ${overflow.wide.join(", ")}`);
    assert.deepEqual(overflow.wide, [], "no element sticks out on the right");
    await screenshot(page, "06-mobile-375");
    assertNoErrors(errors);
    await context.close();
  });

  test("every control has a label, and the keyboard alone can send a message", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input, button, select, textarea")]
        .filter((el) => !el.closest("[hidden]"))
        .filter((el) => {
          const name = el.getAttribute("aria-label") || [...(el.labels ?? [])].map((l) => l.textContent.trim()).join(" ") || (el.tagName === "BUTTON" ? el.textContent.trim() : "");
          return !name;
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    assert.deepEqual(unlabelled, [], "controls without an accessible name");

    // Tab to the Receiver field, type, then Tab on to the send button and press Enter.
    await page.keyboard.press("Tab"); // skip link first
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to the demo");
    let steps = 0;
    while ((await page.evaluate(() => document.activeElement?.id)) !== "compose-receiver") {
      await page.keyboard.press("Tab");
      assert.ok(++steps < 20, "the Receiver field is reachable with Tab");
    }
    await page.keyboard.press("Control+A");
    await page.keyboard.type("keyboard-only");
    steps = 0;
    while ((await page.evaluate(() => document.activeElement?.dataset.testid)) !== "send-button") {
      await page.keyboard.press("Tab");
      assert.ok(++steps < 30, "the send button is reachable with Tab");
    }
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none", "the focused button shows a focus ring");
    await page.keyboard.press("Enter");
    const mid = await eventually(async () => {
      const text = await byTestId(page, "send-mid").textContent({ timeout: 500 });
      assert.match(text, /^[0-9a-f]{40}$/);
      return text;
    }, "a mid after sending with the keyboard");
    await row(page, mid).waitFor();
    assert.equal(await page.getByLabel("Receiver to watch").inputValue(), "keyboard-only");
    assertNoErrors(errors);
    await context.close();
  });

  test("server-side validation errors are shown, not thrown", { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openDemo();
    await page.getByLabel("Receiver", { exact: true }).fill("inbox");
    await page.getByRole("textbox", { name: /^Delay/ }).fill("soon");
    await page.getByRole("button", { name: "Send message" }).click();
    await expectText(byTestId(page, "send-error"), /invalid_duration/);
    await page.getByRole("textbox", { name: /^Delay/ }).fill("");
    await page.getByLabel("Field 1 name").fill("mid"); // reserved by the server
    await page.getByRole("button", { name: "Send message" }).click();
    await expectText(byTestId(page, "send-error"), /reserved_field/);
    await page.getByLabel("mid", { exact: true }).fill("0".repeat(40));
    await page.getByRole("button", { name: "Open blob", exact: true }).click();
    await expectText(byTestId(page, "blob-output"), /No blob is stored under 0{40}/);
    assertNoErrors(errors);
    await context.close();
  });
});

// ---- remote mode -------------------------------------------------------------

// The Worker under Miniflare (tests/worker/start-miniflare.js), serving the demo
// at / and the API under /api/, as `make start` does.
const WORKER_HELPER = new URL("../worker/start-miniflare.js", import.meta.url);

describe("pandora-mq demo, remote mode (Mailbox client against the Worker)", () => {
  test("switch to Remote, then send, list, fetch, refuse a wrong lock, confirm", { timeout: TEST_TIMEOUT * 2 }, async () => {
    const { startWorker } = await import(WORKER_HELPER.href);
    const worker = await startWorker();
    try {
      const base = worker.url.replace(/\/+$/, "");
      // The page comes from the Worker itself: same origin as the API it offers.
      const { context, page, errors } = await openDemo({ fakeClock: false, url: `${base}/` });
      await page.locator('label[for="mode-remote"]').click();
      await byTestId(page, "remote-settings").waitFor();
      assert.equal(await page.getByLabel("Server URL").inputValue(), `${base}/api`);
      await page.getByLabel("Server URL").fill(`${base}/api`);
      await page.getByRole("button", { name: "Connect" }).click();
      await waitReady(page);
      await expectText(byTestId(page, "backend-status"), /Remote · every action goes to/);

      const box = `remote-${Date.now()}`;
      const mid = await send(page, { receiver: box, fields: [["text", "over the wire"]] });
      const r = row(page, mid);
      await r.waitFor();
      assert.equal(await fetchNext(page, "30s"), mid);
      await expectText(byTestId(page, "message-fields"), /over the wire/);
      await expectText(r.getByTestId("row-state"), /^leased$/);

      const lidInput = page.getByLabel("Lock id (lid)");
      const lid = await lidInput.inputValue();
      await lidInput.fill(lid.slice(0, -1) + (lid.endsWith("0") ? "1" : "0"));
      await page.getByRole("button", { name: "Confirm" }).click();
      await expectText(byTestId(page, "consume-error"), /lock_mismatch/);

      await lidInput.fill(lid);
      await page.getByRole("button", { name: "Confirm" }).click();
      await expectText(byTestId(page, "consume-status"), /Confirmed/);
      await r.waitFor({ state: "detached" });
      await r.page().getByRole("button", { name: "Reenqueue expired leases" }).click();
      await expectText(byTestId(page, "tools-status"), /made visible again/);
      await screenshot(page, "07-remote");
      // Chromium logs every non-2xx response as a console error; the one wrong-lock
      // ack above is refused with a 4xx on purpose. Exactly that one is expected.
      const refused = errors.filter((e) => /status of 4\d\d/.test(e) && /\/api\/ack\b/.test(e));
      assert.equal(refused.length, 1, `one refused ack in the console log, got:\n${errors.join("\n")}`);
      assertNoErrors(errors.filter((e) => !refused.includes(e)));
      await context.close();
    } finally {
      await worker.dispose();
    }
  });
});
