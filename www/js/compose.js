// Compose: receiver, sender, delay, ttl and any number of body fields; shows the new mid.
// "Send 1,000" sends the composed message 1,000 times through sendBatch.
import { describeError } from "./backend.js";
import { h, maxBatch, parseDuration } from "./format.js";

let rowSeq = 0;
/** How many messages "Send 1,000" sends. */
const MANY = 1000;

export function createCompose({ form, getBackend, onSent }) {
  const $ = (id) => form.querySelector(`[data-testid="${id}"]`);
  const rows = $("field-rows");
  const result = $("send-result");
  const error = $("send-error");
  const sendButton = $("send-button");
  const sendManyButton = $("send-many-button");

  function renumber() {
    [...rows.children].forEach((row, i) => {
      row.querySelector(".name-label").textContent = `Field ${i + 1} name`;
      row.querySelector(".value-label").textContent = `Field ${i + 1} value`;
      row.querySelector("button").setAttribute("aria-label", `Remove field ${i + 1}`);
    });
  }

  function addRow(name = "", value = "", focus = false) {
    const n = ++rowSeq;
    const nameInput = h("input", { id: `field-name-${n}`, type: "text", autocomplete: "off", spellcheck: "false", placeholder: "name", dataset: { testid: "field-name" } });
    const valueInput = h("input", { id: `field-value-${n}`, type: "text", autocomplete: "off", placeholder: "value", dataset: { testid: "field-value" } });
    nameInput.value = name;
    valueInput.value = value;
    const row = h(
      "li",
      { class: "field-row", dataset: { testid: "field-row" } },
      h("label", { class: "visually-hidden name-label", for: nameInput.id }),
      nameInput,
      h("label", { class: "visually-hidden value-label", for: valueInput.id }),
      valueInput,
      h(
        "button",
        {
          type: "button",
          class: "icon-button",
          dataset: { testid: "remove-field" },
          onclick: () => {
            const next = row.nextElementSibling ?? row.previousElementSibling;
            row.remove();
            renumber();
            (next?.querySelector("input") ?? $("add-field")).focus();
          },
        },
        h("span", { "aria-hidden": "true" }, "×"),
      ),
    );
    rows.append(row);
    renumber();
    if (focus) nameInput.focus();
  }

  function collectBody() {
    // The package flattens it (a repeated name is a repeated field, as in a form post).
    const body = new URLSearchParams();
    for (const row of rows.children) {
      const name = row.querySelector('[data-testid="field-name"]').value.trim();
      const value = row.querySelector('[data-testid="field-value"]').value;
      if (name === "") {
        if (value !== "") throw { code: "form", message: "Every field with a value needs a name." };
        continue;
      }
      body.append(name, value);
    }
    return body;
  }

  $("add-field").addEventListener("click", () => addRow("", "", true));

  /** The message as composed: receiver, sender, body, and delay and ttl when given. */
  function composed() {
    const message = { sender: $("compose-sender").value.trim(), receiver: $("compose-receiver").value.trim(), body: collectBody() };
    const delay = parseDuration($("compose-delay").value);
    const ttl = parseDuration($("compose-ttl").value);
    if (delay !== undefined) message.delay = delay;
    if (ttl !== undefined) message.ttl = ttl;
    return message;
  }
  const spoken = (d) => (typeof d === "number" ? `${d} ms` : d);

  /** Runs one send job with the buttons disabled; errors go to the form's alert. */
  async function sending(job) {
    error.textContent = "";
    sendButton.disabled = sendManyButton.disabled = true;
    try {
      await job();
    } catch (e) {
      const { code, message } = describeError(e);
      error.textContent = code === "form" ? message : `${message} (${code})`;
      result.hidden = true;
    } finally {
      sendButton.disabled = sendManyButton.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sending(async () => {
      const message = composed();
      const { receiver, delay, ttl } = message;
      const { mid, duplicate } = await getBackend().send(message);
      result.replaceChildren(
        "Sent to ",
        h("strong", {}, receiver),
        delay !== undefined ? ` (delay ${spoken(delay)})` : "",
        ttl !== undefined ? ` (ttl ${spoken(ttl)})` : "",
        ". mid ",
        h("code", { class: "mid-full", dataset: { testid: "send-mid" } }, mid),
        duplicate ? h("span", { class: "note", dataset: { testid: "send-duplicate" } }, " Duplicate: an identical message is already queued, nothing new was enqueued.") : "",
      );
      result.hidden = false;
      onSent?.({ mid, receiver });
    });
  });

  // The same message MANY times, as many per sendBatch call as the core allows. The server stamps each
  // send without a clientTime uniquely, so none of them deduplicates.
  sendManyButton.addEventListener("click", () =>
    sending(async () => {
      const message = composed();
      const batch = maxBatch();
      let sent = 0;
      result.hidden = false;
      while (sent < MANY) {
        const n = Math.min(batch, MANY - sent);
        const receipts = await getBackend().sendBatch(Array.from({ length: n }, () => message));
        sent += receipts.length;
        result.textContent = `Sending… ${sent.toLocaleString("en")} of ${MANY.toLocaleString("en")}`;
      }
      result.replaceChildren(
        "Sent ",
        h("strong", { dataset: { testid: "send-many-count" } }, sent.toLocaleString("en")),
        " messages to ",
        h("strong", {}, message.receiver),
        ` in ${Math.ceil(MANY / batch)} batches of ${batch}.`,
      );
      onSent?.({ receiver: message.receiver });
    }),
  );

  addRow("text", "Hello, pandora!");
  addRow("priority", "normal");
  return { addRow };
}
