// The one table `node benches/run.js` prints.

const COLUMNS = ["name", "value", "unit", "baseline", "baseline value", "ratio", "min / median / max", "target"];

/** Compact number: 12345 -> "12,345", 0.01234 -> "0.01234". */
export function num(x) {
  if (x === null || x === undefined) return "–";
  if (typeof x !== "number") return String(x);
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString("en-US");
  return String(Number(x.toPrecision(4)));
}

function row(e) {
  if (e.value === null) {
    return [e.name, "n/a", e.unit ?? "", e.baseline ?? "", "–", "–", `not available: ${e.error}`, e.target ?? ""];
  }
  const target = e.target ? `${e.target_met ? "met" : "MISSED"}: ${e.target}` : "";
  return [
    `${e.name}${e.package_changed ? " *" : ""}`, num(e.value), e.unit, e.baseline ?? "", num(e.baseline_value),
    e.ratio === null ? "–" : `${num(e.ratio)}×`,
    e.min === null || e.min === undefined ? "–" : `${num(e.min)} / ${num(e.median)} / ${num(e.max)}`,
    target,
  ];
}

/** Renders entries (not the machine entry) as a plain-text table. */
export function renderTable(entries) {
  const rows = [COLUMNS, ...entries.filter((e) => e.name !== "machine").map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join(" | ").trimEnd();
  return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.slice(1).map(line)].join("\n");
}

/** The same rows as a Markdown table (for benches/README.md). */
export function renderMarkdown(entries) {
  const rows = entries.filter((e) => e.name !== "machine").map(row);
  const esc = (c) => String(c).replace(/\|/g, "\\|");
  return [
    `| ${COLUMNS.join(" | ")} |`,
    `| ${COLUMNS.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n");
}
