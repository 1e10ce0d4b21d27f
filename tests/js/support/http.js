/**
 * Builds `Request`s for `server.handle()` the way an HTTP client would send them.
 *
 * @module
 */

const ORIGIN = "http://queue.test";

/**
 * A POST of form fields.
 * @param {string} path
 * @param {Record<string, string>} fields
 * @param {Record<string, string>} [headers]
 */
export function postForm(path, fields, headers = {}) {
  return new Request(`${ORIGIN}${path}`, { method: "POST", body: new URLSearchParams(fields), headers });
}

/**
 * A GET with query fields.
 * @param {string} path
 * @param {Record<string, string>} [query]
 * @param {Record<string, string>} [headers]
 */
export function get(path, query = {}, headers = {}) {
  const url = new URL(`${ORIGIN}${path}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return new Request(url, { headers });
}

/** The response body as form fields. @param {Response} res */
export async function formOf(res) {
  return Object.fromEntries(new URLSearchParams(await res.text()));
}
