/**
 * The standalone HTTP server: node:http (also under Bun and Deno) in front
 * of one `Server`. `/api/…` is the package's HTTP API, as the Worker serves
 * it; every other path is the demo page. `close()` stops accepting, lets
 * in-flight requests finish, then closes the store.
 *
 * @module
 */
import { createServer } from "node:http";
import { BodyTooLarge, sendResponse, toRequest } from "./node-bridge.js";
import { serveStatic } from "./static-files.js";

const API = "/api/";

/**
 * @param {{ handle(request: Request): Promise<Response> }} server
 * @param {{ host: string, port: number, www: boolean, log: (line: string) => void }} options
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function listen(server, { host, port, www, log }) {
  let origin = "";
  const http = createServer(async (req, res) => {
    try {
      if ((req.url ?? "/").startsWith(API)) {
        await sendResponse(await server.handle(await toRequest(req, origin)), res);
      } else if (www) {
        await serveStatic(req, res);
      } else {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      }
    } catch (err) {
      // The package answers its own errors (storage failures are 500 code=storage);
      // this is only for what happens around it.
      const tooLarge = err instanceof BodyTooLarge;
      if (!tooLarge) log(`request failed: ${/** @type {Error} */ (err)?.stack ?? err}`);
      if (!res.headersSent) {
        const status = tooLarge ? 413 : 500;
        res.writeHead(status, { "content-type": "application/x-www-form-urlencoded", connection: "close" });
        res.end(`error=${encodeURIComponent(tooLarge ? "request body too large" : "internal error")}&code=${tooLarge ? "bad_request" : "internal"}`);
      } else res.destroy();
    }
  });
  http.keepAliveTimeout = 30_000;
  await new Promise((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (http.address());
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  origin = `http://${shownHost}:${address.port}`;
  return {
    url: origin,
    port: address.port,
    close() {
      return new Promise((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections?.();
      });
    },
  };
}
