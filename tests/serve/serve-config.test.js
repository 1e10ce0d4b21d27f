// `pandora-mq serve`'s flags and PANDORA_* variables: a mistake is one line
// naming the value read (exit 2), a failure to listen one line (exit 1), an
// empty variable is unset, and the Worker's production settings apply.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import net from "node:net";
import { BIN, startServe } from "./support/serve-process.js";
import { within } from "./support/raw-http.js";

/**
 * Runs serve to its end (these settings keep it from starting).
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 * @returns {Promise<{ code: number | null, stderr: string }>}
 */
function runServe(args, env = {}) {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, "serve", "--store", "memory", ...args], { env: { ...process.env, ...env }, timeout: 20_000 }, (_, __, stderr) =>
      resolve({ code: child.exitCode, stderr }),
    );
  });
}

/** @param {string} stderr */
const lines = (stderr) => stderr.trim().split("\n");

test("PORT that is not a number is refused with the value read", async () => {
  const { code, stderr } = await runServe([], { PORT: "abc" });
  assert.strictEqual(code, 2);
  assert.match(lines(stderr)[0], /PORT must be a port number 0 … 65535, got "abc"$/);
});

test("an empty --port is refused, not taken as 0", async () => {
  const { code, stderr } = await runServe(["--port", ""]);
  assert.strictEqual(code, 2);
  assert.match(lines(stderr)[0], /--port must be a port number 0 … 65535, got ""$/);
});

test("a signing secret the package refuses is one line and exit 2", async () => {
  const { code, stderr } = await runServe(["--port", "0", "--signing-keys", '{"k1":"short"}']);
  assert.strictEqual(code, 2);
  assert.deepStrictEqual(lines(stderr).length, 1, stderr);
  assert.match(stderr, /signing secret is 5 bytes/);
});

test("a port in use is one line and exit 1", async (t) => {
  const taken = net.createServer();
  await new Promise((resolve) => taken.listen(0, "127.0.0.1", () => resolve(undefined)));
  t.after(() => taken.close());
  const port = /** @type {net.AddressInfo} */ (taken.address()).port;
  const { code, stderr } = await runServe(["--port", String(port)]);
  assert.strictEqual(code, 1);
  assert.deepStrictEqual(lines(stderr), [`pandora-mq: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}`]);
});

test("an address that is no address is one line and exit 1", async () => {
  const { code, stderr } = await runServe(["--port", "0", "--host", "256.1.1.1"]);
  assert.strictEqual(code, 1);
  assert.strictEqual(lines(stderr).length, 1, stderr);
  assert.match(stderr, /^pandora-mq: cannot listen on 256\.1\.1\.1:0: /);
});

test("an empty PANDORA_SIGNING_KEYS is unset, as in the Worker", async () => {
  const serve = await startServe(["--store", "memory", "--no-www"], { env: { PANDORA_SIGNING_KEYS: "", PANDORA_ADMIN: "" } });
  await serve.stderrMatching(/no token set/);
  assert.deepStrictEqual(await within(serve.stop(), "serve's exit", 10_000), { code: 0, signal: null });
});

test("a malformed PANDORA_RETENTION, PANDORA_RETRY_BACKOFF or PANDORA_MAX_DELIVERIES is refused, exit 2", async () => {
  for (const [env, first] of /** @type {const} */ ([
    [{ PANDORA_RETENTION: "soon" }, /PANDORA_RETENTION: invalid duration: "soon"/],
    [{ PANDORA_RETRY_BACKOFF: "1s,5m,2,9" }, /PANDORA_RETRY_BACKOFF must be "initial,max,factor"/],
    [{ PANDORA_MAX_DELIVERIES: "many" }, /PANDORA_MAX_DELIVERIES: .*maxDeliveries must be a number/],
  ])) {
    const { code, stderr } = await runServe(["--port", "0"], env);
    assert.strictEqual(code, 2, JSON.stringify(env));
    assert.match(lines(stderr)[0], first);
    assert.doesNotMatch(stderr, /^\s+at /m, stderr);
  }
});

test("PANDORA_MAX_DELIVERIES and PANDORA_RETRY_BACKOFF apply as in the Worker", async (t) => {
  const serve = await startServe(["--store", "memory", "--no-www"], { env: { PANDORA_MAX_DELIVERIES: "1", PANDORA_RETRY_BACKOFF: "0s" } });
  t.after(() => serve.stop());
  const form = (/** @type {Record<string, string>} */ fields) => ({ method: "POST", body: new URLSearchParams(fields) });
  await fetch(`${serve.url}/api/send`, form({ sender: "a@x", receiver: "dead@x", topic: "t" }));
  const got = new URLSearchParams(await (await fetch(`${serve.url}/api/fetch`, form({ receiver: "dead@x" }))).text());
  assert.strictEqual((await fetch(`${serve.url}/api/ack`, form({ mid: /** @type {string} */ (got.get("mid")), lid: /** @type {string} */ (got.get("lid")), statusCode: "2" }))).status, 200);
  // One delivery was all it had: rejected, it is dead rather than back in the queue.
  assert.strictEqual((await fetch(`${serve.url}/api/fetch`, form({ receiver: "dead@x" }))).status, 204);
});

test("an empty PANDORA_TOKEN is unset (an open API, said so); an empty --token is refused, exit 2", async (t) => {
  const serve = await startServe(["--store", "memory", "--no-www"], { env: { PANDORA_TOKEN: "" } });
  t.after(() => serve.stop());
  await serve.stderrMatching(/no token set/);
  const sent = await fetch(`${serve.url}/api/send`, { method: "POST", body: new URLSearchParams({ sender: "a@x", receiver: "b@x", n: "1" }) });
  assert.strictEqual(sent.status, 200);
  const { code, stderr } = await runServe(["--token", ""]);
  assert.strictEqual(code, 2);
  assert.match(lines(stderr)[0], /--token must not be empty/);
});
