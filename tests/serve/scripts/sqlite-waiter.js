// A long poll in a process of its own, on a SQLite file another process
// sends to: prints "waiting" once its first fetch has found nothing, then the
// JSON of what the poll returned. Its timers never fire, so only a wake-up
// from the other process's commit can end the wait.
// Run: <node|bun|deno run -A> sqlite-waiter.js <file> <mailbox>
const deno = typeof (/** @type {any} */ (globalThis).Deno) !== "undefined";
const { Server, sqliteStorage } = await import(deno ? "../../../node_modules/pandora-mq/entry/deno.js" : "pandora-mq");
const { DatabaseSync } = await import("node:sqlite");
const [file, mailbox] = deno ? Deno.args : process.argv.slice(2);

const storage = sqliteStorage(new DatabaseSync(file));
let reads = 0;
// Counts the reads, to tell when the poll's first fetch has run.
const counted = { ...storage, list: (o) => (reads++, storage.list(o)) };
const waiter = new Server({ storage: counted, timers: { setTimeout: () => 0, clearTimeout: () => {} } });
await waiter.stats(mailbox); // the format check is behind us
reads = 0;
// Frozen timers hold nothing open, nor does the file watch: this does, as a server's socket would.
const alive = setInterval(() => {}, 1_000);
const got = waiter.fetchLatest(mailbox, { wait: 20_000 });
while (reads === 0) await new Promise((resolve) => setTimeout(resolve, 10));
console.log("waiting");
const message = await got;
console.log(JSON.stringify({ mid: message?.mid ?? null }));
clearInterval(alive);
await storage.close();
