// `server.handle(request)` behind the runtime's own HTTP server (Deno.serve,
// Bun.serve): a long poll whose client hangs up ends with it, since the
// runtime aborts request.signal, so the next message goes to a consumer who
// is there. Prints what that consumer got.
const pkg = "Deno" in globalThis
  ? await import("../../../node_modules/pandora-mq/entry/deno.js")
  : await import("pandora-mq");
const server = new pkg.Server();
const handler = (/** @type {Request} */ request) => server.handle(request);
const http = "Deno" in globalThis
  ? Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler)
  : Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
const port = "Deno" in globalThis ? http.addr.port : http.port;
const url = (/** @type {string} */ route) => `http://127.0.0.1:${port}/api/${route}`;
const form = (/** @type {Record<string, string>} */ fields) => ({ method: "POST", body: new URLSearchParams(fields) });
const pause = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

const gone = new AbortController();
const abandoned = fetch(url("fetch"), { ...form({ receiver: "hangup@x", leaseTime: "5m", wait: "20s" }), signal: gone.signal }).catch(() => "aborted");
await pause(300); // the poll is held
gone.abort();
await abandoned;
await pause(300); // the hang-up reaches the server; a poll still held would be woken by the send whenever this ends
await fetch(url("send"), form({ sender: "a@x", receiver: "hangup@x", n: "1" }));
const got = await fetch(url("fetch"), form({ receiver: "hangup@x" }));
const body = await got.text();
console.log(JSON.stringify({ status: got.status, n: new URLSearchParams(body).get("n") }));
await ("Deno" in globalThis ? http.shutdown() : http.stop(true));
