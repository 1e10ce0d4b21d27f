// `admin/reenqueue` without a receiver: every mailbox the directory lists,
// a few objects at a time, with the counts summed. Each call is a subrequest,
// so past about a thousand mailboxes call it per mailbox (`receiver=`) instead.
import { mailboxes } from "./directory.js";
import { count, failure } from "./reply.js";

/** Objects asked at once: enough to overlap their storage commits, few enough to stay polite. */
const AT_ONCE = 16;

export async function reenqueueAll(request, env, format) {
  const url = new URL(request.url); // same path: the object routes by its suffix
  url.search = "";
  let total = 0;

  // Resolves to an error reply to pass on, or undefined when every object answered.
  const ask = async (names) => {
    const replies = await Promise.all(
      names.map((name) =>
        env.MAILBOXES.get(env.MAILBOXES.idFromName(name)).fetch(url, {
          method: "POST",
          headers: { Accept: "application/json" }, // parsed here, re-encoded for the client
        }),
      ),
    );
    for (const reply of replies) {
      const body = await reply.json();
      if (!reply.ok) return failure(format, reply.status, body.code, body.error);
      total += Number(body.count);
    }
    return undefined;
  };

  let batch = [];
  for await (const name of mailboxes(env.DIRECTORY)) {
    batch.push(name);
    if (batch.length === AT_ONCE) {
      const error = await ask(batch);
      if (error) return error;
      batch = [];
    }
  }
  return (await ask(batch)) ?? count(format, total);
}
