// A failure inside the Worker itself (here: a secret of the wrong type, which
// the package refuses) is a 500 in the package's error shape with code
// `internal`, in form or JSON as asked, never a bare runtime error page.
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, newBox, useWorker } from "./support.js";

const worker = useWorker({ env: { PANDORA_TOKEN: 12345 } });

test("a Worker failure is 500 code=internal, form by default", async () => {
  const res = await api(worker.url, "fetch", { fields: { receiver: newBox() } });
  assert.equal(res.status, 500);
  assert.equal(res.headers.get("content-type"), "application/x-www-form-urlencoded");
  const reply = new URLSearchParams(await res.text());
  assert.equal(reply.get("code"), "internal");
  assert.match(reply.get("error"), /internal error/);
});

test("a Worker failure is JSON when JSON is asked for", async () => {
  const res = await api(worker.url, "fetch", { fields: { receiver: newBox() }, json: true });
  assert.equal(res.status, 500);
  assert.deepEqual(Object.keys(await res.json()), ["error", "code"]);
});
