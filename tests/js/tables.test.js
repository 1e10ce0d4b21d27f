// The core's tables (statuses, error codes, routes, message slots, limits,
// option names and defaults) are the one definition: index.d.ts and the README
// must say exactly the same, and the Server must behave by them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Server, tables } from "pandora-mq";

const typings = readFileSync(new URL("../../pkg/index.d.ts", import.meta.url), "utf8");
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const t = tables();

/** The string literals of `type name = "a" | "b" …;` in index.d.ts. */
function unionOf(name) {
  const m = typings.match(new RegExp(`type ${name} =([^;]*);`));
  assert.ok(m, `index.d.ts declares type ${name}`);
  return [...m[1].matchAll(/"([^"]+)"|\b(\d+)\b/g)].map((x) => x[1] ?? Number(x[2]));
}

/** The member names of `interface name { … }` in index.d.ts. */
function membersOf(name) {
  const m = typings.match(new RegExp(`interface ${name}(?: extends \\w+)? \\{([^}]*)\\}`));
  assert.ok(m, `index.d.ts declares interface ${name}`);
  return [...m[1].matchAll(/^\s*(\w+)\??:/gm)].map((x) => x[1]);
}

const sorted = (xs) => [...xs].sort();

test("status names and codes: index.d.ts says the core's", () => {
  assert.deepEqual(sorted(unionOf("StatusName")), sorted(Object.keys(t.statuses)));
  const codes = typings.match(/statusCode: ([^;]*);/)[1].split("|").map((x) => Number(x.trim()));
  assert.deepEqual(sorted(codes), sorted(Object.values(t.statuses)));
});

test("error codes: index.d.ts and the README list the core's and the HTTP layer's, plus the JS layer's", () => {
  // The Mailbox client's two, and the refusal of a use before the wasm is loaded.
  const client = ["http", "network", "not_initialized"];
  assert.deepEqual(sorted(unionOf("ErrorCode")), sorted([...t.errorCodes, ...t.httpErrorCodes, ...client]));
  const section = readme.slice(readme.indexOf("### Errors"), readme.indexOf("## Rust"));
  const listed = new Set([...section.matchAll(/`([a-z_]+)`/g)].map((x) => x[1]));
  assert.deepEqual(sorted(listed), sorted([...t.errorCodes, ...t.httpErrorCodes, ...client]));
});

test("routes: index.d.ts names the core's", () => {
  assert.deepEqual(sorted(unionOf("RouteName")), sorted(t.routes));
});

test("option names: ServerOptions and the README name the core's, plus the JS-only storage, clock, random and timers", () => {
  const names = ["storage", "clock", "random", "timers", ...Object.keys(t.defaults)];
  assert.deepEqual(sorted(membersOf("ServerOptions")), sorted(names));
  const readmeList = readme.match(/`new Server\(\{ ([^}]*) \}\)`/)[1].split(",").map((x) => x.trim());
  assert.deepEqual(sorted(readmeList), sorted(names));
});

test("message fields: index.d.ts declares each slot the core fills, and the Server returns them", async () => {
  const declared = new Set([...membersOf("Header"), ...membersOf("ListedHeader"), ...membersOf("Message")]);
  for (const slot of t.messageRow) assert.ok(declared.has(slot), `index.d.ts declares ${slot}`);
  const server = new Server({ clock: () => 1_000 });
  await server.send({ sender: "a", receiver: "b", body: { x: "1" } });
  const [listed] = await server.fetchHeaders("b");
  const msg = await server.fetchLatest("b");
  for (const slot of t.messageRow) assert.ok(slot in msg || slot in listed, `the Server returns ${slot}`);
  assert.strictEqual(msg.status, Object.keys(t.statuses).find((name) => t.statuses[name] === msg.statusCode));
});

test("defaults and limits are the ones the Server applies", async () => {
  let now = 0;
  const server = new Server({ clock: () => now });
  const big = "x".repeat(t.defaults.maxSize);
  await assert.rejects(server.send({ sender: "a", receiver: "b", body: { big } }), { code: "message_too_big" });
  await assert.rejects(server.send({ sender: "a", receiver: "b".repeat(t.limits.maxMailboxBytes + 1) }), { code: "invalid_mailbox" });
  await server.send({ sender: "a", receiver: "b".repeat(t.limits.maxMailboxBytes) });
  await server.send({ sender: "a", receiver: "b" });
  const msg = await server.fetchLatest("b");
  assert.strictEqual(msg.leasedUntil, t.defaults.defaultLease);
  await assert.rejects(server.fetchLatest("b", { lease: t.limits.maxLease + 1 }), { code: "out_of_range" });
  await assert.rejects(server.fetchHeaders("b", { limit: t.limits.maxHeadersLimit + 1 }), { code: "out_of_range" });
  await assert.rejects(server.send({ sender: "a", receiver: "b", delay: t.defaults.maxDelay + 1 }), { code: "out_of_range" });
  const res = await new Server({ admin: true }).handle(new Request("http://q.test/admin/headers?receiver=b&limit=101"));
  assert.strictEqual(res.status, 400, "the same headers limit over HTTP");
});
