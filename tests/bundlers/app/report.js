// Runs the shared round trip on the bundled package and leaves the result on
// `window.__result` (or the error on `window.__error`) for the test to read.
import { roundTrip } from "../../runtimes/scripts/round-trip.js";

/** @param {any} pkg the bundled package's namespace */
export function report(pkg) {
  roundTrip(pkg, `chromium ${navigator.userAgent}`).then(
    (result) => void (/** @type {any} */ (window).__result = result),
    (err) => void (/** @type {any} */ (window).__error = `code=${err?.code} ${err?.stack ?? err}`),
  );
}
