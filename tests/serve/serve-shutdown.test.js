// SIGTERM and SIGINT on `pandora-mq serve`, under Node, Bun and Deno: the
// requests in flight are answered with `Connection: close` (a long poll at
// once, with nothing) and their
// connections closed, idle ones are closed at once, a request that never
// finishes is cut after the grace period, and a second signal exits at once.
// And the other end of a held request: a long poll whose client hangs up.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { startServe } from "./support/serve-process.js";
import { RUNTIMES, RUNTIME_ENV, post, postHead, rawConnection, waitFor, within } from "./support/raw-http.js";

/** serve's grace period for requests in flight at a signal (GRACE_MS in pkg/bin/commands/serve.js). */
const GRACE_MS = 10_000;

/**
 * serve on `command`, killed when the test ends whatever happened.
 * @param {import("node:test").TestContext} t
 * @param {string[]} command
 */
async function start(t, command) {
  const serve = await startServe(["--store", "memory", "--no-www"], { command, env: RUNTIME_ENV });
  t.after(() => serve.stop("SIGKILL"));
  return serve;
}

/** @param {Awaited<ReturnType<typeof startServe>>} serve @param {string} signal */
const stopping = (serve, signal) => waitFor(() => serve.stderr().includes(`${signal}:`), `serve to log ${signal}`);

const BODY = new URLSearchParams({ sender: "a@x", receiver: "stop@x", topic: "t" }).toString();

/**
 * A connection with one request in flight: its head is read (the server
 * asked for the body with 100 Continue), its body not yet sent.
 * @param {string} url
 */
async function requestInFlight(url) {
  const conn = rawConnection(url);
  await conn.write(postHead("/api/send", BODY.length, { expect: "100-continue" }));
  assert.strictEqual((await conn.reply()).status, 100);
  return conn;
}

// Concurrently: the grace period tests each wait its full 10 s.
describe("serve on a signal", { concurrency: true }, () => {
  for (const { name, command } of RUNTIMES) {
    const skip = !existsSync(command[0]) && `no ${command[0]}`;

    test(`${name}: after SIGTERM a request in flight is answered with Connection: close, and serve exits without waiting for keep-alive`, { skip, timeout: 60_000 }, async (t) => {
      const serve = await start(t, command);
      // A kept-alive connection that is idle at the signal, and one with a request in flight.
      const idle = rawConnection(serve.url);
      await idle.write(post("/api/send", { sender: "a@x", receiver: "stop@x" }));
      assert.strictEqual((await idle.reply()).status, 200);
      const busy = await requestInFlight(serve.url);

      const exited = serve.stop("SIGTERM");
      await stopping(serve, "SIGTERM");
      await within(idle.closed, "the idle connection closed", 5_000);
      await busy.write(BODY);
      const reply = await busy.reply();
      assert.strictEqual(reply.status, 200, reply.body);
      assert.strictEqual(reply.headers.connection, "close");
      await within(busy.closed, "the answered connection closed", 5_000);
      assert.deepStrictEqual(await within(exited, "serve's exit", GRACE_MS - 2_000), { code: 0, signal: null }, serve.stderr());
      assert.doesNotMatch(serve.stderr(), /still open after/);
    });

    test(`${name}: after SIGTERM a long poll under way answers at once, with nothing and Connection: close`, { skip, timeout: 60_000 }, async (t) => {
      const serve = await start(t, command);
      const poll = rawConnection(serve.url);
      await poll.write(post("/api/fetch", { receiver: "held@x", wait: "20s" }));
      const reply = poll.reply();
      // The poll is under way once a request behind it on another connection is answered.
      const other = rawConnection(serve.url);
      await other.write(post("/api/send", { sender: "a@x", receiver: "other@x" }));
      assert.strictEqual((await other.reply()).status, 200);
      const exited = serve.stop("SIGTERM");
      await stopping(serve, "SIGTERM");
      const answered = await within(reply, "the long poll's reply", 5_000);
      assert.strictEqual(answered.status, 204);
      assert.strictEqual(answered.headers.connection, "close");
      assert.deepStrictEqual(await within(exited, "serve's exit", GRACE_MS - 2_000), { code: 0, signal: null }, serve.stderr());
      assert.doesNotMatch(serve.stderr(), /still open after/);
    });

    test(`${name}: a long poll whose client hung up leases nothing: the next message goes to a consumer who is there`, { skip, timeout: 60_000 }, async (t) => {
      const serve = await start(t, command);
      const gone = rawConnection(serve.url);
      await gone.write(post("/api/fetch", { receiver: "hangup@x", leaseTime: "5m", wait: "20s" }));
      // The poll is under way once a request behind it on another connection is answered.
      const probe = rawConnection(serve.url);
      await probe.write(post("/api/send", { sender: "a@x", receiver: "probe@x" }));
      assert.strictEqual((await probe.reply()).status, 200);
      gone.destroy();
      await gone.closed;
      // Time for serve to read the hang-up; were the poll still held, the send below would wake it whenever this ends.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await probe.write(post("/api/send", { sender: "a@x", receiver: "hangup@x", n: "1" }));
      assert.strictEqual((await probe.reply()).status, 200);
      await probe.write(post("/api/fetch", { receiver: "hangup@x" }));
      const fetched = await probe.reply();
      assert.strictEqual(fetched.status, 200, "the message is there for a consumer who asks");
      assert.match(fetched.body, /n=1/);
      probe.destroy();
    });

    test(`${name}: a request body that never ends is cut after the grace period, then serve exits`, { skip, timeout: 60_000 }, async (t) => {
      const serve = await start(t, command);
      const stuck = await requestInFlight(serve.url);
      const exited = serve.stop("SIGTERM");
      await stopping(serve, "SIGTERM");
      assert.deepStrictEqual(await within(exited, "serve's exit", GRACE_MS + 10_000), { code: 0, signal: null }, serve.stderr());
      await within(stuck.closed, "the stuck connection closed", 5_000);
      await serve.stderrMatching(/1 connection still open after 10 s: closed/);
    });

    test(`${name}: a second signal during shutdown exits at once`, { skip, timeout: 60_000 }, async (t) => {
      const serve = await start(t, command);
      const stuck = await requestInFlight(serve.url);
      serve.stop("SIGTERM");
      await stopping(serve, "SIGTERM");
      const exited = serve.stop("SIGINT");
      // Well before the grace period would end the wait.
      assert.deepStrictEqual(await within(exited, "serve's exit", GRACE_MS / 2), { code: 1, signal: null }, serve.stderr());
      await within(stuck.closed, "the stuck connection closed", 5_000);
      await serve.stderrMatching(/SIGINT again: exiting now/);
    });
  }
});
