// 4 processes on one PostgreSQL: two `pandora-mq serve` and two clients
// spread over both, 5,000 messages sent and consumed, one server SIGKILLed
// mid-run and restarted. Every message is confirmed exactly once; none is lost.
import { test, after } from "node:test";
import { startPostgres } from "./support/postgres.js";
import { assertExactlyOnce, distributedRun } from "./support/distributed.js";

const TOTAL = 5000;
const pg = await startPostgres();
after(() => pg.stop());

test(`postgres: ${TOTAL} messages over 2 servers and 2 clients, one server killed mid-run, each confirmed exactly once`, { timeout: 300_000 }, async (t) => {
  const run = await distributedRun(["--store", pg.url, "--table", "dist", "--admin"], { total: TOTAL, killAfter: TOTAL / 3 });
  const seen = assertExactlyOnce(run, TOTAL);
  t.diagnostic(`confirmed ${seen.confirmed} by a 200 ack, ${seen.ambiguous} by an ack cut off by the kill; ${seen.deliveries} deliveries of confirmed messages`);
});
