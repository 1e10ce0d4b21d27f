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
/** The package files a browser needs (folders and single files); nothing else of the package is served. */
const VENDOR_ROOTS = ["entry", "src", "pandora_mq.js", "pandora_mq_bg.wasm"].map((name) => path.join(PACKAGE, name));

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
 * The decoded segments of a URL path, or null when one could name another
 * folder once decoded (`%2f`, `%5c`, `..`) or holds a NUL.
 * @param {string} pathname
 */
function segmentsOf(pathname) {
  const segments = [];
  for (const raw of pathname.split("/").slice(1)) {
    let segment;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (/[/\\\0]/.test(segment) || segment === "." || segment === "..") return null;
    segments.push(segment);
  }
  return segments;
}

/**
 * True when `file` is `root` itself (a single file) or inside it (a folder).
 * @param {string} root
 * @param {string} file
 */
function within(root, file) {
  const relative = path.relative(root, file);
  return relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * The file for a URL path (dot segments already resolved, as URL does), or
 * null when it is not one of ours. Decided on the resolved file, so no
 * spelling of the path reaches past the allowed folders.
 * @param {string} pathname
 */
function fileFor(pathname) {
  const segments = segmentsOf(pathname);
  if (!segments) return null;
  if (pathname.startsWith(VENDOR)) {
    const file = path.join(PACKAGE, ...segments.slice(VENDOR.split("/").length - 2));
    return VENDOR_ROOTS.some((root) => within(root, file)) ? file : null;
  }
  const file = path.join(WWW, ...segments, ...(pathname.endsWith("/") ? ["index.html"] : []));
  return within(WWW, file) && file !== WWW ? file : null;
}

/** True when the demo page is in this package (it is, once built or packed). */
export async function hasWww() {
  return stat(path.join(WWW, "index.html")).then(() => true, () => false);
}

/**
 * Answers a GET/HEAD for a static file; 404 when there is none.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {URL} url the request's URL, as routed
 */
export async function serveStatic(req, res, url) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed\n");
    return;
  }
  const file = fileFor(url.pathname);
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
