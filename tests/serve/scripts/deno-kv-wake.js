// One side of a long poll across two Deno processes on one Deno KV file.
//   wait: prints "waiting" once its first fetch has found nothing, then the
//         JSON of what the poll returned; its timers never fire, so only a
//         wake-up from the other process's commit can end the wait.
//   send: sends one message and prints its mid.
// Run: deno run -A --unstable-kv deno-kv-wake.js <wait|send> <kv file> <mailbox>
import { Server, denoKvStorage } from "../../../node_modules/pandora-mq/entry/deno.js";

const [role, path, mailbox] = Deno.args;
const kv = await Deno.openKv(path);
const storage = denoKvStorage(kv, { path });
if (role === "send") {
  const { mid } = await new Server({ storage }).send({ sender: "a@x", receiver: mailbox, body: { from: "send" } });
  console.log(JSON.stringify({ mid }));
} else {
  let reads = 0;
  // Counts the reads, to tell when the poll's first fetch has run.
  const counted = { ...storage, list: (o) => (reads++, storage.list(o)) };
  const waiter = new Server({ storage: counted, timers: { setTimeout: () => 0, clearTimeout: () => {} } });
  await waiter.stats(mailbox); // the format check is behind us
  reads = 0;
  const alive = setInterval(() => {}, 1_000); // as a server's socket would
  const got = waiter.fetchLatest(mailbox, { wait: 20_000 });
  while (reads === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  console.log("waiting");
  const message = await got;
  clearInterval(alive);
  console.log(JSON.stringify({ mid: message?.mid ?? null }));
}
await storage.close();
