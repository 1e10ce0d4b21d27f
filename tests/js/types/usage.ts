// Compiled with `tsc --noEmit` against the package's index.d.ts: the README's
// usage must type-check, and misuse must not (see the @ts-expect-error lines).
import { Server, PandoraError, Mailbox, memoryStorage, mintToken, routeRequest, type Storage, type Message } from "pandora-mq";

const storage: Storage = memoryStorage();
const server = new Server({ storage, clock: () => 0, maxSize: 4096, defaultLease: "5m" });

export async function roundTrip(): Promise<string> {
  const { mid, duplicate } = await server.send({ sender: "a@x", receiver: "b@x", delay: "2s", body: { topic: "hi", tag: ["x", "y"] } });
  const msg: Message | null = await server.fetchLatest("b@x", { lease: 30_000 });
  if (msg) await server.ack(msg.mid, msg.lid, "confirmed");
  const headers = await server.fetchHeaders("b@x", { after: 0, limit: 10 });
  const leased: boolean | undefined = headers[0]?.leased;
  const raw: string | null = await server.fetchBlob(mid);
  const released: number = await server.reenqueue();
  const res: Response = await server.handle(new Request("http://x/send", { method: "POST" }));
  const remote = new Mailbox("http://127.0.0.1:8787/api", { token: "t" });
  await remote.ack("m", "l", 2);
  try {
    // @ts-expect-error: acks are "confirmed" | "rejected" | 1 | 2
    await server.ack("m", "l", "done");
  } catch (e: unknown) {
    if (e instanceof PandoraError) return e.code;
  }
  // @ts-expect-error: a receiver is required
  await server.send({ sender: "a@x" });
  return `${duplicate}${leased}${raw}${released}${res.status}`;
}

// A Worker's routing step: a refusal to send as is, or the fields to route by.
export async function routed(request: Request): Promise<Response | string | undefined> {
  const checked = await routeRequest(request, { admin: true, token: "t" });
  if ("response" in checked) return checked.response;
  if (checked.route === "ack") return checked.lid;
  // @ts-expect-error: admin is a boolean, not an env var's "on"
  await routeRequest(request, { admin: "on" });
  return checked.receiver;
}

// Scoped tokens: minted for one mailbox, accepted by a server with the key.
export function scoped(secret: string): Server {
  const token: string = mintToken({ mailbox: "orders/*", ops: ["send", "consume"], expires: Date.now() + 60_000, kid: "k1" }, secret);
  // @ts-expect-error: "fetch" is a route, not a token operation (consume is)
  mintToken({ mailbox: "a", ops: ["fetch"], expires: 1, kid: "k1" }, secret);
  // @ts-expect-error: expires is required
  mintToken({ mailbox: "a", ops: ["send"], kid: "k1" }, secret);
  void new Mailbox("https://q.example/api", { token });
  return new Server({ signingKeys: { k1: secret }, token: "full" });
}

// The production operations: batches, long polls, leases, dead letters.
export async function production(): Promise<number> {
  const q = new Server({
    maxDeliveries: 5, retryBackoff: { initial: "1s", max: "1m", factor: 2 }, retention: "7d",
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) },
  });
  const receipts = await q.sendBatch([{ sender: "a", receiver: "b", ttl: "1h", body: { n: 1 } }]);
  const batch: Message[] = await q.fetchBatch("b", { max: 10, lease: "30s", wait: "20s" });
  const one: Message | null = await q.fetchLatest("b", { wait: 5_000 });
  const results = await q.ackBatch(batch.map((m) => ({ mid: m.mid, lid: m.lid, status: "confirmed" as const })));
  const failed = results.filter((r) => !r.ok).map((r) => (r.ok ? "" : r.code));
  const { leasedUntil } = one ? await q.extend(one.mid, one.lid, { lease: "1m" }) : { leasedUntil: 0 };
  const { cancelled } = await q.cancel("b", receipts[0].mid);
  const peeked = await q.peek("b", { limit: 5 });
  // @ts-expect-error: a peeked message has no lid
  void peeked[0]?.lid;
  const s = await q.stats("b");
  const oldest: number | null = s.oldestReady;
  const dead = await q.fetchHeaders("b", { status: "dead", limit: 10 });
  const { moved } = await q.redrive("b", { limit: 100 });
  const { deleted } = await q.purge("b", { status: "dead" });
  // @ts-expect-error: purge takes "all" or "dead"
  await q.purge("b", { status: "ready" });
  // @ts-expect-error: retryBackoff needs initial
  void new Server({ retryBackoff: { max: "1m" } });
  return leasedUntil + Number(cancelled) + s.ready + (oldest ?? 0) + dead.length + moved + deleted + failed.length;
}

// The worker loop, in-process and over HTTP: the same options and the same handle.
export async function worker(signal: AbortSignal): Promise<void> {
  const consumer = server.consume("jobs@x", async (m) => {
    const topic: string | string[] | undefined = m.body.topic;
    void topic;
  }, { concurrency: 4, lease: "30s", wait: 20_000, signal, onError: (e, { phase, message }) => void [e.code, phase, message?.mid] });
  consumer.stop();
  await consumer.done;
  const remote = new Mailbox("https://q.example/api", { clock: Date.now, timers: { setTimeout, clearTimeout } });
  const batch: Message[] = await remote.fetchBatch("jobs@x", { max: 10, wait: "5s" });
  const results = await remote.ackBatch(batch.map((m) => ({ mid: m.mid, lid: m.lid, status: "confirmed" as const })));
  if (results[0] && !results[0].ok) void results[0].code;
  const { leasedUntil }: { leasedUntil: number } = await remote.extend("m", "l", { lease: "1m" });
  void leasedUntil;
  await remote.consume("jobs@x", () => {}, { concurrency: 2 }).done;
  // @ts-expect-error: a Mailbox's consumer runs on the constructor's clock
  remote.consume("jobs@x", () => {}, { clock: Date.now });
  // @ts-expect-error: onError's phase is one of fetch, extend, ack
  server.consume("jobs@x", () => {}, { onError: (_e, c) => c.phase === "handler" });
}
