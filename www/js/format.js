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

/** The sender's own fields first, then the ones the server stamped (order kept within each). */
const ownFirst = (entries) => [
  ...entries.filter(([name]) => !STAMPED_FIELDS.has(name)),
  ...entries.filter(([name]) => STAMPED_FIELDS.has(name)),
];

/** Fields of a body object as [name, value] pairs, repeated fields spread out. */
export function bodyEntries(body) {
  const out = [];
  for (const [name, value] of Object.entries(body ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, String(v)]);
  }
  return ownFirst(out);
}

/** A form-encoded string as [name, value] pairs. */
export function formEntries(text) {
  return ownFirst([...new URLSearchParams(text ?? "")]);
}

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

/** Fields the server adds to every stored body (they are part of what the mid hashes). */
export const STAMPED_FIELDS = new Set(["sender", "receiver", "clientTime", "p-server", "p-nonce"]);

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
          { class: STAMPED_FIELDS.has(name) ? "stamped" : null, title: STAMPED_FIELDS.has(name) ? "added by the server" : null },
          h("th", { scope: "row" }, name, STAMPED_FIELDS.has(name) ? h("span", { class: "tag" }, "server") : null),
          h("td", {}, value === "" ? h("span", { class: "muted" }, "(empty)") : value),
        ),
      ),
    ),
  );
}
