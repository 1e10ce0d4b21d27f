// workerd (through Miniflare) runs a Worker importing the package's workerd
// entry, and round-trips a message.
import { test } from "node:test";
import { fetchJsonFromWorker } from "./support/workerd.js";
import { assertRoundTrip } from "./support/expect.js";

test("workerd: a Worker imports entry/workerd.js and round-trips send/fetch/ack", { timeout: 120_000 }, async () => {
  const result = await fetchJsonFromWorker("workerd-round-trip.js");
  assertRoundTrip(result, { runtime: /^workerd Cloudflare-Workers/, entry: /entry\/workerd\.js$/ });
});
