// The pandora-mq Worker: the HTTP API under /api/ (one Durable Object per
// mailbox), and the demo page from the static assets everywhere else.
import { internalErrorReply } from "pandora-mq";
import { handleApi } from "./api.js";
import { preflight, withCors } from "./cors.js";

export { MailboxObject } from "./mailbox-object.js";

const API = "/api/";

// Said once per isolate, not once per request.
let warnedOpen = false;

export default {
  async fetch(request, env, ctx) {
    // wrangler.toml runs the Worker first only for /api/*; this covers a
    // deployment that runs it for every path.
    if (!new URL(request.url).pathname.startsWith(API)) {
      return env.ASSETS ? env.ASSETS.fetch(request) : new Response("not found", { status: 404 });
    }
    // Answered here: a preflight never reaches a Durable Object.
    const early = preflight(request, env);
    if (early) return early;
    if (env.PANDORA_TOKEN === undefined && env.PANDORA_SIGNING_KEYS === undefined && !warnedOpen) {
      warnedOpen = true;
      console.warn("pandora-mq: neither PANDORA_TOKEN nor PANDORA_SIGNING_KEYS is set, so the API is open to anyone (wrangler secret put PANDORA_TOKEN)");
    }
    let response;
    try {
      response = await handleApi(request, env, ctx);
    } catch (err) {
      console.error("pandora-mq: request failed:", err);
      // The package's own error shape, code internal, in form or JSON as asked.
      response = internalErrorReply(request, "the Worker could not serve this request (see its log)");
    }
    return withCors(request, env, response);
  },
};
