// The message workload every in-process benchmark uses, and the two loops
// (fill, drain) that drive a Server or the JS baseline through the same calls.

import { now, perSecond } from "./timing.js";

export const SENDER = "alice@example.com";
export const RECEIVER = "bob@example.com";
/** 2023-11-14T22:13:20Z: any fixed start works; the clock is simulated. */
export const T0 = 1_700_000_000_000;
const PAYLOAD = "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.";

/** The body of message `i`: three fields, about 250 bytes once encoded with the server's fields. */
export const bodyOf = (i) => ({ topic: "orders", id: i, payload: PAYLOAD });

/** A simulated clock: every operation reads it once; the loops advance it 1 ms per operation. */
export function simulatedClock(start = T0) {
  const clock = { t: start, read: () => clock.t };
  return clock;
}

/**
 * Sends `n` messages, one at a time (each awaited), the clock advancing 1 ms
 * per send so receivedAt spreads. Returns sends/s.
 */
export async function fill(queue, clock, n, from = 0) {
  const t0 = now();
  for (let i = from; i < from + n; i++) {
    clock.t++;
    await queue.send({ sender: SENDER, receiver: RECEIVER, body: bodyOf(i) });
  }
  return perSecond(n, now() - t0);
}

/** Fetches and confirms `n` messages, one pair at a time. Returns pairs/s. */
export async function drain(queue, clock, n) {
  const t0 = now();
  for (let i = 0; i < n; i++) {
    clock.t++;
    const m = await queue.fetchLatest(RECEIVER);
    if (m === null) throw new Error(`drain: queue empty after ${i} of ${n}`);
    clock.t++;
    await queue.ack(m.mid, m.lid, "confirmed");
  }
  return perSecond(n, now() - t0);
}

/** A fresh queue, `n` sends then `n` fetch+ack pairs: `{ send, fetchAck }` in operations/s. */
export async function fillAndDrain(makeQueue, n) {
  const clock = simulatedClock();
  const queue = makeQueue(clock.read);
  const send = await fill(queue, clock, n);
  const fetchAck = await drain(queue, clock, n);
  return { send, fetchAck };
}
