// The Worker's HTTP tests (tests/worker/) against `pandora-mq serve` on a
// SQLite file: the same wire behaviour from both servers. Left out are the
// tests of what only the Worker has: lock ids that name a Durable Object, the
// KV directory, the Worker's own failure replies, and tests that start the
// Worker themselves.
import { test } from "node:test";
import { readdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, runSuite } from "./support/run-suite.js";

const WORKER_ONLY = new Set([
  "ack-routing.test.js", // lids carry the Durable Object id
  "lifecycle-form.test.js", // asserts that lid format
  "admin-off.test.js", // the KV directory
  "admin-reenqueue.test.js", // counts summed over Durable Objects via the KV directory
  "internal-error.test.js", // a Worker binding of the wrong type
  "make-start.test.js", // starts wrangler itself
  "persistence.test.js", // restarts Miniflare itself
  "cors.test.js", // CORS is the Worker's (PANDORA_CORS_ORIGINS); serve answers same-origin only
  "tokens.test.js", // Worker secrets per test and lids naming objects; serve's scoped tokens: go-client.test.js
  "batch-split.test.js", // a batch split over Durable Objects; serve refuses the same batch whole
  "batch-tokens.test.js", // Worker secrets per test; serve's scoped tokens: go-client.test.js
  "settings.test.js", // the Worker's PANDORA_* vars; serve takes the same settings as flags
]);

const files = readdirSync(path.join(ROOT, "tests/worker"))
  .filter((f) => f.endsWith(".test.js") && !WORKER_ONLY.has(f))
  .map((f) => `tests/worker/${f}`);

test(`the Worker's HTTP suite (${files.length} files) passes against pandora-mq serve on SQLite`, { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "pandora-serve-suite-"));
  try {
    await runSuite(process.execPath, files, { PANDORA_HTTP_TARGET: "serve", PANDORA_SERVE_STORE: `sqlite:${path.join(dir, "q.db")}` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
