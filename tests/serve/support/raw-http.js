/**
 * HTTP/1.1 over a bare TCP socket, for what `fetch` cannot do: keep a
 * request body unfinished, send a URL as written (`%2f`, `..`), see the
 * `Connection` header and whether the server closes the connection.
 *
 * @module
 */
import net from "node:net";
import path from "node:path";
import { BIN, ROOT } from "./serve-process.js";

/** The runtimes serve runs on, as `startServe`'s `command`. */
export const RUNTIMES = [
  { name: "Node", command: [process.execPath, BIN] },
  { name: "Bun", command: [path.join(ROOT, "node_modules/.bin/bun"), BIN] },
  { name: "Deno", command: [path.join(ROOT, "node_modules/.bin/deno"), "run", "-A", BIN] },
];

/** Environment for Deno runs: no update check, no colours in its messages. */
export const RUNTIME_ENV = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };

/**
 * @typedef {{ status: number, headers: Record<string, string>, body: string }} RawReply
 */

/**
 * The first whole reply in `buffer` and the bytes after it, or null while it is incomplete.
 * @param {Buffer} buffer
 * @returns {{ reply: RawReply, rest: Buffer } | null}
 */
function firstReply(buffer) {
  const end = buffer.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const [statusLine, ...lines] = buffer.subarray(0, end).toString("latin1").split("\r\n");
  /** @type {Record<string, string>} */
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine.split(" ")[1]);
  const length = status < 200 || status === 204 || status === 304 ? 0 : Number(headers["content-length"] ?? 0);
  const bodyEnd = end + 4 + length;
  if (buffer.length < bodyEnd) return null;
  return { reply: { status, headers, body: buffer.subarray(end + 4, bodyEnd).toString() }, rest: buffer.subarray(bodyEnd) };
}

/**
 * A connection to the server at `url`: `write` raw request text, `reply()`
 * for the next reply (1xx included), `closed` once the socket is closed.
 * @param {string} url
 */
export function rawConnection(url) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let buffer = Buffer.alloc(0);
  let ended = false;
  /** @type {(() => void)[]} */
  let waiting = [];
  const wake = () => {
    const woken = waiting;
    waiting = [];
    for (const w of woken) w();
  };
  socket.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    wake();
  });
  // A reset after the server closed is expected in these tests: the state is in `closed`.
  socket.on("error", () => {});
  const closed = new Promise((resolve) => socket.once("close", () => resolve(undefined)));
  socket.once("close", () => {
    ended = true;
    wake();
  });
  return {
    socket,
    closed,
    /** @param {string | Buffer} data */
    write(data) {
      return new Promise((resolve) => socket.write(data, () => resolve(undefined)));
    },
    /** @returns {Promise<RawReply>} rejects when the connection closes first */
    reply() {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = firstReply(buffer);
          if (found) {
            buffer = found.rest;
            resolve(found.reply);
          } else if (ended) reject(new Error(`connection closed before a whole reply; got ${JSON.stringify(buffer.toString())}`));
          else waiting.push(check);
        };
        check();
      });
    },
    destroy() {
      socket.destroy();
    },
  };
}

/**
 * The head of a form POST to `path` whose body is `length` bytes long.
 * @param {string} path
 * @param {number} length
 * @param {Record<string, string>} [extra] more headers
 */
export function postHead(path, length, extra = {}) {
  const headers = { host: "x", "content-type": "application/x-www-form-urlencoded", "content-length": String(length), ...extra };
  return `POST ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
}

/**
 * A whole form POST.
 * @param {string} path
 * @param {Record<string, string>} fields
 */
export function post(path, fields) {
  const body = new URLSearchParams(fields).toString();
  return postHead(path, Buffer.byteLength(body)) + body;
}

/**
 * Resolves once `condition()` holds; rejects after `ms`. For waiting on a
 * child process's log line, not for timing what is tested.
 * @param {() => boolean} condition
 * @param {string} what for the error
 * @param {number} [ms]
 */
export async function waitFor(condition, what, ms = 10_000) {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `promise`, or a rejection naming `what` after `ms`.
 * @template T
 * @param {Promise<T>} promise
 * @param {string} what
 * @param {number} ms
 * @returns {Promise<T>}
 */
export function within(promise, what, ms) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms / 1000} s`)), ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, late]).finally(() => clearTimeout(timer)));
}
