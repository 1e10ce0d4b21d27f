// The pandora-mq Worker: the HTTP API under /api/ (one Durable Object per
// mailbox), and the demo page from the static assets everywhere else.
import { handleApi } from "./api.js";
import { authorized } from "./auth.js";
import { failure, replyFormat, unauthorized } from "./reply.js";

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
    const format = replyFormat(request);
    if (typeof env.PANDORA_TOKEN === "string") {
      if (!(await authorized(request, env.PANDORA_TOKEN))) return unauthorized(format);
    } else if (!warnedOpen) {
      warnedOpen = true;
      console.warn("pandora-mq: PANDORA_TOKEN is not set, so the API is open to anyone (set it: wrangler secret put PANDORA_TOKEN)");
    }
    try {
      return await handleApi(request, env, ctx);
    } catch (e) {
      // A Durable Object that could not be reached, say: the outcome is unknown,
      // so the client should retry (a send with a clientTime deduplicates).
      console.error("pandora-mq:", e);
      return failure(format, 500, "internal", `internal error: ${e?.message ?? e}`);
    }
  },
};
