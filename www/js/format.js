// Small pure helpers shared by the views.

export const shortMid = (mid) => (mid ? `${mid.slice(0, 10)}…` : "");

/** 9.6 s · 42 s · 3 min 05 s · 2 h 10 min */
export function formatSpan(ms) {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.floor(s % 60);
  if (m < 60) return `${m} min ${String(rest).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

export function formatTime(ms) {
  if (!ms) return "—";
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toLocaleTimeString([], { hour12: false });
}

/** A delay or lease as typed: "" → undefined, "1500" → 1500 (ms), "10s" → "10s" (Go duration). */
export function parseDuration(text) {
  const t = String(text ?? "").trim();
  if (t === "") return undefined;
  return /^\d+$/.test(t) ? Number(t) : t;
}

/**
 * The package's own body flattening and tables, bound once the wasm package has
 * loaded (backend.js), so the views never repeat what the package defines.
 */
let pkg = null;
export function bindPackage({ flatFields, tables }) {
  pkg = { flatFields, stamped: new Set(tables().stampedFields), maxBatch: tables().limits.maxBatch };
}

/** Most messages one sendBatch call takes (the core's limit). */
export const maxBatch = () => pkg.maxBatch;

/** True for a field the server adds to every stored body (part of what the mid hashes). */
export const isStamped = (name) => pkg?.stamped.has(name) ?? false;

/** The sender's own fields first, then the ones the server stamped (order kept within each). */
function ownFirst(flat) {
  const pairs = [];
  for (let i = 0; i < (flat ?? []).length; i += 2) pairs.push([flat[i], flat[i + 1]]);
  return [...pairs.filter(([name]) => !isStamped(name)), ...pairs.filter(([name]) => isStamped(name))];
}

/** Fields of a body object as [name, value] pairs, repeated fields spread out. */
export const bodyEntries = (body) => ownFirst(pkg.flatFields(body ?? {}));

/** A form-encoded string as [name, value] pairs. */
export const formEntries = (text) => ownFirst(pkg.flatFields(text ?? ""));

/** Creates an element: h("span", { class: "x", dataset: { testid: "y" } }, "text", child) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A two-column table of fields; `testid` names the table. Server-stamped fields are marked. */
export function fieldsTable(entries, testid, caption) {
  if (entries.length === 0) return h("p", { class: "muted", dataset: { testid } }, "No fields.");
  return h(
    "table",
    { class: "fields", dataset: { testid } },
    caption ? h("caption", { class: "visually-hidden" }, caption) : null,
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, "Value"))),
    h(
      "tbody",
      {},
      entries.map(([name, value]) =>
        h(
          "tr",
          { class: isStamped(name) ? "stamped" : null, title: isStamped(name) ? "added by the server" : null },
          h("th", { scope: "row" }, name, isStamped(name) ? h("span", { class: "tag" }, "server") : null),
          h("td", {}, value === "" ? h("span", { class: "muted" }, "(empty)") : value),
        ),
      ),
    ),
  );
}
