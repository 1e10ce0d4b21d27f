/**
 * node:http ⇄ fetch API: an IncomingMessage becomes a `Request` for
 * `Server.handle`, and the `Response` it gives back is written out.
 *
 * @module
 */

/** Most bytes a request body may have: far above any queue message, far below memory trouble. */
const MAX_BODY = 1 << 20;

/** A client error the bridge answers itself, before the Server sees the request. */
export class BodyTooLarge extends Error {}

/**
 * @param {import("node:http").IncomingMessage} req
 * @param {string} origin e.g. "http://127.0.0.1:8787"
 * @returns {Promise<Request>}
 */
export async function toRequest(req, origin) {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  const method = req.method ?? "GET";
  let body;
  if (method !== "GET" && method !== "HEAD") {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY) throw new BodyTooLarge(`request body over ${MAX_BODY} bytes`);
      chunks.push(chunk);
    }
    body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  }
  return new Request(new URL(req.url ?? "/", origin), { method, headers, body });
}

/**
 * @param {Response} response
 * @param {import("node:http").ServerResponse} res
 */
export async function sendResponse(response, res) {
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
  /** @type {Record<string, string | string[]>} */
  const headers = {};
  for (const [name, value] of response.headers) {
    // Headers joins repeated names with ", " except set-cookie; keep those apart.
    headers[name] = name === "set-cookie" ? response.headers.getSetCookie() : value;
  }
  if (body) headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}
