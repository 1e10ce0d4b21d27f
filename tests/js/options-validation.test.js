// Bad constructor options throw a PandoraError at construction.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, PandoraError } from "pandora-mq";
import { throwsWithCode } from "./support/errors.js";

const bad = [
  [{ clock: 5 }, "bad_request"],
  [{ storage: "x" }, "bad_request"],
  [{ storage: { get() {}, list() {} } }, "bad_request"],
  [{ maxSize: "4k" }, "bad_request"],
  [{ maxSize: Number.NaN }, "bad_request"],
  [{ maxSize: 0 }, "out_of_range"],
  [{ maxSize: -1 }, "out_of_range"],
  [{ defaultLease: 0 }, "out_of_range"],
  [{ defaultLease: "12h1ms" }, "out_of_range"],
  [{ defaultLease: "soon" }, "invalid_duration"],
  [{ defaultLease: Number.POSITIVE_INFINITY }, "invalid_duration"],
  [{ maxDelay: -1 }, "out_of_range"],
  [{ maxDelay: {} }, "invalid_duration"],
  [{ dedupeWindow: "721h" }, "out_of_range"],
  [{ dedupeWindow: -1 }, "out_of_range"],
  [{ lidPrefix: "has.dot" }, "out_of_range"],
  [{ lidPrefix: "a".repeat(129) }, "out_of_range"],
  [{ headersPage: "ten" }, "bad_request"],
];

for (const [options, code] of bad) {
  test(`${JSON.stringify(options, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v))} -> ${code}`, () => {
    throwsWithCode(() => new Server(/** @type {any} */ (options)), code);
  });
}

test("every option at a valid value is accepted", () => {
  const server = new Server({
    storage: { get() {}, list: () => [], write() {} },
    clock: () => 0,
    random: (bytes) => bytes.fill(1),
    maxSize: 1,
    defaultLease: "12h",
    maxDelay: 0,
    dedupeWindow: "720h",
    lidPrefix: "a".repeat(128),
    admin: true,
    token: "t",
    headersPage: 1,
  });
  assert.ok(server instanceof Server);
});

// Options of the wrong type must not be silently dropped: a token that is
// dropped leaves the HTTP API open.
const refused = [
  [{ token: 12345 }, "a numeric token"],
  [{ token: "" }, "an empty token"],
  [{ lidPrefix: 42 }, "a numeric lidPrefix"],
  [{ random: "not a function" }, "a random that is not a function"],
];
for (const [options, label] of refused) {
  test(`${label} is refused`, async () => {
    let server;
    try {
      server = new Server(/** @type {any} */ (options));
    } catch (err) {
      assert.ok(err instanceof PandoraError);
      assert.strictEqual(err.code, "bad_request");
      return;
    }
    // A token must then at least keep the API closed.
    if ("token" in options) {
      const res = await server.handle(new Request("http://q.test/fetch", { method: "POST", body: new URLSearchParams({ receiver: "bob" }) }));
      assert.strictEqual(res.status, 401, "the API is open");
      return;
    }
    assert.fail("accepted");
  });
}

test("admin must be a boolean: the string \"off\" would otherwise switch admin routes on", () => {
  assert.throws(() => new Server(/** @type {any} */ ({ admin: "off" })), { name: "PandoraError", code: "bad_request" });
});

test("maxDelay is bounded (10 years), so due times can never overflow", async () => {
  assert.throws(() => new Server({ maxDelay: 1e19 }), { code: "out_of_range" });
  const server = new Server({ maxDelay: 3650 * 24 * 3600 * 1000 });
  await server.send({ sender: "a", receiver: "b", delay: 3650 * 24 * 3600 * 1000 });
  assert.strictEqual(await server.fetchLatest("b"), null);
});

test("fetchHeaders limit must be an integer from 1 to 100", async () => {
  const server = new Server();
  for (const limit of [0, -1, 1.5, 101, "10", Number.NaN]) {
    await assert.rejects(server.fetchHeaders("b", { limit }), { code: "out_of_range" });
  }
});
