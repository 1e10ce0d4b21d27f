// Stats strip and depth chart of the watched mailbox: the server's exact
// counts (`stats`), sampled on every refresh and kept for the last minute.
import { describeError } from "./backend.js";
import { WINDOW_MS, createDepthChart } from "./depth-chart.js";
import { formatSpan } from "./format.js";

export function createStatsView({ root, getBackend, getReceiver }) {
  const $ = (id) => root.querySelector(`[data-testid="${id}"]`);
  const chart = createDepthChart($("depth-chart"));
  const error = $("stats-error");
  let samples = [];
  let sampled = null; // whose samples these are
  let latest = null;
  let inFlight = false;

  function show(stats, now) {
    for (const name of ["ready", "delayed", "leased", "dead"]) $(`stats-${name}`).textContent = stats ? stats[name].toLocaleString("en") : "–";
    const oldest = $("stats-oldest");
    oldest.textContent = stats?.oldestReady == null ? "—" : formatSpan(now - stats.oldestReady);
    oldest.title = stats?.oldestReady == null ? "no ready message" : `due since ${new Date(stats.oldestReady).toISOString()}`;
  }

  /** One sample per time: with a clock that stands still, the latest count replaces the last. */
  function record(stats, now) {
    const sample = { t: now, ready: stats.ready, delayed: stats.delayed, leased: stats.leased, dead: stats.dead };
    if (samples.length && samples.at(-1).t >= now) samples[samples.length - 1] = sample;
    else samples.push(sample);
    samples = samples.filter((s) => s.t >= now - WINDOW_MS);
  }

  async function refresh() {
    const backend = getBackend();
    const who = getReceiver();
    if (!backend || backend.kind === "none" || inFlight) return;
    if (who !== sampled) {
      samples = [];
      sampled = who;
      latest = null;
    }
    if (!who) return render();
    inFlight = true;
    try {
      const stats = await backend.stats(who);
      if (who !== getReceiver() || backend !== getBackend()) return;
      const now = backend.now();
      latest = stats;
      record(stats, now);
      error.textContent = "";
      show(stats, now);
      chart.draw(samples, now);
    } catch (e) {
      const { code, message } = describeError(e);
      error.textContent = `Could not read the counts of ${who}: ${message} (${code})`;
    } finally {
      inFlight = false;
    }
  }

  function render() {
    const now = getBackend()?.now() ?? Date.now();
    show(latest, now);
    chart.draw(samples, now);
  }

  return {
    refresh,
    /** The counts last read (null before the first read of this receiver). */
    latest: () => latest,
    reset() {
      samples = [];
      latest = null;
      error.textContent = "";
      render();
    },
  };
}
