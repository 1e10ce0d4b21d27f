/**
 * The standalone HTTP server: node:http (also under Bun and Deno) in front
 * of one `Server`. `/api/…` is the package's HTTP API, as the Worker serves
 * it; every other path is the demo page. `close()` stops accepting, lets
 * in-flight requests finish, then closes the store.
 *
 * @module
 */
import { createServer } from "node:http";
import { handleParts } from "../http.js";
import { BodyTooLarge, requestPartsOf, writeReply } from "./node-bridge.js";
import { serveStatic } from "./static-files.js";

const API = "/api/";

/**
 * An error reply in the package's shape: form `error=…&code=…`, or JSON when asked for.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {number} status
 * @param {string} code
 * @param {string} message
 */
function sendError(req, res, status, code, message) {
  const json = /application\/json/.test(req.headers.accept ?? "");
  const body = json ? JSON.stringify({ error: message, code }) : new URLSearchParams({ error: message, code }).toString();
  res.writeHead(status, { "content-type": json ? "application/json" : "application/x-www-form-urlencoded", "cache-control": "no-store" });
  res.end(body);
}

/**
 * @param {import("../server.js").Server} server
 * @param {{ host: string, port: number, www: boolean, log: (line: string) => void }} options
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function listen(server, { host, port, www, log }) {
  let origin = "";
  const http = createServer(async (req, res) => {
    try {
      if ((req.url ?? "/").startsWith(API)) {
        const parts = await requestPartsOf(req, origin);
        writeReply(await server[handleParts](parts), parts.method, res);
      } else if (www) {
        await serveStatic(req, res);
      } else {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      }
    } catch (err) {
      // The package answers the errors of its operations itself. What reaches
      // here failed around them: the store's lock or commit (a database that
      // went away: `storage`), an oversized body, or a bug (`internal`).
      const tooLarge = err instanceof BodyTooLarge;
      const code = tooLarge ? "bad_request" : /** @type {any} */ (err)?.code === "storage" ? "storage" : "internal";
      if (code === "internal") log(`request failed: ${/** @type {Error} */ (err)?.stack ?? err}`);
      else if (code === "storage") log(`storage failed: ${/** @type {Error} */ (err).message}`);
      if (res.headersSent) res.destroy();
      else sendError(req, res, tooLarge ? 413 : 500, code, tooLarge ? "request body too large" : code === "storage" ? /** @type {Error} */ (err).message : "internal error");
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
