/**
 * node:http ⇄ the core's HTTP parts: an IncomingMessage becomes the parts
 * `Server` hands the core (see ../http.js), and the core's reply is written
 * straight to the ServerResponse. No fetch API `Request` or `Response` is
 * built per request: making and reading those (undici's web streams) cost
 * more than the queue operation itself.
 *
 * @module
 */
import { bodyless, partsOf } from "../http.js";

/** Most bytes a request body may have: far above any queue message, far below memory trouble. */
const MAX_BODY = 1 << 20;

/** A client error the bridge answers itself, before the Server sees the request. */
export class BodyTooLarge extends Error {}

/** The client closed its connection before its request body was in: nobody to answer. */
export class ClientGone extends Error {}

/** The headers the core reads (see partsOf), lower-cased. */
const READ = new Set(["content-type", "accept", "authorization"]);

/**
 * The headers the core reads, repeats joined with ", " as `Headers.get` joins
 * them (node's `req.headers` keeps only the first content-type or authorization).
 * @param {string[]} raw `req.rawHeaders`: name, value, name, value, …
 */
function headersRead(raw) {
  /** @type {Map<string, string>} */
  const found = new Map();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (!READ.has(name)) continue;
    const seen = found.get(name);
    found.set(name, seen === undefined ? raw[i + 1] : `${seen}, ${raw[i + 1]}`);
  }
  return found;
}

/**
 * The whole body; rejects with BodyTooLarge past MAX_BODY, at once when the
 * Content-Length says so (the caller then closes the connection rather than
 * read the rest), and with ClientGone when the client leaves mid-body.
 * @param {import("node:http").IncomingMessage} req
 * @returns {Promise<Uint8Array>}
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new BodyTooLarge(`request body over ${MAX_BODY} bytes`);
    if (Number(req.headers["content-length"]) > MAX_BODY) {
      reject(tooLarge());
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    const onData = (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      reject(tooLarge());
    };
    req.on("data", onData);
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    // Either only ever comes from the client's side of the connection. Once
    // the body is in, a late `close` settles nothing.
    req.once("error", () => reject(new ClientGone()));
    req.once("close", () => reject(new ClientGone()));
  });
}

/**
 * The URL of `req` as a fetch API Request would have it (dot segments
 * resolved, escapes kept): the same for routing and for the core, and the
 * same as the Worker sees. A path such as `//x` stays a path. Null for a
 * request target that is no URL.
 * @param {import("node:http").IncomingMessage} req
 * @param {string} origin e.g. "http://127.0.0.1:8787"
 */
export function urlOf(req, origin) {
  const target = req.url ?? "/";
  try {
    return new URL(target.startsWith("/") ? origin + target : target, origin);
  } catch {
    return null;
  }
}

/**
 * @param {import("node:http").IncomingMessage} req
 * @param {URL} url `urlOf(req, origin)`
 */
export async function requestPartsOf(req, url) {
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? new Uint8Array(0) : await readBody(req);
  const headers = headersRead(req.rawHeaders);
  return partsOf(method, url, (name) => headers.get(name), body);
}

/**
 * Writes the core's reply `[status, [name, value, …], bytes]` to a request of `method`.
 * @param {[number, string[], Uint8Array]} reply
 * @param {string} method
 * @param {import("node:http").ServerResponse} res
 */
export function writeReply([status, flat, bytes], method, res) {
  /** @type {Record<string, string>} */
  const headers = {};
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i].toLowerCase();
    headers[name] = name in headers ? `${headers[name]}, ${flat[i + 1]}` : flat[i + 1];
  }
  const empty = bodyless(status, method);
  if (!empty) headers["content-length"] = String(bytes.length);
  res.writeHead(status, headers);
  res.end(empty ? undefined : bytes);
}
