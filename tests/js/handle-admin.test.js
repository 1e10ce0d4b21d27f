// The `admin` option: the admin routes answer 404 unless it is on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { formOf, get } from "./support/http.js";

async function serverWith(options) {
  const time = fakeClock();
  const server = new Server({ ...options, clock: time.clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { topic: "hi" } });
  return { server, time, mid };
}

test("admin routes are off by default (404)", async () => {
  const { server, mid } = await serverWith({});
  for (const req of [get("/admin/headers", { receiver: "bob" }), get("/admin/fetchBlob", { mid }), get("/admin/reenqueue")]) {
    const res = await server.handle(req);
    assert.strictEqual(res.status, 404, req.url);
    assert.strictEqual((await formOf(res)).code, "not_found");
  }
});

test("with admin: true, headers, fetchBlob and reenqueue answer", async () => {
  const { server, time, mid } = await serverWith({ admin: true });

  const headers = await server.handle(get("/admin/headers", { receiver: "bob" }));
  assert.strictEqual(headers.status, 200);
  const list = await headers.json();
  assert.strictEqual(list.length, 1);
  assert.deepStrictEqual(list[0].mid, [mid]);

  const blob = await server.handle(get("/admin/fetchBlob", { mid }));
  assert.strictEqual(blob.status, 200);
  assert.strictEqual(await blob.text(), await server.fetchBlob(mid));

  await server.fetchLatest("bob", { lease: 1000 });
  time.advance(1001);
  const reenqueued = await server.handle(get("/admin/reenqueue"));
  assert.strictEqual(reenqueued.status, 200);
  assert.strictEqual((await formOf(reenqueued)).count, "1");
});

test("headersPage sets the default page size of admin/headers", async () => {
  for (const [headersPage, expected] of [[undefined, 10], [3, 3]]) {
    const server = new Server({ admin: true, headersPage, clock: fakeClock().clock });
    for (let i = 0; i < 12; i++) await server.send({ sender: "ann", receiver: "bob", body: { i } });
    const list = await (await server.handle(get("/admin/headers", { receiver: "bob" }))).json();
    assert.strictEqual(list.length, expected, `headersPage ${headersPage}`);
  }
});
