// The pandora-mq Worker: the HTTP API under /api/ (one Durable Object per
// mailbox), and the demo page from the static assets everywhere else.
import { internalErrorReply } from "pandora-mq";
import { handleApi } from "./api.js";

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
    if (env.PANDORA_TOKEN === undefined && !warnedOpen) {
      warnedOpen = true;
      console.warn("pandora-mq: PANDORA_TOKEN is not set, so the API is open to anyone (set it: wrangler secret put PANDORA_TOKEN)");
    }
    try {
      return await handleApi(request, env, ctx);
    } catch (err) {
      console.error("pandora-mq: request failed:", err);
      // The package's own error shape, code internal, in form or JSON as asked.
      return internalErrorReply(request, "the Worker could not serve this request (see its log)");
    }
  },
};
