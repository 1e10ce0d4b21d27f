// Cross-origin access to the API (PANDORA_CORS_ORIGINS), as the package
// defines it for every host (`corsHeaders`): a preflight is answered here,
// before any Durable Object is involved; other replies get their headers.
import { corsHeaders } from "pandora-mq";

/** The reply to a CORS preflight, or null when `request` is none. */
export function preflight(request, env) {
  if (request.method !== "OPTIONS" || !request.headers.has("access-control-request-method")) return null;
  return new Response(null, { status: 204, headers: corsHeaders(env, { origin: request.headers.get("origin"), preflight: true }) });
}

/** `response` with the CORS headers its request's Origin earns. */
export function withCors(request, env, response) {
  const headers = corsHeaders(env, { origin: request.headers.get("origin"), preflight: false });
  if (!headers) return response;
  const out = new Response(response.body, response); // replies from an object have immutable headers
  for (const [name, value] of Object.entries(headers)) {
    if (name === "Vary") out.headers.append(name, value);
    else out.headers.set(name, value);
  }
  return out;
}
