// A known route with the wrong method is a 405 carrying the Allow header
// (Go sent none), and a GET of /send is never taken for a send.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertFormError, fetchNext, newBox, useWorker } from "./support.js";

const worker = useWorker();

const cases = [
  ["GET", "send", "POST"],
  ["PUT", "send", "POST"],
  ["GET", "fetch", "POST"],
  ["GET", "ack", "POST"],
  ["DELETE", "ack", "POST"],
  ["POST", "admin/headers", "GET"],
  ["POST", "admin/fetchBlob", "GET"],
  ["PUT", "admin/reenqueue", "GET, POST"],
];

for (const [method, route, allow] of cases) {
  test(`${method} /api/${route} is 405 with Allow: ${allow}`, async () => {
    const receiver = newBox();
    const url = `${worker.url}/api/${route}?sender=a%40x&receiver=${encodeURIComponent(receiver)}`;
    const res = await fetch(url, { method });
    assert.equal(res.headers.get("allow"), allow);
    await assertFormError(res, 405, "method_not_allowed");
    assert.equal(await fetchNext(worker.url, receiver), null);
  });
}
