// Mailbox view: the pending headers of one receiver, kept up to date by polling.
// Rows are keyed by mid and updated in place, so focus and clicks survive a refresh.
import { describeError } from "./backend.js";
import { formatSpan, formatTime, h, shortMid } from "./format.js";

const LIMIT = 100;

export function createMailboxView({ root, getBackend, onOpenBlob, onChanged }) {
  const $ = (id) => root.querySelector(`[data-testid="${id}"]`);
  const receiverInput = $("mailbox-receiver");
  const list = $("mailbox-list");
  const empty = $("mailbox-empty");
  const count = $("mailbox-count");
  const error = $("mailbox-error");
  const rows = new Map(); // mid -> { li, parts }
  const leaseSpans = new Map(); // `${mid}@${leasedUntil}` -> total lease ms (for the bar)
  let headers = [];
  let shownReceiver = null;
  let seq = 0;
  let applied = 0;
  let inFlight = false;
  let failures = 0;

  const receiver = () => receiverInput.value.trim();

  /** Remembers how long a lease was, when this tab took it, so its bar starts full. */
  function noteLease(mid, leasedUntil, total) {
    leaseSpans.set(`${mid}@${leasedUntil}`, total);
  }

  async function refresh() {
    const backend = getBackend();
    const who = receiver();
    if (!backend || backend.kind === "none") return;
    if (!who) {
      headers = [];
      shownReceiver = who;
      render();
      return;
    }
    const mine = ++seq;
    inFlight = true;
    try {
      // A listing leaves out messages under a lease (as Go's did); the view
      // asks for those too, and shows both in the order they were received.
      const [pending, leased] = await Promise.all([
        backend.headers(who, { after: 0, limit: LIMIT }),
        backend.headers(who, { status: "leased", limit: LIMIT }),
      ]);
      if (mine < applied) return;
      applied = mine;
      if (who !== receiver() || backend !== getBackend()) return;
      const both = [...(Array.isArray(pending) ? pending : []), ...(Array.isArray(leased) ? leased : [])];
      headers = both.sort((a, b) => a.receivedAt - b.receivedAt || (a.mid < b.mid ? -1 : 1)).slice(0, LIMIT);
      shownReceiver = who;
      failures = 0;
      error.textContent = "";
      render();
    } catch (e) {
      failures++;
      const { code, message } = describeError(e);
      error.textContent = `Could not list ${who}: ${message} (${code})`;
    } finally {
      if (mine === seq) inFlight = false;
    }
  }

  /** Called by the poll timer: skips while a refresh is running, backs off after failures. */
  let skipped = 0;
  function poll() {
    if (inFlight) return;
    if (failures > 2 && ++skipped < Math.min(10, failures)) return;
    skipped = 0;
    refresh();
  }

  function makeRow(mid) {
    const parts = {
      state: h("span", { class: "pill", dataset: { testid: "row-state" } }),
      mid: h("code", { class: "mid", dataset: { testid: "row-mid" }, title: mid }, shortMid(mid)),
      deliveries: h("span", { class: "deliveries", dataset: { testid: "row-deliveries" } }),
      status: h("span", { dataset: { testid: "row-status" } }),
      meta: h("span", { class: "muted" }),
      timing: h("div", { class: "timing" }),
      open: h(
        "button",
        { type: "button", class: "small", dataset: { testid: "row-open-blob" }, "aria-label": `Open blob ${shortMid(mid)}`, onclick: () => onOpenBlob(mid) },
        "Open blob",
      ),
      cancel: h(
        "button",
        { type: "button", class: "small danger", dataset: { testid: "row-cancel" }, "aria-label": `Cancel ${shortMid(mid)}`, onclick: () => cancel(mid) },
        "Cancel",
      ),
    };
    const li = h(
      "li",
      { class: "msg", dataset: { testid: "header-row", mid } },
      h("div", { class: "msg-top" }, parts.state, parts.mid, parts.deliveries),
      h("div", { class: "msg-meta" }, parts.status, parts.meta),
      h("div", { class: "msg-bottom" }, parts.timing, h("div", { class: "row-actions" }, parts.open, parts.cancel)),
    );
    return { li, parts };
  }

  /** Removes a pending message (delayed, due or leased) and its blob. */
  async function cancel(mid) {
    const who = shownReceiver ?? receiver();
    error.textContent = "";
    try {
      const { cancelled } = await getBackend().cancel(who, mid);
      if (!cancelled) error.textContent = `${shortMid(mid)} was no longer pending: nothing to cancel.`;
    } catch (e) {
      const { code, message } = describeError(e);
      error.textContent = `Could not cancel ${shortMid(mid)}: ${message} (${code})`;
    }
    await refresh();
    onChanged?.();
  }

  function bar(kind, fraction, label, text, testid) {
    const pct = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
    return h(
      "div",
      { class: `countdown ${kind}`, dataset: { testid } },
      h(
        "div",
        { class: "bar", role: "progressbar", "aria-label": label, "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(pct) },
        h("span", { style: `width:${pct}%` }),
      ),
      h("span", { class: "countdown-text" }, text),
    );
  }

  function updateRow({ li, parts }, header, now) {
    const leaseLeft = (header.leasedUntil ?? 0) - now;
    const flag = header.leased;
    const leased = (flag === undefined ? true : flag === true || flag === "true") && leaseLeft > 0;
    const delayed = !leased && header.sendWhen > now;
    // A rejected or timed-out message is due again only after the server's retry
    // back-off, which headers do not carry: "retry" says so instead of "ready".
    const retry = !leased && !delayed && (header.status === "rejected" || header.status === "timeout");
    const state = leased ? "leased" : delayed ? "delayed" : retry ? "retry" : "ready";
    li.dataset.state = state;
    li.dataset.status = header.status;
    parts.state.textContent = state;
    parts.state.className = `pill ${state}`;
    parts.status.replaceChildren("status ", h("b", {}, header.status));
    parts.status.title = `status code ${header.statusCode}`;
    parts.meta.textContent = ` · from ${header.sender} · received ${formatTime(header.receivedAt)}`;
    const n = header.deliveryCount;
    parts.deliveries.textContent = n === 0 ? "not delivered yet" : `${n} ${n === 1 ? "delivery" : "deliveries"}`;
    parts.deliveries.dataset.count = String(n);

    let timing;
    if (leased) {
      const key = `${header.mid}@${header.leasedUntil}`;
      if (!leaseSpans.has(key)) leaseSpans.set(key, leaseLeft);
      const total = Math.max(leaseSpans.get(key), leaseLeft, 1);
      timing = bar("lease", leaseLeft / total, "Lease time left", `lease ends in ${formatSpan(leaseLeft)}`, "row-lease");
    } else if (delayed) {
      const total = Math.max(header.sendWhen - header.receivedAt, 1);
      timing = bar("delay", 1 - (header.sendWhen - now) / total, "Delay elapsed", `due in ${formatSpan(header.sendWhen - now)}`, "row-due");
    } else {
      const note = !retry
        ? "due now"
        : `${header.status === "timeout" ? "lease ran out" : "rejected"} · due again once any retry back-off has passed`;
      timing = h("span", { class: "countdown-text muted", dataset: { testid: "row-ready" } }, note);
    }
    parts.timing.replaceChildren(timing);
  }

  function render() {
    const now = getBackend()?.now() ?? Date.now();
    const seen = new Set();
    let previous = null;
    for (const header of headers) {
      seen.add(header.mid);
      let row = rows.get(header.mid);
      if (!row) {
        row = makeRow(header.mid);
        rows.set(header.mid, row);
      }
      updateRow(row, header, now);
      // Keep DOM order equal to the server's order (oldest first) without re-inserting unchanged rows.
      const want = previous ? previous.nextSibling : list.firstChild;
      if (want !== row.li) list.insertBefore(row.li, want);
      previous = row.li;
    }
    for (const [mid, row] of rows) {
      if (!seen.has(mid)) {
        row.li.remove();
        rows.delete(mid);
      }
    }
    const who = shownReceiver ?? receiver();
    empty.hidden = headers.length > 0;
    empty.textContent = who ? `No pending messages for “${who}”.` : "Choose a receiver to watch.";
    const due = [...rows.values()].filter(({ li }) => li.dataset.state === "ready").length;
    // A full page means there may be more: the stats strip has the exact counts.
    count.textContent =
      headers.length === 0 ? "empty" : headers.length >= LIMIT ? `first ${LIMIT} shown · counts above` : `${headers.length} pending · ${due} due`;
  }

  receiverInput.addEventListener("input", () => {
    headers = [];
    render();
    refresh();
  });

  return {
    receiver,
    refresh,
    poll,
    render,
    noteLease,
    setReceiver(name) {
      receiverInput.value = name;
      receiverInput.dispatchEvent(new Event("input"));
    },
    reset() {
      headers = [];
      failures = 0;
      error.textContent = "";
      render();
    },
  };
}
