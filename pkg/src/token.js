/**
 * `mintToken`: a scoped bearer token, signed in the wasm core (HMAC-SHA-256).
 *
 * A server given `signingKeys: { [kid]: secret }` accepts the token for the
 * operations and mailboxes it names until it expires, with no storage read.
 * Every argument is checked by the core.
 *
 * @module
 */
import { mintToken as mint } from "../pandora_mq.js";
import { intoWasm } from "./wasm-call.js";

/**
 * @param {{ mailbox: string, ops: string[], expires: number | Date | string, kid: string }} claims
 *   `mailbox` an exact name or a prefix ending in `*`; `ops` from `send`,
 *   `consume`, `admin`; `expires` the last valid moment (ms, a Date or RFC 3339), required
 * @param {string} secret the kid's signing secret (at least 32 bytes)
 * @returns {string} `pmq1.<kid>.<payload>.<mac>`, URL-safe
 */
export function mintToken(claims, secret) {
  return intoWasm(() => mint(claims, secret));
}
