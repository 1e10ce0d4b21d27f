// stats() is exact after random operation sequences: a small reference model
// of the queue (what the core's model test checks, replayed here through the
// package) predicts every delivery and every count. Sends with delays,
// fetches and batch fetches, extends, confirms, rejects, cancels, redrives
// and the clock moving, with maxDeliveries so messages die on the way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

const LIMIT = 3;

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function prng(seed) {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n | 0;
  };
}

/**
 * The reference: per mid its due time (the delivery index key), the lease it
 * holds (end, lid), deliveries, whether dead, and its body's size.
 */
class Model {
  messages = new Map();

  send(mid, now, delay, bytes) {
    this.messages.set(mid, { mid, due: now + delay, leaseEnd: null, lid: null, deliveries: 0, dead: false, bytes });
  }

  /** Delivery-index order: due time, then mid. */
  entries() {
    return [...this.messages.values()].filter((m) => !m.dead)
      .sort((a, b) => a.due - b.due || (a.mid < b.mid ? -1 : 1));
  }

  /** The core's fetch: the first `look` entries that are due; a lapsed lease at the limit dies on the way. */
  fetch(now, lease, max, look) {
    const out = [];
    for (const m of this.entries().slice(0, look)) {
      if (m.due > now || out.length === max) break;
      if (m.lid !== null && m.deliveries >= LIMIT) {
        m.dead = true;
        m.lid = m.leaseEnd = null;
        continue;
      }
      m.deliveries++;
      m.leaseEnd = now + lease;
      m.due = m.leaseEnd + 1;
      out.push(m);
    }
    return out;
  }

  stats(now) {
    const s = { ready: 0, delayed: 0, leased: 0, dead: 0, bytes: 0, oldestReady: null };
    for (const m of this.messages.values()) {
      s.bytes += m.bytes;
      if (m.dead) s.dead++;
      else if (m.due <= now) {
        s.ready++;
        if (s.oldestReady === null || m.due < s.oldestReady) s.oldestReady = m.due;
      } else if (m.lid !== null && now <= m.leaseEnd) s.leased++;
      else s.delayed++;
    }
    return s;
  }
}

/**
 * `storage`: undefined for the built-in store, else a JS storage; `scanner`,
 * if given, is a second Server over the same data without `soleWriter`, so it
 * scans on every call: the first Server's mirror must agree with it.
 */
async function sequence(seed, steps, { storage, scanner } = {}) {
  const rand = prng(seed);
  const time = fakeClock();
  const server = new Server({ clock: time.clock, maxDeliveries: LIMIT, storage });
  const scanning = scanner && new Server({ clock: time.clock, maxDeliveries: LIMIT, storage: scanner });
  const model = new Model();
  const held = () => [...model.messages.values()].filter((m) => m.lid !== null && !m.dead && time.now() <= m.leaseEnd);
  const pick = (list) => list[rand(list.length)];
  let sent = 0;
  for (let i = 0; i < steps; i++) {
    const op = rand(10);
    const now = time.now();
    const where = `seed ${seed} step ${i} op ${op}`;
    if (op <= 1) {
      const delay = pick([0, 0, 10, 500, 3000]);
      const { mid } = await server.send({ sender: "a", receiver: "bob", delay, body: { n: sent++, pad: "x".repeat(rand(40)) } });
      model.send(mid, now, delay, (await server.fetchBlob(mid)).length);
    } else if (op === 2) {
      const lease = pick([1, 100, 1000]);
      const got = await server.fetchLatest("bob", { lease });
      const want = model.fetch(now, lease, 1, 2);
      assert.strictEqual(got?.mid ?? null, want[0]?.mid ?? null, where);
      if (got) want[0].lid = got.lid;
    } else if (op === 3) {
      const max = 1 + rand(4);
      const got = await server.fetchBatch("bob", { max, lease: 200 });
      const want = model.fetch(now, 200, max, max);
      assert.deepStrictEqual(got.map((m) => m.mid), want.map((m) => m.mid), where);
      got.forEach((m, k) => (want[k].lid = m.lid));
    } else if (op === 4 || op === 5) {
      const m = pick(held());
      if (!m) continue;
      if (op === 4) {
        await server.ack(m.mid, m.lid, "confirmed");
        model.messages.delete(m.mid);
      } else {
        await server.ack(m.mid, m.lid, "rejected");
        m.lid = m.leaseEnd = null;
        if (m.deliveries >= LIMIT) m.dead = true;
        else m.due = now;
      }
    } else if (op === 6) {
      const m = pick(held());
      if (!m) continue;
      const lease = pick([50, 500]);
      const { leasedUntil } = await server.extend(m.mid, m.lid, { lease });
      assert.strictEqual(leasedUntil, now + lease, where);
      m.leaseEnd = leasedUntil;
      m.due = leasedUntil + 1;
    } else if (op === 7) {
      const m = pick([...model.messages.values()]);
      if (!m) continue;
      const { cancelled } = await server.cancel("bob", m.mid);
      assert.strictEqual(cancelled, !m.dead, where);
      if (cancelled) model.messages.delete(m.mid);
    } else if (op === 8) {
      if (rand(4) !== 0) {
        time.advance(pick([1, 50, 200, 1000, 2500]));
        continue;
      }
      const dead = [...model.messages.values()].filter((m) => m.dead);
      assert.deepStrictEqual(await server.redrive("bob"), { moved: dead.length }, where);
      for (const m of dead) Object.assign(m, { dead: false, due: now, deliveries: 0, lid: null, leaseEnd: null });
    } else {
      time.advance(pick([1, 100, 1001]));
    }
    const stats = await server.stats("bob");
    assert.deepStrictEqual(stats, model.stats(time.now()), `${where}: stats`);
    if (scanning) assert.deepStrictEqual(await scanning.stats("bob"), stats, `${where}: mirror vs scan`);
  }
}

test("stats match the reference model after 400 random sequences of 60 operations", async () => {
  for (let seed = 1; seed <= 400; seed++) await sequence(seed, 60);
});

test("a sole-writer JS storage's mirrored stats match the model and a scan of the same data", async () => {
  for (let seed = 1; seed <= 100; seed++) {
    const base = memoryStorage();
    await sequence(seed, 60, { storage: { ...base, soleWriter: true }, scanner: base });
  }
});
