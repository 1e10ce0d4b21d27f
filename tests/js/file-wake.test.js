// The file watch behind SQLite's and Deno KV's wake-ups between processes: a
// change to the watched file that shows no other connection's commit yet (the
// writer still waits for its disk) is looked at again until it does; changes
// that arrive while a look is on its way are not dropped; nothing after close.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileWake } from "../../node_modules/pandora-mq/src/storage/file-wake.js";

function watchedFile(t) {
  const dir = mkdtempSync(path.join(tmpdir(), "pandora-file-wake-"));
  const file = path.join(dir, "q.db-wal");
  writeFileSync(file, "");
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return file;
}
/** Resolves at the listener's first call. */
const called = (wake) => new Promise((resolve) => wake.subscribe(resolve));
const guard = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error(`no wake-up within ${ms} ms`)), ms).unref());

test("a change whose commit shows only later still wakes: the store is asked again", async (t) => {
  const file = watchedFile(t);
  let asked = 0;
  // The commit becomes visible at the third look, long after the file's last change.
  const wake = fileWake(file, { start() {}, changed: () => ++asked >= 3 });
  t.after(() => wake.close());
  const woken = called(wake);
  appendFileSync(file, "frame");
  assert.strictEqual(await Promise.race([woken, guard(5_000)]), null, "the wake-up names no mailbox");
  assert.ok(asked >= 3, `asked ${asked} times`);
});

test("a change during a slow look starts a look of its own", async (t) => {
  const file = watchedFile(t);
  let looks = 0;
  const wake = fileWake(file, {
    start() {},
    async changed() {
      looks++;
      if (looks === 1) {
        // While this look is on its way, another connection commits.
        appendFileSync(file, "another commit");
        await new Promise((resolve) => setTimeout(resolve, 50));
        return false;
      }
      return true;
    },
  });
  t.after(() => wake.close());
  const woken = called(wake);
  appendFileSync(file, "frame");
  await Promise.race([woken, guard(5_000)]);
  assert.ok(looks >= 2);
});

test("after close, nothing is watched and nobody is woken", async (t) => {
  const file = watchedFile(t);
  let asked = 0;
  const wake = fileWake(file, { start() {}, changed: () => (++asked, true) });
  wake.close();
  let woken = 0;
  wake.subscribe(() => woken++);
  appendFileSync(file, "frame");
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.strictEqual(asked, 0);
  assert.strictEqual(woken, 0);
});
