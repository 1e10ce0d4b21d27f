// Which Durable Object issued a lock id. Every object's Server is created with
// `lidPrefix: ctx.id.toString()`, so a lid reads `<object id>.<32 hex>`: the
// part before the last "." names the object, the part after keeps the lid's
// 128 random bits. This is what lets an ack from the Go client, which sends
// only mid, lid and statusCode, reach the object holding the message.

/** The id of the object that issued `lid`, or undefined when it names none. */
export function objectOfLid(namespace, lid) {
  const dot = lid?.lastIndexOf(".") ?? -1;
  if (dot <= 0) return undefined;
  try {
    return namespace.idFromString(lid.slice(0, dot));
  } catch {
    return undefined; // not an id of this namespace: no object issued it
  }
}
