// Blob store: the form-encoded body stored under a mid (SHA-1 of the body).
import { describeError } from "./backend.js";
import { fieldsTable, formEntries, h } from "./format.js";

export function createBlobView({ form, getBackend }) {
  const $ = (id) => form.querySelector(`[data-testid="${id}"]`);
  const input = $("blob-mid");
  const output = $("blob-output");
  const error = $("blob-error");

  async function open(mid) {
    input.value = mid;
    error.textContent = "";
    output.replaceChildren();
    if (!mid) {
      input.focus();
      return;
    }
    try {
      const text = await getBackend().blob(mid);
      if (text === null || text === undefined) {
        output.replaceChildren(h("p", { class: "muted", dataset: { testid: "blob-missing" } }, `No blob is stored under ${mid}.`));
        return;
      }
      output.replaceChildren(
        h("p", { class: "blob-label" }, "Stored bytes (form-encoded):"),
        h("pre", { class: "raw", dataset: { testid: "blob-raw" }, tabindex: "0", "aria-label": "Raw blob" }, text),
        fieldsTable(formEntries(text), "blob-fields", "Fields decoded from the blob"),
      );
    } catch (e) {
      const { code, message } = describeError(e);
      error.textContent = `${message} (${code})`;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    open(input.value.trim());
  });

  return {
    async show(mid) {
      await open(mid);
      form.scrollIntoView({ behavior: "smooth", block: "nearest" });
      output.querySelector("pre")?.focus({ preventScroll: true });
    },
    reset() {
      output.replaceChildren();
      error.textContent = "";
    },
  };
}
