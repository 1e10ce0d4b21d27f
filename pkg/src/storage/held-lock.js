/**
 * A Web Lock held across a burst of sections instead of one lock request per
 * section. Requesting a Web Lock is a round trip to the browser process,
 * which in Chromium costs about as much as a whole IndexedDB transaction; a
 * page doing one queue operation after another would pay it every time.
 *
 * So once granted, the lock runs every section this page queues for it, one
 * after another, and lets go when the queue stays empty for a task (nothing
 * more is coming right now) or when someone else waits for it: every
 * `every` sections the holder asks `locks.query()`, without waiting for the
 * answer, and lets go at the first section boundary after a yes, so a tab
 * that waits gets its turn within a burst (Web Locks are granted in request
 * order).
 *
 * @module
 */

/**
 * Resolves on the next task: after every microtask queued so far has run, so
 * a caller that queues its next section as soon as the last one resolved
 * (`for (…) await server.send(…)`) has done so. A MessageChannel message is a
 * task without the 4 ms clamp of nested timers.
 * @returns {Promise<void>}
 */
function nextTask() {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/**
 * @param {LockManager} locks
 * @param {string} name the Web Lock's name
 * @param {{ every?: number, released?: () => void }} [options]
 *   every `every` sections the holder asks whether someone waits;
 *   `released` runs at the end of every hold, while the lock is still held
 * @returns {<T>(fn: () => Promise<T>) => Promise<T>} runs `fn` under the lock, never two at once
 */
export function heldLock(locks, name, { every = 16, released = () => {} } = {}) {
  /** @type {{ fn: () => Promise<any>, resolve: (v: any) => void, reject: (e: unknown) => void }[]} */
  const queue = [];
  let holding = false;
  /** Resolves the holder's wait for a next section, when it waits. */
  let queued = () => {};
  // `locks.query()` lists who waits for which lock; without it (older
  // engines) the holder lets go every `every` sections instead.
  const canAsk = typeof locks.query === "function";

  /** Sets `waiting.now` once someone else has asked for this lock. */
  function askWhoWaits(waiting) {
    if (!canAsk) {
      waiting.now = true;
      return;
    }
    // Not awaited: the holder goes on meanwhile and looks at the flag between sections.
    locks.query().then(
      (state) => {
        if (state.pending?.some((p) => p.name === name)) waiting.now = true;
      },
      () => {
        waiting.now = true;
      },
    );
  }

  /** Runs queued sections while the lock is held. */
  async function runQueued() {
    const waiting = { now: false };
    try {
      for (let ran = 1; !waiting.now; ran++) {
        if (queue.length === 0) {
          // Either this page queues a next section in its current microtasks, or
          // nothing more is coming right now.
          await new Promise((resolve) => {
            queued = resolve;
            nextTask().then(resolve);
          });
          queued = () => {};
        }
        const job = queue.shift();
        if (!job) return;
        if (ran % every === 0) {
          askWhoWaits(waiting);
          // Sections answered from memory run in microtasks alone: yield to the
          // event loop now and then, so the page (and the query's answer) runs.
          await nextTask();
        }
        try {
          job.resolve(await job.fn());
        } catch (err) {
          job.reject(err);
        }
      }
    } finally {
      released();
    }
  }

  function hold() {
    holding = true;
    locks.request(name, runQueued).then(
      () => {
        holding = false;
        if (queue.length > 0) hold();
      },
      (err) => {
        // The request itself failed (e.g. the page is going away): no section can run.
        holding = false;
        for (const job of queue.splice(0)) job.reject(err);
      },
    );
  }

  return (fn) =>
    new Promise((resolve, reject) => {
      queue.push({ fn, resolve, reject });
      if (holding) queued();
      else hold();
    });
}
