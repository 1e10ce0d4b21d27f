// Tests the HTTP Mailbox client: the exact requests it makes (through an
// injected fetch that records them), how it converts replies, and how it maps
// failures to PandoraError. One test goes through a real node:http server to
// check the same requests survive the real fetch.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";

import { Mailbox, PandoraError } from "pandora-mq";

/**
 * A fetch stand-in that records each request and answers with the next
 * queued reply.
 * @param {...(() => Response)} replies
 */
function recorder(...replies) {
  /** @type {{ method: string, url: URL, headers: Record<string, string>, form: [string, string][] | null, contentType: string | null }[]} */
  const requests = [];
  /** @type {(url: string, init: RequestInit) => Promise<Response>} */
  const fetch = async (url, init) => {
    const request = new Request(url, init);
    const body = await request.text();
    requests.push({
      method: request.method,
      url: new URL(request.url),
      headers: Object.fromEntries(request.headers),
      contentType: request.headers.get("content-type"),
      form: body ? [...new URLSearchParams(body)] : null,
    });
    const next = replies.shift();
    if (!next) throw new Error("unexpected request");
    return next();
  };
  return { fetch, requests };
}

/** A JSON reply. */
const json = (/** @type {unknown} */ body, status = 200) => () =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
/** An empty reply with the given status. */
const empty = (status = 204) => () => new Response(null, { status });

test("send posts a form with converted delay, clientTime and repeated body fields", async () => {
  const { fetch, requests } = recorder(json({ mid: "m1", duplicate: true }));
  const box = new Mailbox("https://mq.example/api/v1/", { token: "s3cret", fetch });
  const reply = await box.send({
    sender: "alice",
    receiver: "bob",
    delay: 1500,
    clientTime: Date.UTC(2024, 0, 2, 3, 4, 5, 6),
    body: { subject: "hi", tag: ["a", "b"], n: 3 },
  });
  assert.deepStrictEqual(reply, { mid: "m1", duplicate: true });
  assert.strictEqual(requests.length, 1);
  const [req] = requests;
  assert.strictEqual(req.method, "POST");
  assert.strictEqual(req.url.href, "https://mq.example/api/v1/send");
  assert.strictEqual(req.headers.accept, "application/json");
  assert.strictEqual(req.headers.authorization, "Bearer s3cret");
  assert.strictEqual(req.contentType, "application/x-www-form-urlencoded");
  assert.deepStrictEqual(req.form, [
    ["sender", "alice"],
    ["receiver", "bob"],
    ["delay", "1500ms"],
    ["clientTime", "2024-01-02T03:04:05.006Z"],
    ["subject", "hi"],
    ["tag", "a"],
    ["tag", "b"],
    ["n", "3"],
  ]);
});

test("send passes strings through and accepts URLSearchParams or encoded bodies", async () => {
  const { fetch, requests } = recorder(json({ mid: "m2" }), json({ mid: "m3" }));
  // No trailing slash and no token: the prefix must still be kept, and no Authorization sent.
  const box = new Mailbox("http://127.0.0.1:9/prefix", { fetch });
  await box.send({ sender: "a", receiver: "b", delay: "1m30s", clientTime: "2024-05-06T07:08:09+02:00", body: new URLSearchParams("x=1&x=2") });
  await box.send({ sender: "a", receiver: "b", body: "k=v%26w&e=" });
  assert.strictEqual(requests[0].url.pathname, "/prefix/send");
  assert.strictEqual(requests[0].headers.authorization, undefined);
  assert.deepStrictEqual(requests[0].form, [
    ["sender", "a"],
    ["receiver", "b"],
    ["delay", "1m30s"],
    ["clientTime", "2024-05-06T07:08:09+02:00"],
    ["x", "1"],
    ["x", "2"],
  ]);
  assert.deepStrictEqual(requests[1].form, [
    ["sender", "a"],
    ["receiver", "b"],
    ["k", "v&w"],
    ["e", ""],
  ]);
});

test("fetch sends receiver and leaseTime and converts the reply's times to ms", async () => {
  const reply = {
    mid: "m1",
    lid: "l1",
    status: "delivered",
    statusCode: 4,
    sender: "alice",
    receiver: "bob",
    receivedAt: "2024-01-02T03:04:05.123456789Z",
    sendWhen: "2024-01-02T03:04:06Z",
    leasedUntil: "2024-01-02T05:04:07.5+02:00",
    deliveryCount: 2,
    clientTime: "2024-01-02T03:04:00Z",
    validBody: true,
    body: { subject: ["hi"], tag: ["a", "b"] },
  };
  const { fetch, requests } = recorder(json(reply));
  const box = new Mailbox("https://mq.example/", { fetch });
  const message = await box.fetch("bob", { lease: 30000 });
  assert.strictEqual(requests[0].method, "POST");
  assert.strictEqual(requests[0].url.pathname, "/fetch");
  assert.deepStrictEqual(requests[0].form, [
    ["receiver", "bob"],
    ["leaseTime", "30000ms"],
  ]);
  assert.deepStrictEqual(message, {
    ...reply,
    receivedAt: Date.UTC(2024, 0, 2, 3, 4, 5, 123),
    sendWhen: Date.UTC(2024, 0, 2, 3, 4, 6),
    leasedUntil: Date.UTC(2024, 0, 2, 3, 4, 7, 500),
    clientTime: Date.UTC(2024, 0, 2, 3, 4, 0),
    // Like the in-process Server: single values unwrapped, repeated fields as arrays.
    body: { subject: "hi", tag: ["a", "b"] },
  });
});

test("fetch accepts a body sent as an encoded string and a missing clientTime", async () => {
  const { fetch } = recorder(json({ mid: "m1", lid: "l1", clientTime: "", body: "subject=hi&tag=a&tag=b" }));
  const box = new Mailbox("https://mq.example/", { fetch });
  assert.deepStrictEqual(await box.fetch("bob"), {
    mid: "m1",
    lid: "l1",
    clientTime: null,
    body: { subject: "hi", tag: ["a", "b"] },
  });
});

test("fetch returns null on 204 and omits leaseTime when not given", async () => {
  const { fetch, requests } = recorder(empty(204));
  const box = new Mailbox("https://mq.example", { fetch });
  assert.strictEqual(await box.fetch("bob"), null);
  assert.deepStrictEqual(requests[0].form, [["receiver", "bob"]]);
});

test("ack maps status names to codes", async () => {
  const { fetch, requests } = recorder(empty(200), empty(200), empty(204));
  const box = new Mailbox("https://mq.example/q", { fetch, token: "t" });
  assert.strictEqual(await box.ack("m1", "l1", "confirmed"), undefined);
  await box.ack("m2", "l2", "rejected");
  await box.ack("m3", "l3", 1);
  assert.deepStrictEqual(
    requests.map((r) => [r.method, r.url.pathname, r.form]),
    [
      ["POST", "/q/ack", [["mid", "m1"], ["lid", "l1"], ["statusCode", "1"]]],
      ["POST", "/q/ack", [["mid", "m2"], ["lid", "l2"], ["statusCode", "2"]]],
      ["POST", "/q/ack", [["mid", "m3"], ["lid", "l3"], ["statusCode", "1"]]],
    ],
  );
});

test("ack rejects an unknown status without a request", async () => {
  const { fetch, requests } = recorder();
  const box = new Mailbox("https://mq.example/", { fetch });
  for (const status of ["delivered", 3, "toString"]) {
    await assert.rejects(box.ack("m", "l", /** @type {any} */ (status)), { name: "PandoraError", code: "unknown_status" });
  }
  assert.strictEqual(requests.length, 0);
});

test("fetchHeaders queries receiver and receivedat and flattens Go headers", async () => {
  const goHeader = {
    mid: ["m1"],
    status: ["notDelivered"],
    statusCode: ["8"],
    deliveryCount: ["1"],
    receivedAt: ["2024-01-02T03:04:05.999999Z"],
    sendWhen: ["2024-01-02T03:04:06Z"],
    leasedUntil: ["0001-01-01T00:00:00Z"],
    sender: ["alice"],
    receiver: ["bob"],
    lid: [""],
    leased: ["false"],
    validBody: ["true"],
  };
  const { fetch, requests } = recorder(json([goHeader]), empty(204), empty(204));
  const box = new Mailbox("https://mq.example/api/", { fetch, token: "t" });
  const headers = await box.fetchHeaders("bob", { after: Date.UTC(2024, 0, 1) });
  assert.strictEqual(requests[0].method, "GET");
  assert.strictEqual(requests[0].url.pathname, "/api/admin/headers");
  assert.deepStrictEqual([...requests[0].url.searchParams], [
    ["receiver", "bob"],
    ["receivedat", "2024-01-01T00:00:00.000Z"],
    ["limit", "100"],
  ]);
  assert.strictEqual(requests[0].headers.authorization, "Bearer t");
  assert.strictEqual(requests[0].contentType, null); // a GET has no body
  assert.deepStrictEqual(headers, [
    {
      mid: "m1",
      status: "notDelivered",
      statusCode: 8,
      deliveryCount: 1,
      receivedAt: Date.UTC(2024, 0, 2, 3, 4, 5, 999),
      sendWhen: Date.UTC(2024, 0, 2, 3, 4, 6),
      leasedUntil: 0, // Go's zero time: never leased, as the in-process Server says it
      sender: "alice",
      receiver: "bob",
      leased: false,
    },
  ]);
  assert.deepStrictEqual(await box.fetchHeaders("bob"), []);
  assert.deepStrictEqual([...requests[1].url.searchParams], [["receiver", "bob"], ["limit", "100"]]); // from the beginning
  await box.fetchHeaders("bob", { afterMid: "m1", limit: 50 });
  assert.deepStrictEqual([...requests[2].url.searchParams], [["receiver", "bob"], ["after", "m1"], ["limit", "50"]]);
});

test("fetchBlob returns the text, or null on 404", async () => {
  const { fetch, requests } = recorder(() => new Response("subject=hi"), () => new Response("no such message", { status: 404 }));
  const box = new Mailbox("https://mq.example/", { fetch });
  assert.strictEqual(await box.fetchBlob("m1"), "subject=hi");
  assert.strictEqual(await box.fetchBlob("m2"), null);
  assert.deepStrictEqual(
    requests.map((r) => [r.method, r.url.pathname, r.url.searchParams.get("mid")]),
    [
      ["GET", "/admin/fetchBlob", "m1"],
      ["GET", "/admin/fetchBlob", "m2"],
    ],
  );
});

test("reenqueue returns the count", async () => {
  const { fetch, requests } = recorder(json({ count: 3 }));
  const box = new Mailbox("https://mq.example/", { fetch });
  assert.strictEqual(await box.reenqueue(), 3);
  assert.deepStrictEqual([requests[0].method, requests[0].url.pathname], ["GET", "/admin/reenqueue"]);
});

test("a JSON error reply becomes a PandoraError with the server's code", async () => {
  const { fetch } = recorder(json({ error: "lock id does not hold the lease of this message", code: "lock_mismatch" }, 409));
  const box = new Mailbox("https://mq.example/", { fetch });
  const err = await box.ack("m", "l", 1).catch((e) => e);
  assert.ok(err instanceof PandoraError);
  assert.strictEqual(err.code, "lock_mismatch");
  assert.strictEqual(err.message, "lock id does not hold the lease of this message");
  assert.strictEqual(err.status, 409);
});

test("a non-JSON error reply becomes code http with the status text", async () => {
  const { fetch } = recorder(() => new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
  const box = new Mailbox("https://mq.example/", { fetch });
  await assert.rejects(box.send({ sender: "a", receiver: "b", body: { x: 1 } }), {
    name: "PandoraError",
    code: "http",
    message: "Bad Gateway",
  });
});

test("a network failure becomes code network with the cause", async () => {
  const failure = new TypeError("fetch failed");
  const box = new Mailbox("https://mq.example/", {
    fetch: async () => {
      throw failure;
    },
  });
  const err = await box.fetch("bob").catch((e) => e);
  assert.ok(err instanceof PandoraError);
  assert.strictEqual(err.code, "network");
  assert.strictEqual(err.cause, failure);
});

test("bad durations and times are rejected before any request", async () => {
  const { fetch, requests } = recorder();
  const box = new Mailbox("https://mq.example/", { fetch });
  await assert.rejects(box.fetch("bob", { lease: Number.NaN }), { code: "invalid_duration" });
  await assert.rejects(box.send({ sender: "a", receiver: "b", clientTime: Number.NaN }), { code: "invalid_time" });
  assert.strictEqual(requests.length, 0);
});

test("real fetch against node:http: requests arrive as sent, refused connections are network errors", async () => {
  /** @type {{ method?: string, url?: string, headers: import("node:http").IncomingHttpHeaders, body: string }[]} */
  const seen = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === "/mq/send") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ mid: "abc" }));
      } else {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "invalid mailbox: empty", code: "invalid_mailbox" }));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  try {
    const box = new Mailbox(`http://127.0.0.1:${port}/mq/`, { token: "tok" });
    assert.deepStrictEqual(await box.send({ sender: "a b", receiver: "c", body: { "q&a": "1+1=2" } }), { mid: "abc", duplicate: false });
    await assert.rejects(box.fetch(""), { code: "invalid_mailbox", message: "invalid mailbox: empty" });
    assert.strictEqual(seen[0].method, "POST");
    assert.strictEqual(seen[0].url, "/mq/send");
    assert.strictEqual(seen[0].headers.accept, "application/json");
    assert.strictEqual(seen[0].headers.authorization, "Bearer tok");
    assert.strictEqual(seen[0].headers["content-type"], "application/x-www-form-urlencoded");
    assert.strictEqual(seen[0].body, "sender=a+b&receiver=c&q%26a=1%2B1%3D2");
    assert.strictEqual(seen[1].url, "/mq/fetch");
    assert.strictEqual(seen[1].body, "receiver=");
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  // The port is closed now, so the connection is refused.
  const closed = new Mailbox(`http://127.0.0.1:${port}/mq/`);
  const err = await closed.reenqueue().catch((e) => e);
  assert.strictEqual(err.code, "network");
  assert.ok(err.cause instanceof Error);
});

test("PandoraError: code is fixed, from() keeps codes and wraps the unknown", () => {
  const e = new PandoraError("not_found", "no pending message with this mid", { cause: "why" });
  assert.strictEqual(e.name, "PandoraError");
  assert.strictEqual(e.code, "not_found");
  assert.strictEqual(e.cause, "why");
  assert.ok(e instanceof Error);
  assert.throws(() => {
    /** @type {any} */ (e).code = "other";
  }, TypeError);
  assert.strictEqual(e.code, "not_found");

  assert.strictEqual(PandoraError.from(e), e);

  const root = new Error("disk full");
  const coded = Object.assign(new Error("storage failed: disk full", { cause: root }), { code: "storage" });
  const fromCoded = PandoraError.from(coded);
  assert.ok(fromCoded instanceof PandoraError);
  assert.deepStrictEqual([fromCoded.code, fromCoded.message, fromCoded.cause], ["storage", "storage failed: disk full", root]);

  const plain = new RangeError("oops");
  const fromPlain = PandoraError.from(plain);
  assert.deepStrictEqual([fromPlain.code, fromPlain.message, fromPlain.cause], ["internal", "oops", plain]);

  const fromString = PandoraError.from("just a string");
  assert.deepStrictEqual([fromString.code, fromString.message, fromString.cause], ["internal", "just a string", "just a string"]);
});
