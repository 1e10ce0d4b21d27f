/**
 * A message body in JS: an object of fields (an array value is a repeated
 * field, like Go's url.Values), a URLSearchParams or an encoded string. The
 * one place that turns it into `[name, value, …]` and back.
 *
 * @module
 */

/**
 * `[name, value, …]`; nullish values are absent fields, so one body has one mid
 * in process and over HTTP. `undefined` is an empty body; `null` stays `null`
 * (the core refuses it as `nil_body`).
 * @param {unknown} body
 * @returns {string[] | null}
 */
export function flatFields(body) {
  if (body === null) return null;
  if (body === undefined) return [];
  const pairs = typeof body === "string" || body instanceof URLSearchParams
    ? new URLSearchParams(body)
    : Object.entries(/** @type {object} */ (body));
  const flat = [];
  for (const [name, value] of pairs) {
    if (Array.isArray(value)) {
      for (const v of value) if (v !== undefined && v !== null) flat.push(name, String(v));
    } else if (value !== undefined && value !== null) flat.push(name, String(value));
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
