// The API under /api/. The package checks each request first (routeRequest:
// token, route, admin switch, method, fields) and its refusals go back as they
// are; otherwise it names the operation and the fields to route by, this picks
// the Durable Object concerned, and hands it the request untouched: the
// package inside the object answers. The Worker writes no reply of its own:
// the package makes every one (also a summed reenqueue count and `internal`),
// but for the batch routes, whose items it splits over their objects and
// whose per-item results it puts back in input order (batches.js).
import { routeRequest, Server } from "pandora-mq";
import { ackBatch, sendBatch } from "./batches.js";
import { mailboxOfMid, recordSend } from "./directory.js";
import { objectOfLid } from "./lid.js";
import { reenqueueAll } from "./reenqueue-all.js";
import { replyField } from "./reply-field.js";
import { serverSettings } from "./settings.js";

// Requests that name no mailbox (no receiver, a lid no object issued, a mid the
// directory does not know) need no storage: a Server on the built-in empty store
// in this isolate answers each with the package's own error (invalid_mailbox,
// not_found, invalid_key), the one a single server would give, without a
// Durable Object round trip. Such a request can never store anything there.
let nowhere = null;
// Configured as every mailbox object is, credentials included, so a scoped
// token meets the same rules here (a mid it cannot show is its mailbox's: 403).
const nowhereServer = (env) => (nowhere ??= new Server(serverSettings(env)));

/** The reply of the mailbox `name`'s object, or of the empty Server when `name` is none. */
const mailboxReply = (request, env, name) =>
  name ? env.MAILBOXES.get(env.MAILBOXES.idFromName(name)).fetch(request) : nowhereServer(env).handle(request);

/** The reply of the object that issued `lid`, or of the empty Server when none did. */
const lidReply = (request, env, lid) => objectReply(request, env, objectOfLid(env.MAILBOXES, lid));

const objectReply = (request, env, id) => (id ? env.MAILBOXES.get(id).fetch(request) : nowhereServer(env).handle(request));

/** Routes that name their mailbox with `receiver`. */
const byReceiver = (request, env, ctx, { receiver }) => mailboxReply(request, env, receiver);

/** One handler per route: (request, env, ctx, { receiver, lid, mid }) -> Response. */
const HANDLERS = {
  async send(request, env, ctx, { receiver }) {
    const reply = await mailboxReply(request, env, receiver);
    // The directory serves only admin routes: with them off, a send costs no KV write.
    if (reply.ok && env.PANDORA_ADMIN === "on") {
      // After the reply: the client need not wait for the directory.
      const record = replyField(reply.clone(), "mid").then((mid) => mid && recordSend(env.DIRECTORY, receiver, mid));
      ctx.waitUntil(record.catch((e) => console.error("pandora-mq: unreadable send reply:", e)));
    }
    return reply;
  },

  // A long poll (`wait`) is held by the object, which answers when a message is due.
  fetch: byReceiver,
  headers: byReceiver,
  cancel: byReceiver,
  peek: byReceiver,
  stats: byReceiver,
  redrive: byReceiver,
  purge: byReceiver,

  // The Go client sends only mid, lid and statusCode: the lid names its object.
  ack: (request, env, ctx, { lid }) => lidReply(request, env, lid),
  extend: (request, env, ctx, { lid }) => lidReply(request, env, lid),

  sendBatch(request, env, ctx) {
    // As for send: the directory learns each new mid while the admin routes are on.
    const enqueued = (receiver, mid) => env.PANDORA_ADMIN === "on" && ctx.waitUntil(recordSend(env.DIRECTORY, receiver, mid));
    return sendBatch(request, (name) => (part) => mailboxReply(part, env, name), enqueued);
  },
  ackBatch: (request, env) => ackBatch(request, env.MAILBOXES, (id) => (part) => objectReply(part, env, id)),

  async fetchBlob(request, env, ctx, { receiver, mid }) {
    return mailboxReply(request, env, receiver || (await mailboxOfMid(env.DIRECTORY, mid)));
  },

  reenqueue(request, env, ctx, { receiver }) {
    return receiver ? mailboxReply(request, env, receiver) : reenqueueAll(request, env);
  },
};

export async function handleApi(request, env, ctx) {
  // Admin routes are absent, not forbidden, when off: 404, as for any unknown path.
  // A scoped token is checked here as far as the request names its mailbox;
  // the object checks it again against the mailbox of the lid or mid it holds.
  const { admin, token, signingKeys } = serverSettings(env);
  const routed = await routeRequest(request, { admin, token, signingKeys });
  if (routed.response) return routed.response;
  return HANDLERS[routed.route](request, env, ctx, routed);
}
