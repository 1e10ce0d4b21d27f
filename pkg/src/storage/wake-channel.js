/**
 * Wake-ups between servers that share one store in different realms (tabs,
 * workers): a `BroadcastChannel` per store name carries "a message may be due
 * in these mailboxes" from the server that sent it to the long polls waiting
 * in the others. It carries mailbox names only; every waiter reads the store
 * itself, so a lost or duplicated wake-up costs time, never correctness.
 *
 * @module
 */

/**
 * The storage members `notify` and `subscribe` (see the Server's long poll)
 * over the channel `pandora-mq:<name>`, plus `close`. Without a
 * BroadcastChannel (old engines) both do nothing and waiters fall back to
 * their next due time or deadline.
 * @param {string} name
 * @param {typeof BroadcastChannel | undefined} Channel
 */
export function wakeChannel(name, Channel) {
  const channelName = `pandora-mq:${name}`;
  /** @type {BroadcastChannel | null} */
  let sender = null;
  /** @type {Set<BroadcastChannel>} */
  const receivers = new Set();
  return {
    /** @param {string[] | null} mailboxes */
    notify(mailboxes) {
      if (!Channel) return;
      sender ??= new Channel(channelName);
      sender.postMessage({ mailboxes });
    },
    /** @param {(mailboxes: string[] | null) => void} listener */
    subscribe(listener) {
      if (!Channel) return () => {};
      // A channel never hears its own posts, so this page's sends reach this
      // page's waiters directly (the Server wakes them) and only once.
      const channel = new Channel(channelName);
      channel.onmessage = (event) => {
        const mailboxes = event.data?.mailboxes;
        if (mailboxes === null || Array.isArray(mailboxes)) listener(mailboxes);
      };
      receivers.add(channel);
      return () => {
        receivers.delete(channel);
        channel.close();
      };
    },
    close() {
      sender?.close();
      sender = null;
      for (const channel of receivers) channel.close();
      receivers.clear();
    },
  };
}
