/**
 * The core's vocabularies and limits (statuses, error codes, routes, the
 * message row's slots, limits, option defaults), read from the wasm on first
 * use (modules are evaluated before an entry point initialises the wasm). The
 * package derives its names from these; tests/js/tables.test.js holds
 * index.d.ts and the README to them.
 *
 * @module
 */
import { tables as read } from "../pandora_mq.js";
import { intoWasm } from "./wasm-call.js";

/**
 * @typedef {{ statuses: Record<string, number>, errorCodes: string[], httpErrorCodes: string[], routes: string[],
 *   messageRow: string[], limits: Record<string, number>, defaults: Record<string, unknown>,
 *   statusNames: Record<number, string>, row: Record<string, number> }} Tables
 */

/** @type {Tables | undefined} */
let cached;

/** @returns {Tables} */
export function tables() {
  if (cached) return cached;
  const t = intoWasm(read);
  t.statusNames = Object.fromEntries(Object.entries(t.statuses).map(([name, code]) => [code, name]));
  t.row = Object.fromEntries(t.messageRow.map((/** @type {string} */ name, /** @type {number} */ i) => [name, i]));
  cached = deepFreeze(t);
  return cached;
}

function deepFreeze(value) {
  if (value && typeof value === "object") for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}
