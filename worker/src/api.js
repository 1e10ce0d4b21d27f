// The API under /api/: picks the Durable Object a request concerns and hands
// the request over untouched; the package inside the object does the rest.
// Requests that concern no object (unknown route, wrong method, no mailbox
// named) are answered here, in the package's reply format, touching nothing.
import { mailboxOfMid, recordSend } from "./directory.js";
import { FieldError } from "./field-error.js";
import { readFields } from "./fields.js";
import { objectOfLid } from "./lid.js";
import { reenqueueAll } from "./reenqueue-all.js";
import { failure, methodNotAllowed, noRoute, replyFormat } from "./reply.js";
import { routeOf } from "./routes.js";

const MID = /^[0-9a-f]{40}$/i;

/** The receiver named by the request; the package's invalid_mailbox when there is none. */
function receiverOf(fields) {
  const receiver = fields.first("receiver");
  if (receiver === undefined) throw new FieldError(400, "invalid_mailbox", "invalid mailbox: receiver is missing");
  if (receiver === "") throw new FieldError(400, "invalid_mailbox", "invalid mailbox: receiver is empty");
  return receiver;
}

const mailbox = (env, name) => env.MAILBOXES.get(env.MAILBOXES.idFromName(name));

/** The mid of a successful send reply, form or JSON. */
async function midOf(reply) {
  const json = (reply.headers.get("content-type") ?? "").includes("json");
  return json ? (await reply.json()).mid : new URLSearchParams(await reply.text()).get("mid");
}

/** One handler per route: (request, env, ctx, fields, format) -> Response. */
const HANDLERS = {
  async send(request, env, ctx, fields) {
    const receiver = receiverOf(fields);
    const reply = await mailbox(env, receiver).fetch(request);
    if (reply.ok) {
      // After the reply: the client need not wait for the directory.
      const copy = reply.clone();
      const record = midOf(copy).then((mid) => mid && recordSend(env.DIRECTORY, receiver, mid));
      ctx.waitUntil(record.catch((e) => console.error("pandora-mq: unreadable send reply:", e)));
    }
    return reply;
  },

  fetch: (request, env, ctx, fields) => mailbox(env, receiverOf(fields)).fetch(request),

  headers: (request, env, ctx, fields) => mailbox(env, receiverOf(fields)).fetch(request),

  // The Go client sends only mid, lid and statusCode: the lid names its object.
  ack: (request, env, ctx, fields) => env.MAILBOXES.get(objectOfLid(env.MAILBOXES, fields.first("lid"))).fetch(request),

  async fetchBlob(request, env, ctx, fields, format) {
    const receiver = fields.first("receiver");
    if (receiver) return mailbox(env, receiver).fetch(request);
    const mid = fields.first("mid");
    if (mid === undefined) throw new FieldError(400, "invalid_key", "invalid key: mid is missing");
    if (!MID.test(mid)) throw new FieldError(400, "invalid_key", "invalid key: mid: expected 40 hex digits");
    const owner = await mailboxOfMid(env.DIRECTORY, mid);
    if (owner === null) return failure(format, 404, "not_found", `no stored body for mid ${mid.toLowerCase()}`);
    return mailbox(env, owner).fetch(request);
  },

  reenqueue(request, env, ctx, fields, format) {
    const receiver = fields.first("receiver");
    return receiver ? mailbox(env, receiver).fetch(request) : reenqueueAll(request, env, format);
  },
};

export async function handleApi(request, env, ctx) {
  const format = replyFormat(request);
  const path = new URL(request.url).pathname;
  const route = routeOf(path);
  // Admin routes are absent, not forbidden, when off: the package answers the same way.
  if (!route || (route.admin && env.PANDORA_ADMIN !== "on")) return noRoute(format, path);
  if (!route.methods.includes(request.method)) return methodNotAllowed(format, route, request.method);
  try {
    const fields = await readFields(request);
    return await HANDLERS[route.name](request, env, ctx, fields, format);
  } catch (e) {
    if (e instanceof FieldError) return failure(format, e.status, e.code, e.message);
    throw e;
  }
}
