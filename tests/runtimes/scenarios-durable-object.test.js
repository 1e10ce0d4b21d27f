// The shared queue scenarios inside a Durable Object in workerd (Miniflare),
// on durableObjectStorage(ctx.storage) with SQLite-backed storage as deployed.
import { test } from "node:test";
import { fetchJsonFromWorker } from "./support/workerd.js";
import { reportResults } from "../js/support/report.js";

test("queue scenarios on Durable Object storage in workerd", { timeout: 120_000 }, async (t) => {
  const results = await fetchJsonFromWorker("workerd-scenarios.js", {
    SCENARIOS: { className: "ScenarioObject", useSQLite: true },
  });
  await reportResults(t, results, { atLeast: 20, where: "workerd (Durable Object)" });
});
