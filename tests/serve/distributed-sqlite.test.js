// Two `pandora-mq serve` processes on one SQLite file and two clients spread
// over both, 5,000 messages, one server SIGKILLed mid-run and restarted:
// every message confirmed exactly once, none lost.
import { test } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { assertExactlyOnce, distributedRun } from "./support/distributed.js";

const TOTAL = 5000;

test(`sqlite: ${TOTAL} messages over 2 servers on one file, one server killed mid-run, each confirmed exactly once`, { timeout: 300_000 }, async (t) => {
  // In RAM when the machine has /dev/shm: the test kills processes, never the
  // machine, so the page cache keeps every commit, and a disk's fsync latency
  // (milliseconds on shared virtual disks) would only slow the run down.
  const dir = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "pandora-dist-"));
  try {
    const run = await distributedRun(["--store", `sqlite:${path.join(dir, "q.db")}`, "--admin"], { total: TOTAL, killAfter: TOTAL / 3 });
    const seen = assertExactlyOnce(run, TOTAL);
    t.diagnostic(`confirmed ${seen.confirmed} by a 200 ack, ${seen.ambiguous} by an ack cut off by the kill; ${seen.deliveries} deliveries of confirmed messages`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
