/**
 * A message body in JS: an object of fields (an array value is a repeated
 * field, like Go's url.Values), a URLSearchParams or an encoded string. The
 * one place that turns it into `[name, value, …]` and back.
 *
 * @module
 */
import { PandoraError } from "./error.js";

/** A field's value as the form carries it: only what has one text form. */
const SCALARS = new Set(["string", "number", "boolean", "bigint"]);

/**
 * `[name, value, …]`; nullish values are absent fields, so one body has one mid
 * in process and over HTTP. `undefined` is an empty body; `null` stays `null`
 * (the core refuses it as `nil_body`). A body of another kind, or a field
 * holding an object (which would travel as "[object Object]"), is
 * `bad_request`, as over HTTP.
 * @param {unknown} body
 * @param {number} [item] the index of a batch item, for the message
 * @returns {string[] | null}
 */
export function flatFields(body, item) {
  if (body === null) return null;
  if (body === undefined) return [];
  const where = item === undefined ? "" : `item ${item}: `;
  if (typeof body !== "string" && typeof body !== "object") {
    throw new PandoraError("bad_request", `${where}body must be an object of fields, a URLSearchParams or a form-encoded string, got a ${typeof body}`);
  }
  const pairs = typeof body === "string" || body instanceof URLSearchParams
    ? new URLSearchParams(body)
    : Object.entries(/** @type {object} */ (body));
  const flat = [];
  /** @param {string} name @param {unknown} value */
  const push = (name, value) => {
    if (value === undefined || value === null) return;
    if (!SCALARS.has(typeof value)) {
      throw new PandoraError("bad_request", `${where}body field ${JSON.stringify(name)} is ${Array.isArray(value) ? "an array inside an array" : `of type ${typeof value}`}: a field is a string, number or boolean, or an array of them (a repeated field)`);
    }
    flat.push(name, String(value));
  };
  for (const [name, value] of pairs) {
    if (Array.isArray(value)) for (const v of value) push(name, v);
    else push(name, value);
  }
  return flat;
}

/**
 * An object of fields from `[name, value, …]`; a repeated name becomes an array.
 * @param {string[]} flat
 * @returns {Record<string, string | string[]>}
 */
export function bodyObject(flat) {
  /** @type {Record<string, string | string[]>} */
  const body = {};
  for (let i = 0; i < flat.length; i += 2) {
    const [name, value] = [flat[i], flat[i + 1]];
    const seen = body[name];
    if (seen === undefined) body[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else body[name] = [seen, value];
  }
  return body;
}
