/**
 * The one read-only static server of the browser tests, the demo's e2e test
 * and the benchmarks: serves folders under URL prefixes (a folder's
 * `index.html` for a path ending in "/"), and an empty page at "/" when no
 * folder is mounted there, for the browser to live on (IndexedDB and Web Locks
 * need a real http origin). `.wasm` is served as `application/wasm`, which
 * WebAssembly.instantiateStreaming requires.
 *
 * @module
 */
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(fileURLToPath(new URL("../../..", import.meta.url)));

/** What the browser tests load: the package sources, the built package, the shared suites. */
export const DEFAULT_MOUNTS = {
  "/pkg/src/": path.join(ROOT, "pkg/src"),
  "/tests/js/": path.join(ROOT, "tests/js"),
  "/node_modules/pandora-mq/": path.join(ROOT, "node_modules/pandora-mq"),
};

const TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
};

/**
 * Changes a served file's body on its way out, e.g. to put a test hook into a
 * page before its own scripts: returns the new body, or undefined to keep it.
 * @typedef {(pathname: string, body: Buffer) => Buffer | string | undefined} Rewrite
 */

/**
 * Starts the server on a random port of 127.0.0.1.
 * @param {Record<string, string>} [mounts] URL prefix (ending in "/") -> folder
 * @param {{ rewrite?: Rewrite }} [options]
 * @returns {Promise<{ origin: string, close: () => Promise<void> }>}
 */
export async function startStaticServer(mounts = DEFAULT_MOUNTS, { rewrite } = {}) {
  const server = createServer((req, res) => {
    serve(mounts, req, res, rewrite).catch(() => res.writeHead(500).end());
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * @param {Record<string, string>} mounts
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {Rewrite} [rewrite]
 */
async function serve(mounts, req, res, rewrite) {
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
  if (pathname === "/" && !mounts["/"]) {
    res.writeHead(200, { "content-type": TYPES[".html"] });
    res.end("<!doctype html><title>pandora-mq browser tests</title>");
    return;
  }
  const mount = Object.keys(mounts).find((prefix) => pathname.startsWith(prefix));
  const dir = mount && path.resolve(mounts[mount]); // no trailing separator, for the check below
  const rest = mount ? decodeURIComponent(pathname.slice(mount.length)) : "";
  const file = dir && path.join(dir, rest === "" || rest.endsWith("/") ? `${rest}index.html` : rest);
  // Refuse anything that escapes its mount ("..").
  if (!dir || !file || !file.startsWith(dir + path.sep)) {
    res.writeHead(404).end();
    return;
  }
  try {
    const read = await readFile(file);
    const body = rewrite?.(pathname, read) ?? read;
    const type = TYPES[/** @type {keyof TYPES} */ (path.extname(file))] ?? "application/octet-stream";
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
}
