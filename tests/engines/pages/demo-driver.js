/**
 * Drives the demo page from inside it the way a person does: fields found by
 * their label, buttons by their text, results read from what the page shows.
 * Engine-neutral (no Playwright locators), so every engine runs the same steps.
 *
 * @module
 */

/** The control a <label> names; `label` is its whole text, or its start with `prefix`. */
function control(/** @type {string} */ label, prefix = false) {
  const found = [...document.querySelectorAll("label")].filter((l) => {
    const text = (l.textContent ?? "").trim();
    return prefix ? text.startsWith(label) : text === label;
  });
  if (found.length !== 1) throw new Error(`${found.length} labels "${label}"`);
  const input = /** @type {HTMLInputElement | null} */ (found[0].control);
  if (!input) throw new Error(`label "${label}" names no control`);
  return input;
}

/** Types `value` into the field labelled `label` (input and change events, as typing fires). */
export function fill(/** @type {string} */ label, /** @type {string} */ value, prefix = false) {
  const input = control(label, prefix);
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** Presses the visible button whose text is `text`. */
export function press(/** @type {string} */ text) {
  const buttons = [...document.querySelectorAll("button")].filter((b) => (b.textContent ?? "").trim() === text && !b.closest("[hidden]"));
  if (buttons.length !== 1) throw new Error(`${buttons.length} buttons "${text}"`);
  buttons[0].click();
}

/** The text of the element with `data-testid` `id` (inside the row of `mid` if given), or null. */
export function text(/** @type {string} */ id, /** @type {string=} */ mid) {
  const scope = mid ? document.querySelector(`[data-testid="header-row"][data-mid="${mid}"]`) : document;
  return scope?.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
}

/** Whether the row of message `mid` is in the mailbox view. */
export function hasRow(/** @type {string} */ mid) {
  return document.querySelector(`[data-testid="header-row"][data-mid="${mid}"]`) !== null;
}
