// PandoraError itself: an Error with a stable, read-only `code`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PandoraError } from "pandora-mq";

test("is an Error named PandoraError with code, message and cause", () => {
  const cause = new Error("inner");
  const err = new PandoraError("lock_mismatch", "wrong lid", { cause });
  assert.ok(err instanceof Error);
  assert.strictEqual(err.name, "PandoraError");
  assert.strictEqual(err.code, "lock_mismatch");
  assert.strictEqual(err.message, "wrong lid");
  assert.strictEqual(err.cause, cause);
  assert.match(String(err), /^PandoraError: wrong lid/);
});

test("code cannot be reassigned", () => {
  const err = new PandoraError("not_found", "x");
  assert.throws(() => {
    "use strict";
    /** @type {any} */ (err).code = "other";
  }, TypeError);
  assert.strictEqual(err.code, "not_found");
});

test("from() keeps PandoraErrors, adopts coded errors and wraps anything else as internal", () => {
  const own = new PandoraError("storage", "s");
  assert.strictEqual(PandoraError.from(own), own);

  const coded = Object.assign(new Error("bad lid"), { code: "invalid_key", cause: 7 });
  const adopted = PandoraError.from(coded);
  assert.ok(adopted instanceof PandoraError);
  assert.deepStrictEqual([adopted.code, adopted.message, adopted.cause], ["invalid_key", "bad lid", 7]);

  const wrapped = PandoraError.from("plain string");
  assert.deepStrictEqual([wrapped.code, wrapped.message, wrapped.cause], ["internal", "plain string", "plain string"]);
});
