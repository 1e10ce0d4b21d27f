/**
 * The standalone HTTP server: node:http (also under Bun and Deno) in front
 * of one `Server`. `/api/…` is the package's HTTP API, as the Worker serves
 * it; every other path is the demo page. `close()` stops accepting, closes
 * idle connections, answers the requests in flight with `Connection: close`
 * (a long poll at once, with what it has: nothing) and closes their
 * connections once answered; what is still open after the grace period is
 * cut. A long poll whose client hangs up ends too, leasing nothing more.
 *
 * @module
 */
import { createServer } from "node:http";
import { corsHeaders } from "../cors.js";
import { handleParts } from "../http.js";
import { BodyTooLarge, ClientGone, requestPartsOf, urlOf, writeReply } from "./node-bridge.js";
import { serveStatic } from "./static-files.js";

const API = "/api/";

/**
 * How long a connection stays open after the reply that ends it has been
 * sent: time for the client to read that reply (a reset can discard it) but
 * not to keep a connection, or an endless body, going.
 */
const LINGER_MS = 1_000;

/** @typedef {import("node:http").IncomingMessage} Req */
/** @typedef {import("node:http").ServerResponse} Res */
/** @typedef {import("node:net").Socket} Socket */

/**
 * Makes `res` the last reply on its connection: it says `Connection: close`
 * (node:http, Bun and Deno then close the connection after it).
 * @param {Res} res
 */
function lastReply(res) {
  if (res.headersSent) return;
  res.setHeader("connection", "close");
  res.shouldKeepAlive = false;
}

/** @type {WeakSet<Socket>} connections already closing */
const closing = new WeakSet();

/**
 * Closes `socket` after its last reply without resetting it: closing with
 * request bytes still unread makes the kernel send a reset, which can discard
 * the reply before the client has read it. So the reply and a FIN first, what
 * the client still sends read and dropped for LINGER_MS, then destroy.
 * @param {Socket} socket
 */
function closeSoon(socket) {
  if (closing.has(socket)) return;
  closing.add(socket);
  socket.end();
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/**
 * Makes `res` the last reply of a connection whose request body is left
 * unread. node:http ends such a connection with `destroySoon`, which
 * destroys it as soon as the reply is handed to the kernel: closeSoon instead.
 * @param {Req} req
 * @param {Res} res
 */
function lastReplyBeforeBody(req, res) {
  const socket = req.socket;
  lastReply(res);
  socket.destroySoon = () => closeSoon(socket);
  res.once("finish", () => closeSoon(socket));
}

/**
 * The server's connections and the requests in flight on each, so a stop can
 * close an idle connection at once and a busy one right after its reply.
 * @param {import("node:http").Server} http
 */
function connections(http) {
  /** @type {Map<Socket, number>} requests in flight per open connection */
  const inFlight = new Map();
  /**
   * Replies not yet sent, each with what ends its long poll: the client
   * leaving, or the server stopping (the poll then answers at once).
   * @type {Map<Res, AbortController>}
   */
  const unsent = new Map();
  let stopping = false;

  http.on("connection", (/** @type {Socket} */ socket) => {
    inFlight.set(socket, 0);
    socket.once("close", () => inFlight.delete(socket));
  });

  /**
   * @param {Socket} socket
   * @param {Res} res
   */
  const settled = (socket, res) => {
    unsent.delete(res);
    const left = (inFlight.get(socket) ?? 1) - 1;
    if (!inFlight.has(socket)) return;
    inFlight.set(socket, left);
    if (stopping && left === 0) closeSoon(socket);
  };

  return {
    /**
     * Counts a request in flight on its connection until its reply is sent
     * or dropped. Returns the signal that ends its long poll, if it is one:
     * a poll held for a client who hung up would lease a message to nobody.
     * @param {Req} req
     * @param {Res} res
     * @returns {AbortSignal}
     */
    track(req, res) {
      const socket = req.socket;
      inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
      const poll = new AbortController();
      unsent.set(res, poll);
      if (stopping) {
        lastReply(res);
        poll.abort();
      }
      let done = false;
      const once = () => {
        if (done) return;
        done = true;
        settled(socket, res);
      };
      res.once("finish", once);
      res.once("close", () => {
        if (!res.writableFinished) poll.abort(); // the client left first
        once();
      });
      return poll.signal;
    },
    /** From now on every reply is its connection's last, long polls answer now, idle connections close now. */
    stop() {
      stopping = true;
      for (const [res, poll] of unsent) {
        lastReply(res);
        poll.abort();
      }
      for (const [socket, requests] of inFlight) if (requests === 0) socket.destroy();
    },
    /** Closes every connection at once; returns how many were open. */
    closeAll() {
      const open = inFlight.size;
      http.closeAllConnections?.();
      // Where closeAllConnections is missing or misses some (Bun, Deno), ours.
      for (const socket of inFlight.keys()) socket.destroy();
      return open;
    },
  };
}

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
  res.writeHead(status, {
    "content-type": json ? "application/json" : "application/x-www-form-urlencoded",
    "cache-control": "no-store",
    "content-length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/**
 * The reply to a request that failed around the package's operations: the
 * store's lock or commit (a database that went away: `storage`), an oversized
 * body, a client that left, or a bug (`internal`).
 * @param {Req} req
 * @param {Res} res
 * @param {unknown} err
 * @param {(line: string) => void} log
 */
function answerFailure(req, res, err, log) {
  if (err instanceof ClientGone) {
    res.destroy();
    return;
  }
  if (err instanceof BodyTooLarge && !res.headersSent) {
    // The rest of the body is never read: the connection ends with this reply.
    lastReplyBeforeBody(req, res);
    sendError(req, res, 413, "bad_request", "request body too large");
    return;
  }
  const storage = /** @type {any} */ (err)?.code === "storage";
  if (storage) log(`storage failed: ${/** @type {Error} */ (err).message}`);
  else log(`request failed: ${/** @type {Error} */ (err)?.stack ?? err}`);
  if (res.headersSent) res.destroy();
  else sendError(req, res, 500, storage ? "storage" : "internal", storage ? /** @type {Error} */ (err).message : "internal error");
}

/**
 * @param {import("../server.js").Server} server
 * @param {{ host: string, port: number, www: boolean, log: (line: string) => void, cors?: Record<string, string | undefined> }} options
 *   `cors`: the PANDORA_CORS_ORIGINS setting, as the Worker reads it
 * @returns {Promise<{ url: string, port: number, close(graceMs: number): Promise<number>, closeNow(): void }>}
 *   `close` resolves with the number of connections it had to cut after `graceMs`
 */
export async function listen(server, { host, port, www, log, cors = {} }) {
  let origin = "";
  const http = createServer(async (req, res) => {
    const polling = open.track(req, res);
    try {
      // Routed on the URL the core reads, so `/x/../api/…` is the API and `/api/../x` is not.
      const url = urlOf(req, origin);
      if (!url) {
        sendError(req, res, 400, "bad_request", "the request target is not a URL");
      } else if (url.pathname.startsWith(API)) {
        const origin = req.headers.origin ?? null;
        if (req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
          // A preflight is the host's to answer, as in the Worker: the API never sees it.
          res.writeHead(204, corsHeaders(cors, { origin, preflight: true }) ?? {}).end();
          return;
        }
        // Set first, so error replies (refusals, a failed store) carry them too.
        for (const [name, value] of Object.entries(corsHeaders(cors, { origin, preflight: false }) ?? {})) res.setHeader(name, value);
        const parts = await requestPartsOf(req, url);
        writeReply(await server[handleParts](parts, polling), parts.method, res);
      } else if (www) {
        await serveStatic(req, res, url);
      } else {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      }
    } catch (err) {
      answerFailure(req, res, err, log);
    }
  });
  const open = connections(http);
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
    close(graceMs) {
      return new Promise((resolve) => {
        // Resolves at the cut without waiting for the runtime to count the
        // destroyed connections closed: nothing is left to wait for.
        const cut = setTimeout(() => resolve(open.closeAll()), graceMs);
        http.close(() => {
          clearTimeout(cut);
          resolve(0);
        });
        open.stop();
        http.closeIdleConnections?.();
      });
    },
    closeNow() {
      open.closeAll();
    },
  };
}
