/**
 * Cross-origin access to the HTTP API for the exact origins listed in
 * `PANDORA_CORS_ORIGINS` (comma-separated, e.g. "https://app.example,
 * http://localhost:5173"), the same in every host (the Worker, `serve`).
 * A preflight is answered by the host before the API; every other API reply
 * gets the CORS headers only when the request's Origin is listed. Tokens
 * travel in the Authorization header, never in cookies, so no credentials
 * mode is needed (and none is allowed).
 *
 * @module
 */

const ALLOW_METHODS = "GET, POST";
const ALLOW_HEADERS = "authorization, content-type";
// How long a browser may reuse a preflight: the allow-list changes with a deploy.
const MAX_AGE = "600";

let cached = { text: /** @type {string | undefined} */ (undefined), origins: new Set() };

/**
 * The listed origins; entries that are not an exact origin are logged and left out.
 * @param {Record<string, string | undefined>} env
 * @returns {Set<string>}
 */
function corsOrigins(env) {
  const text = env.PANDORA_CORS_ORIGINS ?? "";
  if (cached.text !== text) {
    const origins = new Set();
    for (const entry of text.split(",").map((s) => s.trim()).filter(Boolean)) {
      let origin = null;
      try {
        origin = new URL(entry).origin;
      } catch {
        // not a URL at all
      }
      if (origin === entry && origin !== "null") origins.add(origin);
      else console.error(`pandora-mq: PANDORA_CORS_ORIGINS: ${JSON.stringify(entry)} is not an exact origin such as https://app.example; ignored`);
    }
    cached = { text, origins };
  }
  return cached.origins;
}

/**
 * The CORS headers of a reply to a request from `origin` (its Origin header,
 * or null): for a preflight (`OPTIONS` with Access-Control-Request-Method,
 * answered 204 with these), always some; for any other reply, null when no
 * origin is listed at all (nothing changes, not even Vary).
 * @param {Record<string, string | undefined>} env
 * @param {{ origin: string | null, preflight: boolean }} request
 * @returns {Record<string, string> | null}
 */
export function corsHeaders(env, { origin, preflight }) {
  const origins = corsOrigins(env);
  const allowed = origin !== null && origins.has(origin);
  if (preflight) {
    /** @type {Record<string, string>} */
    const headers = { Vary: "Origin", "Cache-Control": "no-store" };
    // Without the Allow headers the browser refuses the real request; nothing more to say.
    if (allowed) {
      Object.assign(headers, {
        "Access-Control-Allow-Origin": /** @type {string} */ (origin),
        "Access-Control-Allow-Methods": ALLOW_METHODS,
        "Access-Control-Allow-Headers": ALLOW_HEADERS,
        "Access-Control-Max-Age": MAX_AGE,
      });
    }
    return headers;
  }
  if (!allowed && origins.size === 0) return null;
  return allowed ? { Vary: "Origin", "Access-Control-Allow-Origin": /** @type {string} */ (origin) } : { Vary: "Origin" };
}
