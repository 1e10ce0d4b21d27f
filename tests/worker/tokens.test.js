// Scoped tokens through the Worker in workerd (Miniflare): the hostile-token
// table, the cross-mailbox lid (refused by the object that issued it), key
// rotation across deployments, and the header rules (lowercase scheme
// accepted; two Authorization headers or a token in the query refused).
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { test } from "node:test";
import { mintToken } from "pandora-mq";
import { startWorker } from "./start-miniflare.js";
import { api, assertFormError, newBox, useWorker } from "./support.js";

const FULL = "full-access-token";
const K1 = "k1: a secret of thirty-two bytes or more";
const K2 = "k2: another secret, just as long as k1";
const HOUR = 3_600_000;
const worker = useWorker({ env: { PANDORA_TOKEN: FULL, PANDORA_SIGNING_KEYS: JSON.stringify({ k1: K1, k2: K2 }) } });

const token = (mailbox, ops, { expires = Date.now() + HOUR, kid = "k1", secret = K1 } = {}) =>
  mintToken({ mailbox, ops, expires, kid }, secret);
const bearer = (t) => ({ headers: { Authorization: `Bearer ${t}` } });
const full = bearer(FULL);
const flip = (s, i) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);

/** The admin listing of `receiver`, read with the full-access token. */
async function listing(receiver) {
  const res = await api(worker.url, "admin/headers", { method: "GET", fields: { receiver }, ...full });
  return res.status === 204 ? [] : res.json();
}

/** Mailboxes a, a+"b" and b with one message each; b's leased. */
async function world() {
  const a = newBox("a");
  const boxes = { a, ab: `${a}b`, b: newBox("b") };
  const mids = {};
  for (const [name, receiver] of Object.entries(boxes)) {
    const res = await api(worker.url, "send", { fields: { sender: "s", receiver, n: "1" }, ...full });
    assert.equal(res.status, 200);
    mids[name] = new URLSearchParams(await res.text()).get("mid");
  }
  const res = await api(worker.url, "fetch", { fields: { receiver: boxes.b, leaseTime: "1h" }, ...full });
  const lidB = new URLSearchParams(await res.text()).get("lid");
  const snapshot = async () => Promise.all(Object.values(boxes).map(listing));
  return { boxes, mids, lidB, snapshot };
}

/** Every route, each concerning mailbox `b` (or its message). */
function routesOnB({ boxes, mids, lidB }) {
  const receiver = boxes.b;
  return [
    ["send", "send", { fields: { sender: "x", receiver, n: "2" } }],
    ["fetch", "fetch", { fields: { receiver } }],
    ["ack", "ack", { fields: { mid: mids.b, lid: lidB, statusCode: "1" } }],
    ["headers", "admin/headers", { method: "GET", fields: { receiver } }],
    ["fetchBlob", "admin/fetchBlob", { method: "GET", fields: { mid: mids.b } }],
    ["reenqueue", "admin/reenqueue", { method: "POST" }],
  ];
}

test("hostile tokens get 401 on every route and change nothing", async () => {
  const w = await world();
  const before = await w.snapshot();
  const all = ["send", "consume", "admin"];
  const good = token(w.boxes.b, all);
  const sig = good.lastIndexOf(".") + 1;
  const hostile = {
    "expired by 1 ms": token(w.boxes.b, all, { expires: Date.now() - 1 }),
    "unknown kid": token(w.boxes.b, all, { kid: "k9" }),
    "payload altered by one character": flip(good, "pmq1.k1.".length + 3),
    "signature altered by one character": flip(good, sig + 7),
    truncated: good.slice(0, -1),
    empty: "",
  };
  for (const [name, t] of Object.entries(hostile)) {
    for (const [route, path, options] of routesOnB(w)) {
      const res = await api(worker.url, path, { ...options, headers: { Authorization: `Bearer ${t}` } });
      await assertFormError(res, 401, "unauthorized").catch((e) => assert.fail(`${name}, ${route}: ${e.message}`));
    }
  }
  // The token only in the query string: never read.
  for (const [route, path, options] of routesOnB(w)) {
    const url = new URL(`/api/${path}`, worker.url);
    url.searchParams.set("access_token", good);
    const method = options.method ?? "POST";
    const body = method === "POST" ? new URLSearchParams(options.fields ?? {}) : undefined;
    if (method === "GET") for (const [k, v] of Object.entries(options.fields ?? {})) url.searchParams.set(k, v);
    await assertFormError(await fetch(url, { method, body }), 401, "unauthorized").catch((e) => assert.fail(`query, ${route}: ${e.message}`));
  }
  assert.deepEqual(await w.snapshot(), before, "every mailbox as it was");
});

test("tokens outside their mailbox or operation get 403 and change nothing", async () => {
  const w = await world();
  const before = await w.snapshot();
  const all = ["send", "consume", "admin"];
  const refuse = async (name, path, options, t) => {
    const res = await api(worker.url, path, { ...options, ...bearer(t) });
    await assertFormError(res, 403, "forbidden").catch((e) => assert.fail(`${name}: ${e.message}`));
  };
  for (const [name, t, receiver] of [["a on ab", token(w.boxes.a, all), w.boxes.ab], ["a* on b", token(`${w.boxes.a}*`, all), w.boxes.b]]) {
    await refuse(`${name}, send`, "send", { fields: { sender: "x", receiver } }, t);
    await refuse(`${name}, fetch`, "fetch", { fields: { receiver } }, t);
    await refuse(`${name}, headers`, "admin/headers", { method: "GET", fields: { receiver } }, t);
  }
  const sendOnly = token(w.boxes.b, ["send"]);
  for (const [route, path, options] of routesOnB(w).filter(([r]) => r !== "send")) await refuse(`send-only, ${route}`, path, options, sendOnly);
  const [, sendPath, sendOptions] = routesOnB(w)[0];
  await refuse("consume on send", sendPath, sendOptions, token(w.boxes.b, ["consume"]));
  assert.deepEqual(await w.snapshot(), before, "every mailbox as it was");
});

test("a lid issued by b's object is refused there with a token for a", async () => {
  const w = await world();
  const before = await w.snapshot();
  const forA = bearer(token(w.boxes.a, ["consume"]));
  // b's own mid and lid: b's object knows the message is b's.
  await assertFormError(await api(worker.url, "ack", { fields: { mid: w.mids.b, lid: w.lidB, statusCode: "1" }, ...forA }), 403, "forbidden");
  // a's mid with b's lid goes to b's object too, which holds no such message of a.
  await assertFormError(await api(worker.url, "ack", { fields: { mid: w.mids.a, lid: w.lidB, statusCode: "1" }, ...forA }), 403, "forbidden");
  // A lid no object issued is answered in the isolate, by the same rule.
  await assertFormError(await api(worker.url, "ack", { fields: { mid: w.mids.a, lid: "nodot", statusCode: "1" }, ...forA }), 403, "forbidden");
  assert.deepEqual(await w.snapshot(), before, "b's lease held, a untouched");
  // A token for b may ack it.
  const forB = bearer(token(w.boxes.b, ["consume"]));
  assert.equal((await api(worker.url, "ack", { fields: { mid: w.mids.b, lid: w.lidB, statusCode: "1" }, ...forB })).status, 200);
  assert.deepEqual(await listing(w.boxes.b), []);
});

test("a scoped token does its job through the Worker, bearer in any case", async () => {
  const w = await world();
  const t = token(`${w.boxes.a}*`, ["send", "consume"]);
  const headers = { Authorization: `bearer ${t}` };
  assert.equal((await api(worker.url, "send", { fields: { sender: "x", receiver: w.boxes.ab, n: "2" }, headers })).status, 200);
  const res = await api(worker.url, "fetch", { fields: { receiver: w.boxes.ab }, headers });
  const msg = new URLSearchParams(await res.text());
  assert.equal(res.status, 200);
  assert.equal((await api(worker.url, "ack", { fields: { mid: msg.get("mid"), lid: msg.get("lid"), statusCode: "1" }, headers })).status, 200);
  // The mailbox-less reenqueue fans out to every object, which check the credential again.
  const everywhere = bearer(token("*", ["admin"]));
  assert.equal((await api(worker.url, "admin/reenqueue", { method: "POST", ...everywhere })).status, 200);
  await assertFormError(await api(worker.url, "admin/reenqueue", { method: "POST", ...bearer(token(`${w.boxes.a}*`, ["admin"])) }), 403, "forbidden");
});

test("two Authorization headers are refused with 401", async () => {
  const receiver = newBox();
  const good = `Bearer ${token(receiver, ["send"])}`;
  const { port } = new URL(worker.url);
  const status = await new Promise((resolve, reject) => {
    const body = new URLSearchParams({ sender: "x", receiver }).toString();
    const req = httpRequest({
      host: "127.0.0.1", port, method: "POST", path: "/api/send",
      // An array sends the header twice, on two lines.
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: [good, good] },
    }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", reject);
    req.end(body);
  });
  assert.equal(status, 401);
  assert.deepEqual(await listing(receiver), []);
});

test("rotation: a kid is accepted while listed and refused once removed", async () => {
  const receiver = newBox();
  const old = bearer(token(receiver, ["admin"]));
  const fresh = bearer(token(receiver, ["admin"], { kid: "k2", secret: K2 }));
  const list = (url, options) => api(url, "admin/headers", { method: "GET", fields: { receiver }, ...options }).then((r) => r.status);
  assert.deepEqual([await list(worker.url, old), await list(worker.url, fresh)], [204, 204]);
  const rotated = await startWorker({ env: { PANDORA_SIGNING_KEYS: JSON.stringify({ k2: K2 }) } });
  try {
    assert.deepEqual([await list(rotated.url, old), await list(rotated.url, fresh)], [401, 204]);
  } finally {
    await rotated.dispose();
  }
});
