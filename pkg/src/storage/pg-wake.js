/**
 * Wake-ups between servers on one PostgreSQL queue, over LISTEN/NOTIFY: a
 * send through one server wakes the long polls waiting in the others, in
 * other processes or on other machines. Like the tabs' BroadcastChannel
 * (wake-channel.js) it carries mailbox names only, and every waiter reads
 * the store itself, so a lost or duplicated wake-up costs time, never
 * correctness.
 *
 * - `notify(mailboxes)` sends one `pg_notify` per turn of the event loop,
 *   for every mailbox named in it, without waiting for it: a reply never
 *   waits on a wake-up. A transaction that starts before it went out takes
 *   it along instead (`take`), so back-to-back sends pay no round trip for it.
 * - `subscribe(listener)` listens on a connection of its own (not one of the
 *   pool's, so queries never queue behind it), made from the pool's
 *   `Client` and `options`, opened for the first waiter and closed once
 *   nobody has waited for `LINGER_MS`, so back-to-back long polls keep one.
 *   It runs `SELECT 1` every `HEARTBEAT_MS` (and TCP keep-alive) to notice a
 *   connection dropped without a word. When it starts listening, and again
 *   after it lost its connection, it wakes every waiter once: a send in the
 *   moments before LISTEN took hold is not missed. A pool without `Client`
 *   and `options` (not a pg Pool) gets no listening: its waiters end at their
 *   next due time or deadline.
 * - A server ignores its own notifications: its Server woke its waiters already.
 *
 * @module
 */

/** How long the listening connection stays open with nobody waiting. */
const LINGER_MS = 2_000;
/** How long to wait before listening again after the connection was lost. */
const RELISTEN_MS = 1_000;
/**
 * How often the listening connection, which otherwise only hears, proves it
 * is still there (a NAT or a proxy may drop an idle connection without a
 * word), and how long the proof may take before the connection counts as lost.
 */
const HEARTBEAT_MS = 15_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
/** A NOTIFY payload must stay under 8,000 bytes: beyond that, "any mailbox". */
const MAX_PAYLOAD = 7_000;
/** PostgreSQL cuts identifiers, channel names among them, at 63 bytes. */
const MAX_CHANNEL = 63;

/**
 * The channel of a queue: its table's name, hashed when it would be too long.
 * @param {string} lockName `table` or `schema.table`
 */
export function channelOf(lockName) {
  const name = `pandora_mq:${lockName}`;
  if (name.length <= MAX_CHANNEL) return name;
  // FNV-1a: a collision only wakes the other queue's waiters for nothing.
  let h = 0x811c9dc5;
  for (let i = 0; i < lockName.length; i++) h = Math.imul(h ^ lockName.charCodeAt(i), 0x01000193) >>> 0;
  return `${name.slice(0, MAX_CHANNEL - 9)}:${h.toString(16).padStart(8, "0")}`;
}

/**
 * @param {any} pool a `pg` Pool: `query()` for the notifications, and
 *   `Client` with `options` for the listening connection
 * @param {string} channel
 * @param {(line: string) => void} [log]
 * @param {{ heartbeatMs?: number, heartbeatTimeoutMs?: number }} [timing] shorter in tests
 */
export function pgWakeChannel(pool, channel, log = () => {}, { heartbeatMs = HEARTBEAT_MS, heartbeatTimeoutMs = HEARTBEAT_TIMEOUT_MS } = {}) {
  const origin = globalThis.crypto.randomUUID();
  /** @type {Set<(mailboxes: string[] | null) => void>} */
  const listeners = new Set();
  /** Mailboxes named since the last pg_notify went out; null: any. @type {Set<string> | null | undefined} */
  let queued;
  /**
   * The listening connection: none, on its way (`opening`), or `open`.
   * @type {{ opening: Promise<any> } | { open: { client: any, done: (err?: unknown) => void } } | null}
   */
  let listening = null;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  let closed = false;

  const wakeAll = () => {
    for (const listener of listeners) listener(null);
  };
  const clearTimer = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  /** @param {() => void} fn @param {number} ms */
  const later = (fn, ms) => {
    clearTimer();
    timer = setTimeout(fn, ms);
    timer.unref?.();
  };

  /** @param {{ channel: string, payload?: string }} note */
  function heard(note) {
    if (note.channel !== channel) return;
    let message;
    try {
      message = JSON.parse(note.payload ?? "");
    } catch {
      return wakeAll();
    }
    if (message?.o === origin) return;
    const mailboxes = Array.isArray(message?.m) ? message.m : null;
    for (const listener of listeners) listener(mailboxes);
  }

  /** Listening needs a connection of its own: one of the pool's would starve its queries. */
  const canListen = typeof pool.Client === "function" && typeof pool.options === "object" && pool.options !== null;

  async function connect() {
    const client = new pool.Client({ ...pool.options, keepAlive: true });
    await client.connect();
    /** @type {ReturnType<typeof setInterval> | undefined} */
    let beat;
    const conn = {
      client,
      done: () => {
        clearInterval(beat);
        client.end().catch(() => {});
      },
    };
    beat = setInterval(() => {
      /** @type {ReturnType<typeof setTimeout> | undefined} */
      let late;
      const timeout = new Promise((_, reject) => (late = setTimeout(() => reject(new Error("no answer to a heartbeat")), heartbeatTimeoutMs)));
      Promise.race([client.query("SELECT 1"), timeout])
        .catch((/** @type {Error} */ err) => lose(conn, err))
        .finally(() => clearTimeout(late));
    }, heartbeatMs);
    beat.unref?.();
    return conn;
  }

  async function open() {
    const conn = await connect();
    conn.client.on("notification", heard);
    conn.client.on("error", (/** @type {Error} */ err) => lose(conn, err));
    try {
      await conn.client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
    } catch (err) {
      conn.done(err);
      throw err;
    }
    return conn;
  }

  function listen() {
    if (listening || closed || !canListen) return;
    const state = { opening: open() };
    listening = state;
    state.opening.then(
      (conn) => {
        if (listening !== state) return conn.done();
        listening = { open: conn };
        if (listeners.size === 0) later(stop, LINGER_MS);
        wakeAll();
      },
      (/** @type {Error} */ err) => {
        if (listening !== state) return;
        listening = null;
        log(`postgres: cannot listen for wake-ups (${err.message}); long polls wait for their deadline`);
        if (listeners.size > 0 && !closed) later(listen, RELISTEN_MS);
      },
    );
  }

  /** @param {{ client: any, done: (err?: unknown) => void }} conn @param {Error} err */
  function lose(conn, err) {
    if (!listening || !("open" in listening) || listening.open !== conn) return;
    listening = null;
    conn.done(err);
    log(`postgres: lost the wake-up connection (${err.message}); listening again`);
    if (listeners.size > 0 && !closed) later(listen, RELISTEN_MS);
  }

  function stop() {
    clearTimer();
    const state = listening;
    listening = null;
    if (state && "open" in state) state.open.done();
  }

  /** The queued mailboxes as a payload, the queue emptied. */
  function drain() {
    const mailboxes = queued;
    queued = undefined;
    clearSendTimer();
    const payload = JSON.stringify({ o: origin, m: mailboxes ? [...mailboxes] : null });
    return { payload: payload.length > MAX_PAYLOAD ? JSON.stringify({ o: origin, m: null }) : payload, mailboxes };
  }

  function send() {
    sendTimer = null;
    if (queued === undefined) return;
    const { payload } = drain();
    // A lost wake-up only delays the other servers' waiters until their next due time or deadline.
    Promise.resolve()
      .then(() => pool.query("SELECT pg_notify($1, $2)", [channel, payload]))
      .catch(() => {});
  }
  /** @type {ReturnType<typeof setTimeout> | null} */
  let sendTimer = null;
  const clearSendTimer = () => {
    if (sendTimer) clearTimeout(sendTimer);
    sendTimer = null;
  };

  return {
    /** @param {string[] | null} mailboxes */
    notify(mailboxes) {
      if (closed) return;
      if (queued === undefined) {
        queued = mailboxes === null ? null : new Set();
        sendTimer = setTimeout(send, 0);
      } else if (mailboxes === null) queued = null;
      if (queued && mailboxes) for (const m of mailboxes) queued.add(m);
    },

    /** @param {(mailboxes: string[] | null) => void} listener */
    subscribe(listener) {
      listeners.add(listener);
      if (listening && "open" in listening) clearTimer();
      else listen();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && listening && "open" in listening) later(stop, LINGER_MS);
      };
    },

    /**
     * The wake-ups queued so far, as one statement for a transaction about to
     * start to carry (PostgreSQL delivers it at that transaction's COMMIT),
     * or null when none are queued. It spares them a round trip of their
     * own. A transaction that does not commit must hand them back with
     * `notify(mailboxes)`.
     * @param {(text: string) => string} literal
     * @returns {{ sql: string, mailboxes: string[] | null } | null}
     */
    take(literal) {
      if (queued === undefined) return null;
      const { payload, mailboxes } = drain();
      return { sql: ` SELECT pg_notify(${literal(channel)}, ${literal(payload)});`, mailboxes: mailboxes ? [...mailboxes] : null };
    },

    close() {
      closed = true;
      send();
      listeners.clear();
      stop();
    },
  };
}
