// routeRequest: the HTTP API's checks without a server. A refusal is the very
// Response `Server.handle` gives; otherwise the route and the first value of
// each routing field, read as the server will read them; the request itself
// stays unread, so it can be forwarded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PandoraError, Server, routeRequest } from "pandora-mq";
import { get, postForm } from "./support/http.js";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** Asserts two Responses are the same: status, every header, body bytes. */
async function assertSameResponse(actual, expected) {
  assert.strictEqual(actual.status, expected.status);
  assert.deepStrictEqual([...actual.headers], [...expected.headers]);
  assert.strictEqual(await actual.text(), await expected.text());
}

test("refusals are Server.handle's replies", async () => {
  const options = { admin: false, token: "s3cret" };
  const server = new Server(options);
  const auth = { authorization: "Bearer s3cret" };
  // A string body is text/plain to fetch unless told otherwise.
  const raw = (body, headers) => new Request("http://queue.test/send", { method: "POST", body, headers: { ...auth, ...FORM, ...headers } });
  const refused = {
    401: () => postForm("/send", { receiver: "bob" }),
    404: () => get("/nope", {}, { ...auth, accept: "application/json" }),
    "404 (admin off)": () => get("/admin/headers", { receiver: "bob" }, auth),
    405: () => get("/send", {}, auth),
    415: () => raw("receiver=bob", { "content-type": "text/plain" }),
    "400 (form)": () => raw("receiver=%zz"),
    "400 (JSON)": () => raw('{"receiver": ', { "content-type": "application/json" }),
  };
  for (const [status, request] of Object.entries(refused)) {
    const { response } = await routeRequest(request(), options);
    assert.ok(response instanceof Response, status);
    assert.strictEqual(response.status, parseInt(status, 10));
    await assertSameResponse(response, await server.handle(request()));
  }
});

test("a passing request gives its route and first fields, body before query", async () => {
  const request = new Request("http://queue.test/v1/send?receiver=query&mid=m", {
    method: "POST",
    body: "receiver=body&receiver=second&lid=l",
    headers: FORM,
  });
  assert.deepStrictEqual({ ...(await routeRequest(request)) }, { route: "send", receiver: "body", lid: "l", mid: "m" });
  const ack = await routeRequest(postForm("/ack", { mid: "0", statusCode: "1" }));
  assert.deepStrictEqual([ack.route, ack.receiver, ack.lid, ack.mid], ["ack", undefined, undefined, "0"]);
});

test("JSON bodies are read as the server reads them", async () => {
  const body = '{"receiver":"first","receiver":"second","lid":1.50}';
  const routed = await routeRequest(new Request("http://queue.test/fetch", { method: "POST", body, headers: { "content-type": "application/json" } }));
  assert.deepStrictEqual([routed.route, routed.receiver, routed.lid], ["fetch", "first", "1.50"]);
});

test("admin routes pass only with admin on; each has its name", async () => {
  const names = { "/admin/headers": "headers", "/admin/fetchBlob": "fetchBlob", "/admin/reenqueue": "reenqueue" };
  for (const [path, route] of Object.entries(names)) {
    assert.strictEqual((await routeRequest(get(path))).response?.status, 404);
    assert.strictEqual((await routeRequest(get(path), { admin: true })).route, route);
  }
});

test("the request is left unread, to be forwarded", async () => {
  const request = postForm("/send", { sender: "ann", receiver: "bob", topic: "hi" });
  assert.strictEqual((await routeRequest(request)).receiver, "bob");
  assert.strictEqual(request.bodyUsed, false);
  const server = new Server();
  assert.strictEqual((await server.handle(request)).status, 200);
  assert.strictEqual((await server.fetchLatest("bob"))?.body.topic, "hi");
});

test("mistyped options are refused, not read as truthy", async () => {
  for (const options of [{ admin: "off" }, { admin: 1 }, { token: 123 }, { token: null }]) {
    await assert.rejects(routeRequest(get("/send"), options), (e) => e instanceof PandoraError && e.code === "bad_request");
  }
});
