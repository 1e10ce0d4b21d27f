// Scoped tokens through the package: mintToken, Server({ signingKeys }) and
// routeRequest. Each refusal is 401 or 403 and writes nothing to storage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, PandoraError, memoryStorage, mintToken, routeRequest } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { formOf, get, postForm } from "./support/http.js";

const SECRET = "k1-secret: at least thirty-two bytes long";
const SECRET2 = "k2-secret: at least thirty-two bytes, too";
const HOUR = 3_600_000;

/** A memory store that counts writes. */
function countingStorage() {
  const inner = memoryStorage();
  const store = {
    writes: 0,
    get: (key) => inner.get(key),
    list: (options) => inner.list(options),
    write(batch) {
      store.writes += 1;
      return inner.write(batch);
    },
  };
  return store;
}

function setup(signingKeys = { k1: SECRET, k2: SECRET2 }) {
  const clock = fakeClock();
  const storage = countingStorage();
  const server = new Server({ storage, clock: clock.clock, admin: true, signingKeys });
  const token = (mailbox, ops, { expires = clock.now() + HOUR, kid = "k1", secret = SECRET } = {}) =>
    mintToken({ mailbox, ops, expires, kid }, secret);
  return { clock, storage, server, token };
}

const auth = (token) => ({ authorization: `Bearer ${token}` });

test("mintToken makes a compact, URL-safe token; the Server accepts it for its mailbox and op", async () => {
  const { server, token } = setup();
  const t = token("box", ["send"]);
  assert.match(t, /^pmq1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  assert.equal(encodeURIComponent(t), t, "no character needs escaping");
  const ok = await server.handle(postForm("/send", { sender: "s", receiver: "box" }, auth(t)));
  assert.equal(ok.status, 200);
  const other = await server.handle(postForm("/send", { sender: "s", receiver: "box2" }, auth(t)));
  assert.equal(other.status, 403);
  assert.deepEqual(await formOf(other), { error: "forbidden: the token does not allow send on this mailbox", code: "forbidden" });
});

test("hostile tokens: 401 or 403, and not one storage write", async () => {
  const { clock, storage, server, token } = setup();
  const good = token("b", ["send", "consume", "admin"]);
  const flip = (s, i) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
  const sig = good.lastIndexOf(".") + 1;
  const cases = [
    ["expired by 1 ms", token("b", ["send"], { expires: clock.now() - 1 }), 401],
    ["unknown kid", token("b", ["send"], { kid: "k9" }), 401],
    ["payload altered", flip(good, "pmq1.k1.".length + 1), 401],
    ["signature altered", flip(good, sig + 3), 401],
    ["truncated", good.slice(0, -2), 401],
    ["empty", "", 401],
    ["a token for a on ab", token("a", ["send"]), 403, "ab"],
    ["a* on b", token("a*", ["send"]), 403],
    ["a consume token on send", token("b", ["consume"]), 403],
  ];
  for (const [name, t, status, receiver = "b"] of cases) {
    const res = await server.handle(postForm("/send", { sender: "s", receiver }, auth(t)));
    assert.equal(res.status, status, name);
    assert.equal((await formOf(res)).code, status === 401 ? "unauthorized" : "forbidden", name);
  }
  // A send-only token on every consume and admin route.
  const sendOnly = token("b", ["send"]);
  const mid = "0".repeat(40);
  for (const request of [
    postForm("/fetch", { receiver: "b" }, auth(sendOnly)),
    postForm("/ack", { mid, lid: "x", statusCode: "1" }, auth(sendOnly)),
    get("/admin/headers", { receiver: "b" }, auth(sendOnly)),
    get("/admin/fetchBlob", { mid }, auth(sendOnly)),
    postForm("/admin/reenqueue", {}, auth(sendOnly)),
  ]) {
    const res = await server.handle(request);
    assert.equal(res.status, 403, request.url);
  }
  // The token in the query string is never read; two headers joined are refused.
  const inQuery = await server.handle(postForm(`/send?access_token=${good}`, { sender: "s", receiver: "b" }));
  assert.equal(inQuery.status, 401);
  const twice = await server.handle(postForm("/send", { sender: "s", receiver: "b" }, { authorization: `Bearer ${good}, Bearer ${good}` }));
  assert.equal(twice.status, 401);
  assert.equal(storage.writes, 0, "nothing was written");
  // The scheme is case-insensitive.
  const lower = await server.handle(postForm("/send", { sender: "s", receiver: "b" }, { authorization: `bearer ${good}` }));
  assert.equal(lower.status, 200);
  assert.equal(storage.writes, 1);
});

test("an ack with another mailbox's lid is 403 and the lease holds", async () => {
  const { server, token } = setup();
  await server.send({ sender: "s", receiver: "b", body: { n: "1" } });
  const msg = await server.fetchLatest("b", { lease: "1m" });
  const forA = token("a", ["consume"]);
  const res = await server.handle(postForm("/ack", { mid: msg.mid, lid: msg.lid, statusCode: "1" }, auth(forA)));
  assert.equal(res.status, 403);
  assert.equal((await server.stats("b")).leased, 1, "still leased");
  const forB = token("b", ["consume"]);
  assert.equal((await server.handle(postForm("/ack", { mid: msg.mid, lid: msg.lid, statusCode: "1" }, auth(forB)))).status, 200);
});

test("rotation: a kid works while listed and fails once removed", async () => {
  const old = setup({ k1: SECRET, k2: SECRET2 });
  const t1 = old.token("b", ["admin"]);
  const t2 = old.token("b", ["admin"], { kid: "k2", secret: SECRET2 });
  const list = (server, t) => server.handle(get("/admin/headers", { receiver: "b" }, auth(t))).then((r) => r.status);
  assert.deepEqual([await list(old.server, t1), await list(old.server, t2)], [204, 204]);
  const rotated = setup({ k2: SECRET2 });
  assert.deepEqual([await list(rotated.server, t1), await list(rotated.server, t2)], [401, 204]);
});

test("routeRequest checks tokens against its clock, before any server", async () => {
  const clock = fakeClock();
  const t = mintToken({ mailbox: "b", ops: ["consume"], expires: clock.now() + 10, kid: "k1" }, SECRET);
  const options = { signingKeys: { k1: SECRET }, clock: clock.clock };
  const fetchB = () => postForm("/fetch", { receiver: "b" }, auth(t));
  assert.deepEqual(await routeRequest(fetchB(), options), { route: "fetch", receiver: "b", lid: undefined, mid: undefined });
  assert.equal((await routeRequest(postForm("/fetch", { receiver: "c" }, auth(t)), options)).response.status, 403);
  clock.advance(11);
  assert.equal((await routeRequest(fetchB(), options)).response.status, 401);
  // A broken clock is an error, not time 0 (when every token would be unexpired).
  await assert.rejects(routeRequest(fetchB(), { ...options, clock: () => NaN }), { code: "bad_request" });
});

test("mintToken and signingKeys refuse bad input with a code, never echoing a secret", () => {
  const claims = { mailbox: "b", ops: ["send"], expires: Date.now() + HOUR, kid: "k1" };
  const code = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof PandoraError, String(e));
      assert.ok(!e.message.includes("tiny-secret") && !e.message.includes(SECRET), e.message);
      return e.code;
    }
    assert.fail("no error");
  };
  assert.equal(code(() => mintToken({ ...claims, expires: undefined }, SECRET)), "out_of_range");
  assert.equal(code(() => mintToken({ ...claims, ops: [] }, SECRET)), "bad_request");
  assert.equal(code(() => mintToken({ ...claims, ops: ["fetch"] }, SECRET)), "bad_request");
  assert.equal(code(() => mintToken({ ...claims, mailbox: "" }, SECRET)), "invalid_mailbox");
  assert.equal(code(() => mintToken({ ...claims, kid: "a.b" }, SECRET)), "bad_request");
  assert.equal(code(() => mintToken(claims, "tiny-secret")), "bad_request");
  assert.equal(code(() => new Server({ signingKeys: { k1: "tiny-secret" } })), "bad_request");
  assert.equal(code(() => new Server({ signingKeys: { "bad kid": SECRET } })), "bad_request");
  assert.equal(code(() => new Server({ signingKeys: "k1" })), "bad_request");
  assert.equal(code(() => new Server({ signingKeys: { k1: 42 } })), "bad_request");
  assert.ok(mintToken({ ...claims, expires: new Date(Date.now() + HOUR) }, SECRET).startsWith("pmq1.k1."));
});
