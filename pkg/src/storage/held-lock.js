/**
 * A Web Lock held across a burst of sections instead of one lock request per
 * section. Requesting a Web Lock is a round trip to the browser process,
 * which in Chromium costs about as much as a whole IndexedDB transaction; a
 * page doing one queue operation after another would pay it every time.
 *
 * So once granted, the lock runs every section this page queues for it, one
 * after another, and lets go when the queue stays empty for a task (nothing
 * more is coming right now) or after `maxRun` sections, so another tab that
 * waits for it gets its turn after at most that many (Web Locks are granted
 * in request order).
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
 * @param {{ maxRun?: number, released?: () => void }} [options]
 *   `released` runs at the end of every hold, while the lock is still held
 * @returns {<T>(fn: () => Promise<T>) => Promise<T>} runs `fn` under the lock, never two at once
 */
export function heldLock(locks, name, { maxRun = 16, released = () => {} } = {}) {
  /** @type {{ fn: () => Promise<any>, resolve: (v: any) => void, reject: (e: unknown) => void }[]} */
  const queue = [];
  let holding = false;

  /** Runs queued sections while the lock is held. */
  async function runQueued() {
    try {
      for (let ran = 0; ran < maxRun; ran++) {
        if (queue.length === 0) await nextTask();
        const job = queue.shift();
        if (!job) return;
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
      if (!holding) hold();
    });
}
