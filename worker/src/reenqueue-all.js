// `admin/reenqueue` without a receiver: every mailbox the directory lists,
// a few objects at a time, with the counts summed. Each call is a subrequest,
// so past about a thousand mailboxes call it per mailbox (`receiver=`) instead.
import { countReply } from "pandora-mq";
import { mailboxes } from "./directory.js";
import { replyField } from "./reply-field.js";

/** Objects asked at once: enough to overlap their storage commits, few enough to stay polite. */
const AT_ONCE = 16;

export async function reenqueueAll(request, env) {
  const url = new URL(request.url); // same path: the object routes by its suffix
  url.search = "";
  // The client's Accept, so an object's error reply is already in the client's format.
  const accept = request.headers.get("accept");
  // Each object checks the credential again.
  const authorization = request.headers.get("authorization");
  let total = 0;

  // Resolves to an object's error reply to pass on, or undefined when every object answered.
  const ask = async (names) => {
    const replies = await Promise.all(
      names.map((name) =>
        env.MAILBOXES.get(env.MAILBOXES.idFromName(name)).fetch(url, {
          method: "POST",
          headers: {
            ...(accept === null ? {} : { Accept: accept }),
            ...(authorization === null ? {} : { Authorization: authorization }),
          },
        }),
      ),
    );
    const failed = replies.find((reply) => !reply.ok);
    if (failed) return failed;
    for (const reply of replies) total += Number(await replyField(reply, "count"));
    return undefined;
  };

  let batch = [];
  for await (const name of mailboxes(env.DIRECTORY)) {
    batch.push(name);
    if (batch.length === AT_ONCE) {
      const failed = await ask(batch);
      if (failed) return failed;
      batch = [];
    }
  }
  return (await ask(batch)) ?? countReply(request, total);
}
