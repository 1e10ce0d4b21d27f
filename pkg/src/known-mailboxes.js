/**
 * The mailboxes of mids a Server has met (the receiver of a fetch it made, or
 * a lookup it did), so that an ack or extend on a store with per-mailbox locks
 * does not read the message's mailbox again before taking its lock. A mid
 * addresses a body that holds its receiver, so an entry never goes stale; past
 * `limit` entries the oldest is forgotten (and read again if needed).
 *
 * @module
 */
export class KnownMailboxes {
  /** @type {Map<string, string>} */
  #byMid = new Map();
  #limit;

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  /** The mailbox of `mid`, or undefined when it is not known here. */
  get(mid) {
    return this.#byMid.get(mid);
  }

  /** Notes that `mid` belongs to `mailbox`. */
  note(mid, mailbox) {
    if (this.#byMid.has(mid)) return;
    if (this.#byMid.size >= this.#limit) this.#byMid.delete(this.#byMid.keys().next().value);
    this.#byMid.set(mid, mailbox);
  }
}
