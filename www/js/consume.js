// Consume: fetch the oldest due message under a lease, then confirm, reject or extend it.
import { describeError } from "./backend.js";
import { bodyEntries, fieldsTable, formatSpan, formatTime, h, parseDuration } from "./format.js";

export function createConsume({ root, getBackend, getReceiver, onChanged, noteLease }) {
  const $ = (id) => root.querySelector(`[data-testid="${id}"]`);
  const leaseInput = $("consume-lease");
  const fetchButton = $("fetch-button");
  const card = $("message");
  const lidInput = $("message-lid");
  const confirmButton = $("confirm-button");
  const rejectButton = $("reject-button");
  const extendButton = $("extend-button");
  const status = $("consume-status");
  const alert = $("consume-error");
  const leaseOut = $("message-lease");
  let current = null;

  function say(text) {
    status.textContent = text;
  }
  function showError(e) {
    const { code, message } = describeError(e);
    alert.replaceChildren(h("strong", {}, "Server said: "), message, " ", h("code", { dataset: { testid: "consume-error-code" } }, code));
  }
  function clearError() {
    alert.textContent = "";
  }

  function show(message) {
    current = message;
    card.hidden = !message;
    if (!message) return;
    const set = (id, value) => ($(id).textContent = value);
    set("message-mid", message.mid);
    lidInput.value = message.lid;
    set("message-status", `${message.status} (${message.statusCode})`);
    set("message-deliveries", String(message.deliveryCount));
    set("message-route", `${message.sender} → ${message.receiver}`);
    set("message-received", formatTime(message.receivedAt));
    set("message-due", formatTime(message.sendWhen));
    $("message-body").replaceChildren(fieldsTable(bodyEntries(message.body), "message-fields", "Body fields of the fetched message"));
    render();
  }

  function render() {
    if (!current) return;
    const left = current.leasedUntil - (getBackend()?.now() ?? Date.now());
    leaseOut.textContent = left > 0 ? `ends in ${formatSpan(left)} (${formatTime(current.leasedUntil)})` : `ran out at ${formatTime(current.leasedUntil)}`;
    leaseOut.classList.toggle("expired", left <= 0);
  }

  const buttons = [fetchButton, confirmButton, rejectButton, extendButton];
  async function busy(job) {
    for (const b of buttons) b.disabled = true;
    try {
      await job();
    } finally {
      for (const b of buttons) b.disabled = false;
      onChanged?.();
    }
  }

  fetchButton.addEventListener("click", () =>
    busy(async () => {
      clearError();
      const receiver = getReceiver();
      if (!receiver) {
        say("Choose a receiver in the mailbox view first.");
        return;
      }
      const lease = parseDuration(leaseInput.value) ?? "30s";
      try {
        const backend = getBackend();
        const before = backend.now();
        const message = await backend.fetch(receiver, { lease });
        if (!message) {
          show(null);
          say(`No message is due in “${receiver}”.`);
          return;
        }
        noteLease(message.mid, message.leasedUntil, message.leasedUntil - before);
        show(message);
        say(`Fetched ${message.mid.slice(0, 10)}… from “${receiver}” under a lease; confirm or reject it before the lease ends.`);
      } catch (e) {
        showError(e);
        say("");
      }
    }),
  );

  async function ack(verdict) {
    if (!current) return;
    await busy(async () => {
      clearError();
      const { mid } = current;
      try {
        await getBackend().ack(mid, lidInput.value.trim(), verdict);
        show(null);
        say(
          verdict === "confirmed"
            ? `Confirmed ${mid.slice(0, 10)}…: done and removed.`
            : `Rejected ${mid.slice(0, 10)}…: deliverable again after the retry back-off, or dead after its last allowed delivery.`,
        );
      } catch (e) {
        showError(e);
        say("");
      }
    });
  }
  // A new lease of the typed length from now, on the same lid.
  extendButton.addEventListener("click", async () => {
    if (!current) return;
    await busy(async () => {
      clearError();
      const lease = parseDuration(leaseInput.value) ?? "30s";
      try {
        const backend = getBackend();
        const before = backend.now();
        const { leasedUntil } = await backend.extend(current.mid, lidInput.value.trim(), { lease });
        current = { ...current, leasedUntil };
        noteLease(current.mid, leasedUntil, leasedUntil - before);
        render();
        say(`Extended the lease of ${current.mid.slice(0, 10)}…: it now ends at ${formatTime(leasedUntil)}, same lid.`);
      } catch (e) {
        showError(e);
        say("");
      }
    });
  });
  confirmButton.addEventListener("click", () => ack("confirmed"));
  rejectButton.addEventListener("click", () => ack("rejected"));

  return {
    render,
    reset() {
      show(null);
      clearError();
      say("");
    },
  };
}
