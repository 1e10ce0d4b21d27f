// The API under /api/. The package checks each request first (routeRequest:
// token, route, admin switch, method, fields) and its refusals go back as they
// are; otherwise it names the operation and the fields to route by, this picks
// the Durable Object concerned, and hands it the request untouched: the
// package inside the object answers. The Worker writes no error replies of its
// own, except `internal` when it fails itself (internal-error.js).
import { routeRequest } from "pandora-mq";
import { mailboxOfMid, recordSend } from "./directory.js";
import { objectOfLid } from "./lid.js";
import { reenqueueAll } from "./reenqueue-all.js";
import { replyField } from "./reply-field.js";
import { signingKeysOf } from "./signing-keys.js";

// The object for requests that name none: no receiver, a lid no object issued,
// a mid the directory does not know. "" is not a valid mailbox name, so its
// Server never stores anything and answers each with the package's own error
// (invalid_mailbox, not_found, invalid_key) — the one a single server would give.
const NOWHERE = "";

const mailbox = (env, name) => env.MAILBOXES.get(env.MAILBOXES.idFromName(name ?? NOWHERE));

/** One handler per route: (request, env, ctx, { receiver, lid, mid }) -> Response. */
const HANDLERS = {
  async send(request, env, ctx, { receiver }) {
    const reply = await mailbox(env, receiver).fetch(request);
    // The directory serves only admin routes: with them off, a send costs no KV write.
    if (reply.ok && env.PANDORA_ADMIN === "on") {
      // After the reply: the client need not wait for the directory.
      const record = replyField(reply.clone(), "mid").then((mid) => mid && recordSend(env.DIRECTORY, receiver, mid));
      ctx.waitUntil(record.catch((e) => console.error("pandora-mq: unreadable send reply:", e)));
    }
    return reply;
  },

  fetch: (request, env, ctx, { receiver }) => mailbox(env, receiver).fetch(request),

  headers: (request, env, ctx, { receiver }) => mailbox(env, receiver).fetch(request),

  // The Go client sends only mid, lid and statusCode: the lid names its object.
  ack(request, env, ctx, { lid }) {
    const id = objectOfLid(env.MAILBOXES, lid);
    return (id ? env.MAILBOXES.get(id) : mailbox(env, NOWHERE)).fetch(request);
  },

  async fetchBlob(request, env, ctx, { receiver, mid }) {
    if (receiver) return mailbox(env, receiver).fetch(request);
    return mailbox(env, await mailboxOfMid(env.DIRECTORY, mid)).fetch(request);
  },

  reenqueue(request, env, ctx, { receiver }) {
    return receiver ? mailbox(env, receiver).fetch(request) : reenqueueAll(request, env);
  },
};

export async function handleApi(request, env, ctx) {
  // Admin routes are absent, not forbidden, when off: 404, as for any unknown path.
  // A scoped token is checked here as far as the request names its mailbox;
  // the object checks it again against the mailbox of the lid or mid it holds.
  const routed = await routeRequest(request, {
    admin: env.PANDORA_ADMIN === "on",
    token: env.PANDORA_TOKEN,
    signingKeys: signingKeysOf(env),
  });
  if (routed.response) return routed.response;
  return HANDLERS[routed.route](request, env, ctx, routed);
}
