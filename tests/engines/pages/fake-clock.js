// Loaded into the demo page before its own scripts (the engine tests' static
// server inserts it): a fake clock the app uses instead of the real time
// (www/js/backend.js reads `window.__pandoraClock`), and a log of the page's
// errors. Plain script, no module: it must run before the app's module.
(() => {
  const KEY = "__pandoraFakeNow";
  const START = Date.UTC(2025, 0, 15, 9, 30, 0);
  // Kept in sessionStorage, so a reload continues where the test left the clock.
  let now = Number(sessionStorage.getItem(KEY)) || START;
  sessionStorage.setItem(KEY, String(now));
  window.__pandoraClock = () => now;
  window.__advanceClock = (ms) => {
    now += ms;
    sessionStorage.setItem(KEY, String(now));
    return now;
  };
  const errors = (window.__pageErrors = []);
  addEventListener("error", (e) => errors.push(`error: ${e.message}`));
  addEventListener("unhandledrejection", (e) => errors.push(`unhandled rejection: ${e.reason}`));
  const consoleError = console.error.bind(console);
  console.error = (...args) => {
    errors.push(`console.error: ${args.map(String).join(" ")}`);
    consoleError(...args);
  };
})();
