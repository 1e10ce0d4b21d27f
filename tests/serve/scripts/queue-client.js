// One client process of the distributed tests: sends its share of messages
// and consumes from the shared mailboxes, spreading requests over every
// server given and retrying on another one when a server is down. Talks to
// the parent over IPC: "drain" means every producer has finished; it answers
// with what it saw: sent mids, confirmed mids (ack 200), ambiguous acks (the
// connection broke, so the ack may or may not have been applied) and the
// delivery count of each confirmed message.
const [servers, clientId, first, count, receivers] = JSON.parse(process.argv[2]);
const LEASE = "2s";
const IDLE_AFTER_DRAIN_MS = 2500; // past one lease: a lease taken by a killed server has run out by then
const BASE_TIME = Date.parse("2026-01-01T00:00:00Z");

let turn = clientId;
const nextServer = () => servers[turn++ % servers.length];

/** POSTs a form to some server; a broken connection or a 5xx is retried on the next server. */
async function post(route, fields, { onRetry } = {}) {
  let last = "";
  for (let attempt = 0; ; attempt++) {
    if (attempt > 200) throw new Error(`${route}: no server answered after ${attempt} tries; last: ${last}`);
    let res;
    try {
      res = await fetch(`${nextServer()}/api/${route}`, { method: "POST", body: new URLSearchParams(fields), signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      last = String(err?.cause ?? err);
      onRetry?.();
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    const text = await res.text();
    if (res.status >= 500) {
      last = `${res.status} ${text}`;
      onRetry?.();
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    return { status: res.status, fields: new URLSearchParams(text) };
  }
}

const sent = [];
const confirmed = [];
const ambiguous = [];
const deliveries = {};
let drained = false;
let lastWork = Date.now();
process.on("message", (m) => {
  if (m === "drain") drained = true;
});

async function produce(from, to) {
  for (let i = from; i < to; i++) {
    // A fixed clientTime makes a retried send the same message: same mid, enqueued once.
    const fields = { sender: `client-${clientId}`, receiver: receivers[i % receivers.length], n: String(i), clientTime: new Date(BASE_TIME + i).toISOString() };
    const { status, fields: reply } = await post("send", fields);
    if (status !== 200) throw new Error(`send ${i}: ${status} ${reply}`);
    sent.push(reply.get("mid"));
  }
}

async function consume(loop) {
  let r = loop;
  while (true) {
    const receiver = receivers[r++ % receivers.length];
    const got = await post("fetch", { receiver, leaseTime: LEASE });
    if (got.status === 204) {
      if (drained && Date.now() - lastWork > IDLE_AFTER_DRAIN_MS) return;
      await new Promise((res) => setTimeout(res, 100)); // nothing due: do not hammer the lock
      continue;
    }
    if (got.status !== 200) throw new Error(`fetch: ${got.status} ${got.fields}`);
    lastWork = Date.now();
    const mid = got.fields.get("mid");
    let retried = false;
    const acked = await post("ack", { mid, lid: got.fields.get("lid"), statusCode: "1" }, { onRetry: () => (retried = true) });
    if (acked.status === 200) {
      confirmed.push(mid);
      deliveries[mid] = Number(got.fields.get("deliveryCount"));
    } else if (retried) {
      ambiguous.push(mid);
    } // else: the lease ran out before the ack (400): it comes back, and is confirmed then
    if (confirmed.length % 250 === 0) process.send({ progress: confirmed.length });
  }
}

const perProducer = Math.ceil(count / 2);
const producers = [produce(first, first + perProducer), produce(first + perProducer, first + count)];
const consumers = [0, 1, 2, 3].map(consume);
await Promise.all(producers);
process.send({ produced: sent.length });
await Promise.all(consumers);
process.send({ done: { sent, confirmed, ambiguous, deliveries } }, () => process.exit(0));
