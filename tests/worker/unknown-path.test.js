// A path under /api/ that ends in no route is 404, in form or JSON.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertFormError, useWorker } from "./support.js";

const worker = useWorker();

for (const path of ["/api/nope", "/api/foosend", "/api/send/", "/api/Send", "/api/"]) {
  test(`POST ${path} is 404`, async () => {
    await assertFormError(await fetch(worker.url + path, { method: "POST" }), 404, "not_found");
  });
}

test("the 404 is JSON when JSON is asked for", async () => {
  const res = await fetch(`${worker.url}/api/nope`, { headers: { Accept: "application/json" } });
  assert.equal(res.status, 404);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.equal((await res.json()).code, "not_found");
});
