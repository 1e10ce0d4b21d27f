// One field of an object's successful reply. The object answers in the format
// the client asked for, so its Content-Type says how to read it.

/** The first value of `name` in a form or JSON reply, or null/undefined. */
export async function replyField(reply, name) {
  const json = (reply.headers.get("content-type") ?? "").startsWith("application/json");
  return json ? (await reply.json())[name] : new URLSearchParams(await reply.text()).get(name);
}
