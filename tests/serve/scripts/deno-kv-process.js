// One of two Deno processes sharing one Deno KV file. Each sends its share of
// messages one by one, fetching and confirming between sends, then drains the
// mailbox; it prints the mids it sent, fetched and confirmed, and when it ran.
// Run: deno run -A --unstable-kv deno-kv-process.js <kv file> <name> <count> <start at (epoch ms)>
import { Server, denoKvStorage } from "../../../node_modules/pandora-mq/entry/deno.js";

const [file, name, count, startAt] = Deno.args;
const BOX = "shared@x";
const kv = await Deno.openKv(file);
// Leases far longer than the run: a message fetched twice was delivered twice.
const server = new Server({ storage: denoKvStorage(kv) });
const sent = [];
const fetched = [];
const confirmed = [];
async function consumeOne() {
  const m = await server.fetchLatest(BOX, { lease: 600_000 });
  if (m === null) return false;
  fetched.push(m.mid);
  await server.ack(m.mid, m.lid, "confirmed");
  confirmed.push(m.mid);
  return true;
}
// Both processes start their loops at one agreed moment, so they overlap.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const began = Date.now();
for (let i = 0; i < Number(count); i++) {
  sent.push((await server.send({ sender: `${name}@x`, receiver: BOX, body: { from: name, i } })).mid);
  if (i % 2) await consumeOne();
}
while (await consumeOne());
const ended = Date.now();
kv.close();
console.log(JSON.stringify({ sent, fetched, confirmed, began, ended }));
