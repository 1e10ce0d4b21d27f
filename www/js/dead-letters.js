// Dead letters of the watched mailbox: messages whose last allowed delivery
// was rejected or ran out (or whose ttl passed). They are never delivered
// until Redrive puts them back in the queue with a fresh delivery count.
import { describeError } from "./backend.js";
import { formatTime, h, shortMid } from "./format.js";

const LIMIT = 100;

export function createDeadLetters({ root, getBackend, getReceiver, onOpenBlob, onChanged }) {
  const $ = (id) => root.querySelector(`[data-testid="${id}"]`);
  const list = $("dead-list");
  const empty = $("dead-empty");
  const status = $("dead-status");
  const error = $("dead-error");
  const redriveButton = $("redrive-button");
  let inFlight = false;

  function row(header) {
    const n = header.deliveryCount;
    return h(
      "li",
      { class: "msg", dataset: { testid: "dead-row", mid: header.mid, state: "dead" } },
      h(
        "div",
        { class: "msg-top" },
        h("span", { class: "pill dead" }, "dead"),
        h("code", { class: "mid", title: header.mid }, shortMid(header.mid)),
        h("span", { class: "deliveries", dataset: { testid: "dead-deliveries" } }, `${n} ${n === 1 ? "delivery" : "deliveries"}`),
      ),
      h(
        "div",
        { class: "msg-bottom" },
        h("span", { class: "muted msg-meta" }, `from ${header.sender} · received ${formatTime(header.receivedAt)}`),
        h("button", { type: "button", class: "small", "aria-label": `Open the blob of dead letter ${shortMid(header.mid)}`, onclick: () => onOpenBlob(header.mid) }, "Open blob"),
      ),
    );
  }

  function show(dead) {
    list.replaceChildren(...dead.map(row));
    empty.hidden = dead.length > 0;
    redriveButton.disabled = dead.length === 0;
  }

  async function refresh() {
    const backend = getBackend();
    const who = getReceiver();
    if (!backend || backend.kind === "none" || inFlight) return;
    if (!who) return show([]);
    inFlight = true;
    try {
      const dead = await backend.headers(who, { status: "dead", limit: LIMIT });
      if (who !== getReceiver() || backend !== getBackend()) return;
      error.textContent = "";
      show(dead);
    } catch (e) {
      const { code, message } = describeError(e);
      error.textContent = `Could not list the dead letters of ${who}: ${message} (${code})`;
    } finally {
      inFlight = false;
    }
  }

  redriveButton.addEventListener("click", async () => {
    const who = getReceiver();
    error.textContent = "";
    redriveButton.disabled = true;
    try {
      const { moved } = await getBackend().redrive(who, {});
      status.textContent = moved === 1 ? `1 dead letter back in “${who}”.` : `${moved} dead letters back in “${who}”.`;
    } catch (e) {
      const { code, message } = describeError(e);
      error.textContent = `${message} (${code})`;
    }
    await refresh();
    onChanged?.();
  });

  return {
    refresh,
    reset() {
      show([]);
      status.textContent = "";
      error.textContent = "";
    },
  };
}
