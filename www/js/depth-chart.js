// Depth chart: how many messages of each kind a mailbox held over the last
// minute, drawn as plain SVG polylines (one per kind), no library.
import { h } from "./format.js";

/** What one sample holds, in drawing order (bottom of the legend first). */
export const SERIES = ["ready", "delayed", "leased", "dead"];
/** How far back the chart looks, in ms. */
export const WINDOW_MS = 60_000;

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 300;
const HEIGHT = 100;

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export function createDepthChart(figure) {
  const plot = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: "none", class: "chart-plot", "aria-hidden": "true" });
  const lines = Object.fromEntries(
    SERIES.map((name) => {
      const line = svg("polyline", { class: `series ${name}`, fill: "none", "vector-effect": "non-scaling-stroke", "data-series": name, "data-count": 0 });
      plot.append(line);
      return [name, line];
    }),
  );
  const top = h("span", { class: "chart-top", dataset: { testid: "chart-max" } }, "");
  const legend = h("ul", { class: "chart-legend" }, SERIES.map((name) => h("li", { class: name }, name)));
  const summary = h("p", { class: "visually-hidden", dataset: { testid: "chart-summary" } });
  figure.querySelector("[data-chart]").replaceChildren(top, plot, legend, summary);

  /** Draws `samples` (`{ t, ready, delayed, leased, dead }`, oldest first) for the minute ending at `now`. */
  function draw(samples, now) {
    const max = Math.max(1, ...samples.map((s) => s.ready + s.delayed + s.leased + s.dead));
    const x = (t) => (((t - (now - WINDOW_MS)) / WINDOW_MS) * WIDTH).toFixed(1);
    const y = (v) => (HEIGHT - (v / max) * (HEIGHT - 4)).toFixed(1);
    for (const name of SERIES) {
      const line = lines[name];
      line.setAttribute("points", samples.map((s) => `${x(s.t)},${y(s[name])}`).join(" "));
      line.dataset.count = String(samples.length);
      line.dataset.last = samples.length ? String(samples.at(-1)[name]) : "";
    }
    top.textContent = samples.length ? `max ${max.toLocaleString("en")}` : "no samples yet";
    const last = samples.at(-1);
    summary.textContent = last ? `Latest: ${SERIES.map((n) => `${last[n]} ${n}`).join(", ")}.` : "";
  }
  return { draw };
}
