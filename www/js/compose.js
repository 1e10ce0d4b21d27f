// Compose: receiver, sender, delay and any number of body fields; shows the new mid.
import { describeError } from "./backend.js";
import { h, parseDuration } from "./format.js";

let rowSeq = 0;

export function createCompose({ form, getBackend, onSent }) {
  const $ = (id) => form.querySelector(`[data-testid="${id}"]`);
  const rows = $("field-rows");
  const result = $("send-result");
  const error = $("send-error");
  const sendButton = $("send-button");

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

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    sendButton.disabled = true;
    try {
      const receiver = $("compose-receiver").value.trim();
      const sender = $("compose-sender").value.trim();
      const delay = parseDuration($("compose-delay").value);
      const message = { sender, receiver, body: collectBody() };
      if (delay !== undefined) message.delay = delay;
      const { mid, duplicate } = await getBackend().send(message);
      result.replaceChildren(
        "Sent to ",
        h("strong", {}, receiver),
        delay !== undefined ? ` (delay ${typeof delay === "number" ? `${delay} ms` : delay})` : "",
        ". mid ",
        h("code", { class: "mid-full", dataset: { testid: "send-mid" } }, mid),
        duplicate ? h("span", { class: "note", dataset: { testid: "send-duplicate" } }, " Duplicate: an identical message is already queued, nothing new was enqueued.") : "",
      );
      result.hidden = false;
      onSent?.({ mid, receiver });
    } catch (e) {
      const { code, message } = describeError(e);
      error.textContent = code === "form" ? message : `${message} (${code})`;
      result.hidden = true;
    } finally {
      sendButton.disabled = false;
    }
  });

  addRow("text", "Hello, pandora!");
  addRow("priority", "normal");
  return { addRow };
}
