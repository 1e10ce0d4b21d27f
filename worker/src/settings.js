// The Server options every object (and the Worker's own mailbox-less Server)
// is built with, from the Worker's vars and secrets: PANDORA_ADMIN,
// PANDORA_TOKEN, PANDORA_SIGNING_KEYS, and the production settings
//   PANDORA_MAX_DELIVERIES  "5": deliveries before a message is dead (0 or unset: unlimited)
//   PANDORA_RETRY_BACKOFF   "1s,5m,2" (initial,max,factor; max and factor optional)
//                           or the same as JSON, {"initial":"1s","max":"5m","factor":2}
//   PANDORA_RETENTION       "7d" or ms: pending messages older than this are dropped (unset: forever)
// Values are handed to the package as they are, so its own checks (and error
// codes) apply; a malformed one makes every request fail with that error,
// logged, rather than run with a setting nobody asked for.
import { PandoraError } from "pandora-mq";
import { signingKeysOf } from "./signing-keys.js";

const set = (text) => text !== undefined && text !== "";

/** `PANDORA_RETRY_BACKOFF` as the `retryBackoff` option, or undefined when unset. */
export function retryBackoffOf(text) {
  if (!set(text)) return undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      throw new PandoraError("bad_request", `PANDORA_RETRY_BACKOFF is not valid JSON: ${trimmed}`);
    }
  }
  const [initial, max, factor, ...rest] = trimmed.split(",").map((part) => part.trim());
  if (!initial || rest.length > 0) {
    throw new PandoraError("bad_request", `PANDORA_RETRY_BACKOFF must be "initial,max,factor" (e.g. "1s,5m,2"), got ${JSON.stringify(text)}`);
  }
  return {
    initial,
    ...(max ? { max } : {}),
    ...(factor ? { factor: Number(factor) } : {}),
  };
}

/** `PANDORA_MAX_DELIVERIES` as a number (NaN for text the package then refuses), or undefined. */
const countOf = (text) => (set(text) ? Number(text) : undefined);

/** A duration var: whole milliseconds as a number, a Go duration as text. */
const durationOf = (text) => (set(text) ? (/^\d+$/.test(text.trim()) ? Number(text) : text.trim()) : undefined);

/** Options for `new Server` (without storage) from `env`. */
export function serverSettings(env) {
  const options = {
    admin: env.PANDORA_ADMIN === "on",
    token: env.PANDORA_TOKEN,
    signingKeys: signingKeysOf(env),
    maxDeliveries: countOf(env.PANDORA_MAX_DELIVERIES),
    retryBackoff: retryBackoffOf(env.PANDORA_RETRY_BACKOFF),
    retention: durationOf(env.PANDORA_RETENTION),
  };
  for (const [name, value] of Object.entries(options)) if (value === undefined) delete options[name];
  return options;
}
