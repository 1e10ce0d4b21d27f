/**
 * Replies a host writes without a server, made by the core in the API's own
 * shape (form or JSON as the request's Accept asks, the standard headers), so
 * a host never writes a reply by hand: the summed count of a reenqueue over
 * many servers, and the host's own failure as code `internal`.
 *
 * @module
 */
import { countReply as count, internalReply as internal } from "../pandora_mq.js";
import { responseOf } from "./http.js";
import { intoWasm } from "./wasm-call.js";

const acceptOf = (request) => request.headers.get("accept") ?? undefined;

/**
 * `count=<n>` (or JSON), exactly as one server's `admin/reenqueue` replies.
 * @param {Request} request
 * @param {number} n
 */
export function countReply(request, n) {
  return responseOf(intoWasm(() => count(acceptOf(request), n)), request.method);
}

/**
 * 500 with code `internal` and the message `internal error: <why>`.
 * @param {Request} request
 * @param {string} why
 */
export function internalErrorReply(request, why) {
  return responseOf(intoWasm(() => internal(acceptOf(request), String(why))), request.method);
}
