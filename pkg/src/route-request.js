/**
 * `routeRequest`: what the HTTP API would make of a request, without a server.
 *
 * A host that spreads mailboxes over several servers (the Cloudflare Worker:
 * one Durable Object each) must pick the server before any server sees the
 * request. This runs the API's own checks (token, route, admin switch, method,
 * body type, fields) in the wasm core, so the fields it routes by are read
 * exactly as the chosen server will read them, and its refusals are the
 * server's replies, byte for byte.
 *
 * @module
 */
import { checkRequest } from "../pandora_mq.js";
import { PandoraError } from "./error.js";
import { requestParts, responseOf } from "./http.js";
import { intoWasm } from "./wasm-call.js";

/**
 * Resolves to `{ response }`, a refusal to send as is (401, 404, 405, 415, or
 * 400 for unreadable fields), or to `{ route, receiver, lid, mid }`: the
 * operation (one of `tables().routes`) and the first value of each field,
 * undefined when absent. `request` stays unread, ready to be forwarded.
 *
 * A scoped token is checked here as far as the request's fields allow (its
 * operation, and the receiver the request names); an ack's mailbox is only
 * known to the server holding the lid's message, which checks it again.
 *
 * @param {Request} request
 * A scoped token is checked here as far as the request's fields allow (its
 * operation, and the receiver the request names); an ack's mailbox is only
 * known to the server holding the lid's message, which checks it again.
 *
 * @param {{ admin?: boolean, token?: string, signingKeys?: Record<string, string>, clock?: () => number }} [options]
 *   as for `new Server` (checked by the core); `clock` (default `Date.now`) is what token expiry is checked against
 * @returns {Promise<{ response: Response } | { route: string, receiver?: string, lid?: string, mid?: string }>}
 */
export async function routeRequest(request, options = {}) {
  const { clock = Date.now } = options ?? {};
  if (typeof clock !== "function") throw new PandoraError("bad_request", "clock must be a function returning ms");
  // A clock returning NaN would become time 0 in the core, where every token is unexpired.
  const now = clock();
  if (typeof now !== "number" || !Number.isFinite(now)) throw new PandoraError("bad_request", `clock() must return ms, got ${String(now)}`);
  const parts = await requestParts(request.clone());
  const checked = intoWasm(() => checkRequest(parts, options, now));
  return Array.isArray(checked) ? { response: responseOf(checked, request.method) } : checked;
}
