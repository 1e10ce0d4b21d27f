/**
 * `Request` and `Response` as the wasm core's HTTP layer takes and gives them:
 * the request as named parts (src/wasm/request.rs reads them by these names),
 * the reply as `[status, [name, value, …], bytes]`. `Server.handle` and
 * `routeRequest` both cross this boundary, so they share it.
 *
 * @module
 */

/**
 * The key of `Server`'s HTTP entry on these parts and replies themselves,
 * for a host whose requests are not fetch API ones (`pandora-mq serve` on
 * node:http): it skips building a `Request` and a `Response` per call.
 */
export const handleParts = Symbol("pandora-mq handleParts");

/**
 * The parts of one request; `header(name)` gives a header's value (repeats
 * joined with ", ", as `Headers.get` does) or null.
 * @param {string} method
 * @param {URL} url
 * @param {(name: string) => string | null | undefined} header
 * @param {Uint8Array} body
 */
export function partsOf(method, url, header, body) {
  return {
    method,
    path: url.pathname,
    query: url.search.slice(1),
    contentType: header("content-type") ?? undefined,
    accept: header("accept") ?? undefined,
    authorization: header("authorization") ?? undefined,
    body,
  };
}

/**
 * Consumes `request`'s body: pass a clone to keep the request usable.
 * @param {Request} request
 */
export async function requestParts(request) {
  const h = request.headers;
  return partsOf(request.method, new URL(request.url), (name) => h.get(name), new Uint8Array(await request.arrayBuffer()));
}

/**
 * True when a reply of `status` to a request of `method` carries no body:
 * the Response constructor throws on one for these statuses, and HEAD replies carry none.
 * @param {number} status
 * @param {string} method
 */
export const bodyless = (status, method) => status === 204 || status === 304 || method === "HEAD";

/**
 * The core's reply as a `Response` to a request of `method`.
 * @param {[number, string[], Uint8Array]} reply
 * @param {string} method
 */
export function responseOf([status, flat, bytes], method) {
  const headers = new Headers();
  for (let i = 0; i < flat.length; i += 2) headers.append(flat[i], flat[i + 1]);
  return new Response(bodyless(status, method) ? null : bytes, { status, headers });
}
