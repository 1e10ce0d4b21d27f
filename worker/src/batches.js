// sendBatch and ackBatch through the Worker: each item goes to the object
// that holds its mailbox (sendBatch: the item's receiver) or its message
// (ackBatch: the object named by the item's lid), one subrequest per object,
// and the per-item results come back in input order.
//
// sendBatch is atomic per object: every item was checked by routeRequest
// before any object is asked (a bad item refuses the whole batch, naming its
// index, and nothing is enqueued), but an object can still refuse its part
// on what only it knows (its size limit, a storage failure). Then the reply
// has that object's status and code, and `results` says item by item what
// happened: `{ mid, duplicate }` for items enqueued by the other objects,
// `{ error, code }` for the refused mailbox's items.
//
// ackBatch items are independent anyway: an object's failure becomes
// `{ ok: false, code, message }` for each of its items.
import { askEach, firstValue, groupItems, partRequest, wantsJson, withJsonAccept } from "./batch-split.js";
import { objectOfLid } from "./lid.js";

/** A reply like the package's own (its standard headers), with a JSON body. */
function jsonReply(status, value) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}

function errorReply(request, status, error, code, results) {
  if (wantsJson(request)) return jsonReply(status, { error, code, results });
  const body = `${new URLSearchParams({ error })}&${new URLSearchParams({ code })}`;
  return new Response(body, {
    status,
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}

/**
 * `replyOf(name)(request)`: the reply of mailbox `name`'s object (or the
 * mailbox-less Server); `enqueued(receiver, mid)` is told of each new message.
 */
export async function sendBatch(request, replyOf, enqueued = () => {}) {
  const items = await request.clone().json();
  const groups = groupItems(items, (item) => firstValue(item.receiver) ?? "");
  // One mailbox named by text (the common case): the request goes as it came.
  // A receiver given as a JSON number is sent re-serialised, so the object
  // reads the very text (`1.5`, not `1.50`) it was chosen by.
  const asItCame = groups.size === 1 && items.every((item) => typeof [item.receiver].flat()[0] === "string");
  const answers = await askEach(groups, (group, name) =>
    replyOf(name)(asItCame ? withJsonAccept(request) : partRequest(request, group.items)));
  const results = new Array(items.length);
  let failed = null;
  for (const answer of answers) {
    const ok = answer.reply.ok && Array.isArray(answer.body);
    if (!ok && !failed) failed = answer;
    answer.group.indices.forEach((index, at) => {
      results[index] = ok ? answer.body[at] : { error: answer.body.error, code: answer.body.code };
    });
    if (ok) for (const receipt of answer.body) if (!receipt.duplicate) enqueued(answer.key, receipt.mid);
  }
  if (!failed) return jsonReply(200, results);
  // One object's own refusal with nothing else enqueued is simply that refusal.
  if (groups.size === 1) return errorReply(request, failed.reply.status, failed.body.error, failed.body.code, results);
  const message = `mailbox ${failed.key}: ${failed.body.error} (the other mailboxes' items were enqueued: see results)`;
  return errorReply(request, failed.reply.status, message, failed.body.code, results);
}

/** `objectReply(id)(request)`: the reply of the object `id` (undefined: the mailbox-less Server). */
export async function ackBatch(request, namespace, objectReply) {
  const items = await request.clone().json();
  const ids = new Map();
  const groups = groupItems(items, (item) => {
    const id = objectOfLid(namespace, firstValue(item.lid));
    const key = id?.toString() ?? "";
    if (id) ids.set(key, id);
    return key;
  });
  const answers = await askEach(groups, (group, key) => objectReply(ids.get(key))(partRequest(request, group.items)));
  const results = new Array(items.length);
  for (const { group, reply, body } of answers) {
    const ok = reply.ok && Array.isArray(body);
    group.indices.forEach((index, at) => {
      results[index] = ok ? body[at] : { ok: false, code: body.code, message: body.error };
    });
  }
  return jsonReply(200, results);
}
