/**
 * `Request` and `Response` as the wasm core's HTTP layer takes and gives them:
 * the request as flat arguments, the reply as `[status, [name, value, …], bytes]`.
 * `Server.handle` and `routeRequest` both cross this boundary, so they share it.
 *
 * @module
 */

/**
 * Consumes `request`'s body: pass a clone to keep the request usable.
 * @param {Request} request
 * @returns {Promise<[string, string, string, string | undefined, string | undefined, string | undefined, Uint8Array]>}
 *   method, path, query (no `?`), Content-Type, Accept, Authorization, body
 */
export async function requestParts(request) {
  const url = new URL(request.url);
  const body = new Uint8Array(await request.arrayBuffer());
  const h = request.headers;
  return [
    request.method, url.pathname, url.search.slice(1),
    h.get("content-type") ?? undefined, h.get("accept") ?? undefined, h.get("authorization") ?? undefined, body,
  ];
}

/**
 * The core's reply as a `Response` to a request of `method`.
 * @param {[number, string[], Uint8Array]} reply
 * @param {string} method
 */
export function responseOf([status, flat, bytes], method) {
  const headers = new Headers();
  for (let i = 0; i < flat.length; i += 2) headers.append(flat[i], flat[i + 1]);
  // The Response constructor throws on a body for these statuses; HEAD replies carry none either.
  const empty = status === 204 || status === 304 || method === "HEAD";
  return new Response(empty ? null : bytes, { status, headers });
}
