/**
 * What every runtime's round trip (scripts/round-trip.js) must have returned.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";

const EXPORTS = [
  "Mailbox", "PandoraError", "Server", "corsHeaders", "countReply", "deleteIndexedDb", "denoKvStorage", "durableObjectStorage",
  "faultyStorage", "flatFields", "indexedDbStorage", "initWasm", "internalErrorReply", "kvStorage", "memoryStorage", "mintToken",
  "postgresStorage", "routeRequest", "settingsFromEnv", "sqliteStorage", "tables",
];

/**
 * @param {any} result the parsed JSON a runtime printed
 * @param {{ runtime: RegExp, entry: RegExp }} expected
 */
export function assertRoundTrip(result, expected) {
  assert.ok(result && typeof result === "object", `no result: ${JSON.stringify(result)}`);
  assert.match(result.runtime, expected.runtime);
  assert.match(result.entry, expected.entry);
  assert.deepStrictEqual(result.exports, EXPORTS);
  assert.strictEqual(result.sent.duplicate, false);
  assert.match(result.sent.mid, /^[0-9a-f]{40}$/);
  assert.strictEqual(result.early, null, "delivered before its delay");
  assert.deepStrictEqual(result.delivered, {
    mid: result.sent.mid,
    topic: "hi",
    tag: ["a", "b"],
    deliveryCount: 1,
    leasedFor: 30_000,
    lidLength: 43,
  });
  assert.strictEqual(createHash("sha1").update(result.blob).digest("hex"), result.sent.mid, "mid is not the SHA-1 of the blob");
  assert.strictEqual(result.afterConfirm, null);
  assert.deepStrictEqual(result.ackAgain, { isPandoraError: true, code: "not_found" });
  assert.strictEqual(result.sameMidViaCallbacks, true);
}
