// The directory in Workers KV (binding DIRECTORY): which mailbox holds a mid
// (`mid/<mid>` -> receiver) and which mailboxes exist (`mailbox/<name>`). It
// serves the admin routes that name no mailbox: fetchBlob by mid alone, and
// reenqueue of every mailbox. Both kinds of entry are written once and never
// change (a mid is the SHA-1 of a body that includes its receiver), which is
// what KV's eventual consistency is safe for; a listing may lag a new mailbox
// by up to a minute in production. It is written only while PANDORA_ADMIN is
// "on" (nothing else reads it), so messages sent while admin was off are found
// by fetchBlob only when the request names their receiver.

const MID = "mid/";
const MAILBOX = "mailbox/";

// KV allows about one write per second per key, and every send names its
// mailbox: remember the names this isolate has already written.
const written = new Set();
const WRITTEN_MAX = 10_000;

/** Records a successful send. Meant for ctx.waitUntil: it never rejects. */
export async function recordSend(kv, receiver, mid) {
  const puts = [kv.put(MID + mid, receiver)];
  if (!written.has(receiver)) {
    if (written.size >= WRITTEN_MAX) written.clear();
    written.add(receiver);
    puts.push(kv.put(MAILBOX + receiver, ""));
  }
  const failed = (await Promise.allSettled(puts)).filter((r) => r.status === "rejected");
  if (failed.length > 0) {
    written.delete(receiver); // try the name again on the next send
    console.error(`pandora-mq: directory write for mid ${mid} failed:`, failed[0].reason);
  }
}

// Only mids of this shape are ever recorded; looking anything else up would be
// a wasted read, and past KV's 512-byte key limit a failed one.
const MID_SHAPE = /^[0-9a-f]{40}$/i;

/** The mailbox holding `mid`, or null (also for no mid). Mids are stored in lowercase hex. */
export async function mailboxOfMid(kv, mid) {
  return MID_SHAPE.test(mid ?? "") ? kv.get(MID + mid.toLowerCase()) : null;
}

/** Every recorded mailbox name, page by page. */
export async function* mailboxes(kv) {
  let cursor;
  do {
    const page = await kv.list({ prefix: MAILBOX, ...(cursor ? { cursor } : {}) });
    for (const { name } of page.keys) yield name.slice(MAILBOX.length);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}
