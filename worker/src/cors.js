// Cross-origin access to the API for the exact origins listed in
// PANDORA_CORS_ORIGINS (comma-separated, e.g. "https://app.example,
// http://localhost:5173"). A preflight is answered here, before any Durable
// Object is involved; every other API reply gets the CORS headers only when
// the request's Origin is listed. Tokens travel in the Authorization header,
// never in cookies, so no credentials mode is needed (and none is allowed).

const ALLOW_METHODS = "GET, POST";
const ALLOW_HEADERS = "authorization, content-type";
// How long a browser may reuse a preflight: the allow-list changes with a deploy.
const MAX_AGE = "600";

let cached = { text: undefined, origins: new Set() };

/** The listed origins; entries that are not an exact origin are logged and left out. */
export function corsOrigins(env) {
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

const allowed = (request, env) => {
  const origin = request.headers.get("origin");
  return origin !== null && corsOrigins(env).has(origin) ? origin : null;
};

/** The reply to a CORS preflight, or null when `request` is none. */
export function preflight(request, env) {
  if (request.method !== "OPTIONS" || !request.headers.has("access-control-request-method")) return null;
  const headers = new Headers({ Vary: "Origin", "Cache-Control": "no-store" });
  const origin = allowed(request, env);
  if (origin) {
    headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Access-Control-Allow-Methods", ALLOW_METHODS);
    headers.set("Access-Control-Allow-Headers", ALLOW_HEADERS);
    headers.set("Access-Control-Max-Age", MAX_AGE);
  }
  // Without the headers the browser refuses the real request; nothing more to say.
  return new Response(null, { status: 204, headers });
}

/** `response` with the CORS headers its request's Origin earns. */
export function withCors(request, env, response) {
  const origin = allowed(request, env);
  if (!origin && corsOrigins(env).size === 0) return response;
  const out = new Response(response.body, response); // replies from an object have immutable headers
  out.headers.append("Vary", "Origin");
  if (origin) out.headers.set("Access-Control-Allow-Origin", origin);
  return out;
}
