/**
 * A read-only static server for the browser tests: serves folders of the repo
 * under URL prefixes, plus an empty page at "/" for the browser to live on
 * (IndexedDB and Web Locks need a real http origin). `.wasm` is served as
 * `application/wasm`, which WebAssembly.instantiateStreaming requires.
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
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
};

/**
 * Starts the server on a random port of 127.0.0.1.
 * @param {Record<string, string>} [mounts] URL prefix (ending in "/") -> folder
 * @returns {Promise<{ origin: string, close: () => Promise<void> }>}
 */
export async function startStaticServer(mounts = DEFAULT_MOUNTS) {
  const server = createServer((req, res) => {
    serve(mounts, req, res).catch(() => res.writeHead(500).end());
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
 */
async function serve(mounts, req, res) {
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
  if (pathname === "/") {
    res.writeHead(200, { "content-type": TYPES[".html"] });
    res.end("<!doctype html><title>pandora-mq browser tests</title>");
    return;
  }
  const mount = Object.keys(mounts).find((prefix) => pathname.startsWith(prefix));
  const dir = mount && mounts[mount];
  const file = dir && path.join(dir, decodeURIComponent(pathname.slice(mount.length)));
  // Refuse anything that escapes its mount ("..").
  if (!dir || !file || !file.startsWith(dir + path.sep)) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(file);
    const type = TYPES[/** @type {keyof TYPES} */ (path.extname(file))] ?? "application/octet-stream";
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
}
