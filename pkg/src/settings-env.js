/**
 * A deployment's production settings from its `PANDORA_*` variables, read
 * one way by every host that has them (the Worker's vars, `serve`'s
 * environment):
 *
 *   PANDORA_MAX_DELIVERIES  "5": deliveries before a message is dead (0 or unset: unlimited)
 *   PANDORA_RETRY_BACKOFF   "1s,5m,2" (initial,max,factor; max and factor optional)
 *                           or the same as JSON, {"initial":"1s","max":"5m","factor":2}
 *   PANDORA_RETENTION       "168h" (a Go duration: 7 days) or ms: pending messages older than this are dropped (unset: forever)
 *
 * A variable set to "" is unset. Values go to `new Server` as they are, so
 * the package's own checks (and error codes) apply to them.
 *
 * @module
 */

import { PandoraError } from "./error.js";

/** @param {string | undefined} text */
const set = (text) => text !== undefined && text !== "";

/**
 * `PANDORA_RETRY_BACKOFF` as the `retryBackoff` option, or undefined when unset.
 * @param {string | undefined} text
 */
export function retryBackoffOf(text) {
  if (!set(text)) return undefined;
  const trimmed = /** @type {string} */ (text).trim();
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
  return { initial, ...(max ? { max } : {}), ...(factor ? { factor: Number(factor) } : {}) };
}

/**
 * `PANDORA_MAX_DELIVERIES` as a number (NaN for text, which the package then refuses).
 * @param {string | undefined} text
 */
const countOf = (text) => (set(text) ? Number(text) : undefined);

/**
 * A duration variable: whole milliseconds as a number, a Go duration as text.
 * @param {string | undefined} text
 */
const durationOf = (text) => {
  if (!set(text)) return undefined;
  const trimmed = /** @type {string} */ (text).trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
};

/**
 * The `new Server` options `maxDeliveries`, `retryBackoff` and `retention`
 * that `env` sets (unset ones left out).
 * @param {Record<string, string | undefined>} env
 * @returns {{ maxDeliveries?: number, retryBackoff?: object, retention?: number | string }}
 */
export function settingsFromEnv(env) {
  const options = {
    maxDeliveries: countOf(env[VARIABLES.maxDeliveries]),
    retryBackoff: retryBackoffOf(env[VARIABLES.retryBackoff]),
    retention: durationOf(env[VARIABLES.retention]),
  };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/** The variable behind each option `settingsFromEnv` sets. */
export const VARIABLES = {
  maxDeliveries: "PANDORA_MAX_DELIVERIES",
  retryBackoff: "PANDORA_RETRY_BACKOFF",
  retention: "PANDORA_RETENTION",
};

/**
 * Which variable holds a value `new Server` refuses, for an error that
 * names it: each setting is tried alone. Undefined when none does alone.
 * @param {new (options: object) => unknown} Server
 * @param {Record<string, unknown>} settings from `settingsFromEnv`
 * @returns {string | undefined}
 */
export function refusedVariable(Server, settings) {
  for (const [option, value] of Object.entries(settings)) {
    try {
      new Server({ [option]: value });
    } catch {
      return VARIABLES[/** @type {keyof typeof VARIABLES} */ (option)];
    }
  }
  return undefined;
}
