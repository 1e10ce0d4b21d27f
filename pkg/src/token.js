/**
 * `mintToken`: a scoped bearer token, signed in the wasm core (HMAC-SHA-256).
 *
 * A server given `signingKeys: { [kid]: secret }` accepts the token for the
 * operations and mailboxes it names until it expires, with no storage read.
 *
 * @module
 */
import { mintToken as mint } from "../pandora_mq.js";
import { PandoraError } from "./error.js";

/**
 * @param {{ mailbox: string, ops: string[], expires: number | Date, kid: string }} claims
 *   `mailbox` an exact name or a prefix ending in `*`; `ops` from `send`,
 *   `consume`, `admin`; `expires` the last valid moment (ms or a Date), required
 * @param {string} secret the kid's signing secret (at least 32 bytes)
 * @returns {string} `pmq1.<kid>.<payload>.<mac>`, URL-safe
 */
export function mintToken({ mailbox, ops, expires, kid } = /** @type {any} */ ({}), secret) {
  if (typeof mailbox !== "string") throw new PandoraError("invalid_mailbox", "mailbox must be a string: a name, or a prefix ending in *");
  if (!Array.isArray(ops) || !ops.every((op) => typeof op === "string")) {
    throw new PandoraError("bad_request", 'ops must be an array of "send", "consume", "admin"');
  }
  const at = expires instanceof Date ? expires.getTime() : expires;
  if (typeof at !== "number" || !Number.isFinite(at)) throw new PandoraError("out_of_range", "expires is required: a time in ms (or a Date)");
  if (typeof kid !== "string") throw new PandoraError("bad_request", "kid must be a string");
  if (typeof secret !== "string") throw new PandoraError("bad_request", "secret must be a string");
  try {
    return mint(mailbox, ops, at, kid, secret);
  } catch (e) {
    throw PandoraError.from(e);
  }
}
