// CORS in real Chromium: the demo page served from a second local origin
// drives the Worker (Miniflare) in Remote mode with a token scoped to one
// mailbox, because that origin is in PANDORA_CORS_ORIGINS; a page from a third
// origin, not listed, is blocked by the browser itself.
//
//   node --test tests/e2e/cors.test.js
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { mintToken } from "pandora-mq";
import { launchChromium, skip } from "../browser/support/chromium.js";
import { startStaticServer } from "../browser/support/static-server.js";
import { startWorker } from "../worker/start-miniflare.js";

const WWW = fileURLToPath(new URL("../../www", import.meta.url));
const FULL = "full-access-token";
const SECRET = "cors-test secret, thirty-two bytes long";
const TIMEOUT = 90_000;

let browser, allowedSite, otherSite, worker;

before(async () => {
  if (skip) return;
  [allowedSite, otherSite] = await Promise.all([startStaticServer({ "/": WWW }), startStaticServer({ "/": WWW })]);
  worker = await startWorker({
    env: { PANDORA_TOKEN: FULL, PANDORA_SIGNING_KEYS: JSON.stringify({ k1: SECRET }), PANDORA_CORS_ORIGINS: allowedSite.origin },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  await allowedSite?.close();
  await otherSite?.close();
});

const scoped = (mailbox) => mintToken({ mailbox, ops: ["send", "consume", "admin"], expires: Date.now() + 3_600_000, kid: "k1" }, SECRET);

/** The listing of `receiver`, read directly with the full-access token. */
async function listing(receiver) {
  const url = new URL("/api/admin/headers", worker.url);
  url.searchParams.set("receiver", receiver);
  const res = await fetch(url, { headers: { Authorization: `Bearer ${FULL}` } });
  return res.status === 204 ? [] : res.json();
}

async function openPage(site) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(`${site.origin}/`);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20_000 });
  return { context, page, errors };
}

/** What `fetch` from the page gives: the status, or the error's name when the browser refuses. */
function sendFromPage(page, url, token, receiver) {
  return page.evaluate(async ([url, token, receiver]) => {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ sender: "page", receiver }),
      });
      return res.status;
    } catch (e) {
      return e.name;
    }
  }, [url, token, receiver]);
}

test("the demo on a listed origin runs Remote mode with a one-mailbox token", { skip, timeout: TIMEOUT }, async () => {
  const box = `cors-${Date.now()}`;
  const { context, page, errors } = await openPage(allowedSite);
  assert.notEqual(new URL(allowedSite.origin).port, new URL(worker.url).port, "another origin than the Worker's");
  await page.getByLabel("Receiver to watch").fill(box);
  await page.locator('label[for="mode-remote"]').click();
  await page.getByTestId("remote-settings").waitFor();
  await page.getByLabel("Server URL").fill(`${worker.url}/api`);
  await page.getByLabel(/^Token/).fill(scoped(box));
  await page.getByRole("button", { name: "Connect" }).click();
  await page.waitForSelector("html[data-ready=true]");
  await page.getByTestId("backend-status").filter({ hasText: "Remote · every action goes to" }).waitFor();

  await page.getByLabel("Receiver", { exact: true }).fill(box);
  await page.getByLabel("Field 1 name").fill("text");
  await page.getByLabel("Field 1 value").fill("from another origin");
  await page.getByRole("button", { name: "Send message" }).click();
  const mid = await page.getByTestId("send-mid").textContent({ timeout: 10_000 });
  assert.match(mid, /^[0-9a-f]{40}$/);
  await page.locator(`[data-testid="header-row"][data-mid="${mid}"]`).waitFor();

  await page.getByRole("button", { name: "Fetch next message" }).click();
  await page.getByTestId("message").waitFor({ state: "visible" });
  assert.equal((await page.getByTestId("message-mid").textContent()).trim(), mid);
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByTestId("consume-status").filter({ hasText: "Confirmed" }).waitFor();
  assert.deepEqual(await listing(box), [], "confirmed on the Worker");
  assert.equal(await page.getByTestId("send-error").textContent(), "");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the same request from an origin not listed is blocked by the browser", { skip, timeout: TIMEOUT }, async () => {
  const box = `cors-${Date.now()}-blocked`;
  const api = `${worker.url}/api/send`;
  const allowed = await openPage(allowedSite);
  const other = await openPage(otherSite);
  try {
    assert.equal(await sendFromPage(allowed.page, api, scoped(box), box), 200);
    assert.equal((await listing(box)).length, 1);
    // The preflight gets no Access-Control-Allow-Origin, so the browser never sends the POST.
    assert.equal(await sendFromPage(other.page, api, scoped(box), box), "TypeError");
    assert.equal((await listing(box)).length, 1, "nothing more was sent");
  } finally {
    await allowed.context.close();
    await other.context.close();
  }
});
