// The consume toggle: runs the package's consume() loop on the watched
// receiver. It long-polls, runs the handler, keeps the lease alive while the
// handler runs, confirms on success and rejects on a throw.
import { describeError } from "./backend.js";
import { h, parseDuration, shortMid } from "./format.js";

/** How long one long-poll waits for a message before asking again. */
const WAIT = "5s";

export function createConsumeLoop({ root, getBackend, getReceiver, getLease, onChanged }) {
  const $ = (id) => root.querySelector(`[data-testid="${id}"]`);
  const toggle = $("consume-toggle");
  const outcome = $("consume-outcome");
  const status = $("consume-loop-status");
  const error = $("consume-loop-error");
  let running = null; // { stop, done, receiver }
  let handled = { confirmed: 0, failed: 0, last: "" };

  function say() {
    if (!running) {
      status.textContent = handled.confirmed + handled.failed ? `Stopped. ${summary()}` : "";
      return;
    }
    status.replaceChildren(
      `Consuming “${running.receiver}” (long-poll). `,
      h("span", { dataset: { testid: "consume-loop-count" } }, summary()),
      handled.last ? ` Last: ${handled.last}.` : "",
    );
  }
  const summary = () => `${handled.confirmed} confirmed, ${handled.failed} rejected by the handler.`;

  function start() {
    const receiver = getReceiver();
    error.textContent = "";
    if (!receiver) {
      toggle.checked = false;
      error.textContent = "Choose a receiver in the mailbox view first.";
      return;
    }
    handled = { confirmed: 0, failed: 0, last: "" };
    const handler = async (message) => {
      const fail = outcome.value === "fail";
      handled.last = `${shortMid(message.mid)} (delivery ${message.deliveryCount})`;
      if (fail) handled.failed++;
      else handled.confirmed++;
      say();
      onChanged?.();
      if (fail) throw new Error("the demo handler fails on purpose");
    };
    try {
      // A failed fetch, extend or ack is shown and the loop goes on (it backs off after a failed fetch).
      const onError = (e, { phase }) => {
        const { code, message } = describeError(e);
        error.textContent = `consume: the ${phase} failed: ${message} (${code})`;
      };
      const loop = getBackend().consume(receiver, handler, { lease: parseDuration(getLease()) ?? "30s", wait: WAIT, concurrency: 1, onError });
      running = { ...loop, receiver };
      say();
      loop.done.then(
        () => {
          if (running?.done === loop.done) stopped();
        },
        (e) => {
          const { code, message } = describeError(e);
          error.textContent = `The consume loop stopped: ${message} (${code})`;
          if (running?.done === loop.done) stopped();
        },
      );
    } catch (e) {
      const { code, message } = describeError(e);
      error.textContent = `${message} (${code})`;
      toggle.checked = false;
    }
  }

  function stopped() {
    running = null;
    toggle.checked = false;
    say();
    onChanged?.();
  }

  /** Takes no new message, lets the one in hand finish, then reports. */
  async function stop() {
    const loop = running;
    if (!loop) return;
    status.textContent = `Stopping: no new message is taken; the long poll in flight ends within ${WAIT}, the message in hand finishes first…`;
    loop.stop();
    await loop.done.catch(() => {});
    if (running === loop) stopped();
  }

  toggle.addEventListener("change", () => (toggle.checked ? start() : stop()));

  return {
    running: () => running !== null,
    async reset() {
      await stop();
      handled = { confirmed: 0, failed: 0, last: "" };
      status.textContent = "";
      error.textContent = "";
    },
  };
}
