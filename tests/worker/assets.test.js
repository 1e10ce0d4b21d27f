// Everything outside /api/ is the demo (www/) as static assets; /api/* always
// runs the Worker, so an API path is never answered with a file.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertFormError, useWorker } from "./support.js";

const worker = useWorker();

test("/ is the demo page", async () => {
  const res = await fetch(`${worker.url}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type"), /^text\/html/);
  assert.match(await res.text(), /data-testid="compose-form"/);
});

test("the page's script, styles and the package's wasm are served with their types", async () => {
  for (const [path, type] of [
    ["/app.js", /javascript/],
    ["/style.css", /^text\/css/],
    ["/favicon.svg", /^image\/svg\+xml/],
    ["/vendor/pandora-mq/pandora_mq_bg.wasm", /^application\/wasm/],
  ]) {
    const res = await fetch(worker.url + path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get("content-type"), type, path);
    await res.arrayBuffer();
  }
});

test("/api/ paths are the API's, even when a file of that name exists", async () => {
  await assertFormError(await fetch(`${worker.url}/api/index.html`), 404, "not_found");
});
