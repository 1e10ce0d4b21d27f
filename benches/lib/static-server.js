// A small static file server for the Chromium benchmark: folders mounted
// under URL prefixes, a blank page at "/", `.wasm` as application/wasm (so
// the browser can compile while downloading), on 127.0.0.1 at a free port.

import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".html": "text/html; charset=utf-8",
};

const PAGE = "<!doctype html><meta charset=utf-8><title>pandora-mq bench</title><p>benchmark page</p>";

/**
 * @param {Record<string, string>} mounts URL prefix ("/pandora-mq/") -> folder
 * @returns {Promise<{ origin: string, close: () => Promise<void> }>}
 */
export async function serveStatic(mounts) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/" || path === "/index.html") {
      res.writeHead(200, { "content-type": TYPES[".html"] }).end(PAGE);
      return;
    }
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    if (!prefix) return void res.writeHead(404).end("not found");
    const root = mounts[prefix];
    const file = normalize(join(root, path.slice(prefix.length)));
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return void res.writeHead(403).end("forbidden");
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
