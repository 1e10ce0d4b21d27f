/**
 * The names the JS API's calls read from their option objects, each list
 * defined once for the Server and the Mailbox alike: a misspelt name
 * (`dealy`, the HTTP field `leaseTime`) is refused as `bad_request`, never
 * silently left at its default. The Server's constructor options are the
 * core's to check (src/wasm/server.rs).
 *
 * @module
 */
import { PandoraError } from "./error.js";

/** A message to send, as `send` and each `sendBatch` item take it. */
export const SEND_INPUT = ["sender", "receiver", "delay", "clientTime", "ttl", "body"];
/** `fetchLatest(receiver, options)`. */
export const FETCH_OPTIONS = ["lease", "wait", "signal"];
/** `fetchBatch(receiver, options)`. */
export const FETCH_BATCH_OPTIONS = ["max", ...FETCH_OPTIONS];

/**
 * `options`, once every name in it is one of `known`.
 * @template T
 * @param {T} options
 * @param {string} what the call, for the message
 * @param {string[]} known
 * @returns {T}
 */
export function known(options, what, known) {
  if (options === undefined || options === null || typeof options !== "object") return options;
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw new PandoraError("bad_request", `${what} has no option ${JSON.stringify(name)} (known: ${known.join(", ")})`);
    }
  }
  return options;
}
