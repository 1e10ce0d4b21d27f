/**
 * The demo page (www/, copied into the package at build time) at `/`, and
 * the package's own browser files under `/vendor/pandora-mq/`, where the page
 * imports them from.
 *
 * @module
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const WWW = path.join(PACKAGE, "www");
const VENDOR = "/vendor/pandora-mq/";
/** The package files a browser needs; nothing else of the package is served. */
const VENDOR_DIRS = ["entry/", "src/", "pandora_mq.js", "pandora_mq_bg.wasm"];

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".ico": "image/x-icon",
};

/**
 * The file for a URL path, or null when it is not one of ours.
 * @param {string} pathname
 */
function fileFor(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  if (decoded.startsWith(VENDOR)) {
    const rest = decoded.slice(VENDOR.length);
    if (!VENDOR_DIRS.some((d) => (d.endsWith("/") ? rest.startsWith(d) : rest === d))) return null;
    const file = path.resolve(PACKAGE, rest);
    return file.startsWith(PACKAGE + path.sep) ? file : null;
  }
  const file = path.resolve(WWW, "." + (decoded.endsWith("/") ? `${decoded}index.html` : decoded));
  return file.startsWith(WWW + path.sep) ? file : null;
}

/** True when the demo page is in this package (it is, once built or packed). */
export async function hasWww() {
  return stat(path.join(WWW, "index.html")).then(() => true, () => false);
}

/**
 * Answers a GET/HEAD for a static file; 404 when there is none.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 */
export async function serveStatic(req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed\n");
    return;
  }
  const file = fileFor(new URL(req.url ?? "/", "http://x").pathname);
  const body = file ? await readFile(file).catch(() => null) : null;
  if (!body) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    return;
  }
  res.writeHead(200, {
    "content-type": TYPES[/** @type {keyof typeof TYPES} */ (path.extname(file))] ?? "application/octet-stream",
    "content-length": String(body.length),
    "cache-control": "no-cache",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}
