/**
 * `Request` and `Response` as the wasm core's HTTP layer takes and gives them:
 * the request as named parts (src/wasm/request.rs reads them by these names),
 * the reply as `[status, [name, value, …], bytes]`. `Server.handle` and
 * `routeRequest` both cross this boundary, so they share it.
 *
 * @module
 */

/**
 * Consumes `request`'s body: pass a clone to keep the request usable.
 * @param {Request} request
 */
export async function requestParts(request) {
  const url = new URL(request.url);
  const h = request.headers;
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    contentType: h.get("content-type") ?? undefined,
    accept: h.get("accept") ?? undefined,
    authorization: h.get("authorization") ?? undefined,
    body: new Uint8Array(await request.arrayBuffer()),
  };
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
