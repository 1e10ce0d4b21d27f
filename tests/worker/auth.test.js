// With PANDORA_TOKEN set, every API request needs `Authorization: Bearer
// <token>`: without it, or with a wrong one, the reply is 401 with a Bearer
// challenge and nothing changes. The demo page stays public.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ack, api, assertFormError, fetchNext, newBox, useWorker } from "./support.js";

const TOKEN = "s3cret-token";
const worker = useWorker({ env: { PANDORA_TOKEN: TOKEN } });
const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });
const authorised = bearer(TOKEN);

const WRONG = [
  {}, // no header at all
  bearer("s3cret-tokeN"), // same length
  bearer("s3cret"), // a prefix
  bearer(`${TOKEN}x`),
  bearer(""),
  { headers: { Authorization: `Basic ${TOKEN}` } },
  { headers: { Authorization: TOKEN } },
];

async function assertUnauthorized(res) {
  assert.equal(res.headers.get("www-authenticate"), "Bearer");
  await assertFormError(res, 401, "unauthorized");
}

test("wrong or missing tokens get 401 and change nothing", async () => {
  const receiver = newBox();
  const sent = await api(worker.url, "send", { fields: { sender: "a@x", receiver, topic: "guarded" }, ...authorised });
  assert.equal(sent.status, 200);
  const mid = new URLSearchParams(await sent.text()).get("mid");

  for (const options of WRONG) {
    await assertUnauthorized(await api(worker.url, "fetch", { fields: { receiver }, ...options }));
    await assertUnauthorized(await api(worker.url, "send", { fields: { sender: "x@x", receiver, topic: "intruder" }, ...options }));
    await assertUnauthorized(await api(worker.url, "admin/reenqueue", { method: "GET", ...options }));
  }

  // Nothing was leased, nothing was added: the one message, first delivery.
  const res = await api(worker.url, "fetch", { fields: { receiver }, ...authorised });
  const msg = new URLSearchParams(await res.text());
  assert.equal(msg.get("mid"), mid);
  assert.equal(msg.get("deliveryCount"), "1");

  // An ack with a wrong token does not confirm either.
  await assertUnauthorized(await ack(worker.url, mid, msg.get("lid"), 1, bearer("nope")));
  assert.equal((await ack(worker.url, mid, msg.get("lid"), 1, authorised)).status, 200);
  assert.equal((await api(worker.url, "fetch", { fields: { receiver }, ...authorised })).status, 204);
});

test("the 401 is JSON when JSON is asked for, and the scheme is case-insensitive", async () => {
  const res = await api(worker.url, "fetch", { fields: { receiver: newBox() }, json: true });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).code, "unauthorized");
  const ok = await api(worker.url, "fetch", { fields: { receiver: newBox() }, headers: { Authorization: `bearer ${TOKEN}` } });
  assert.equal(ok.status, 204);
});

test("the demo page needs no token", async () => {
  assert.equal((await fetch(`${worker.url}/`)).status, 200);
});

test("without a token configured the API is open", async () => {
  const { startWorker } = await import("./start-miniflare.js");
  const open = await startWorker();
  try {
    assert.equal(await fetchNext(open.url, newBox()), null);
  } finally {
    await open.dispose();
  }
});
