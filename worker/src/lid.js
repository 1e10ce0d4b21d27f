// Which Durable Object issued a lock id. Every object's Server is created with
// `lidPrefix: ctx.id.toString()`, so a lid reads `<object id>.<32 hex>`: the
// part before the last "." names the object, the part after keeps the lid's
// 128 random bits. This is what lets an ack from the Go client, which sends
// only mid, lid and statusCode, reach the object holding the message.
import { FieldError } from "./field-error.js";

/** The id of the object that issued `lid`; a FieldError (invalid_key) when it names none. */
export function objectOfLid(namespace, lid) {
  if (lid === undefined || lid === "") throw new FieldError(400, "invalid_key", "lid is missing");
  const dot = lid.lastIndexOf(".");
  try {
    if (dot <= 0) throw new Error("no issuer");
    return namespace.idFromString(lid.slice(0, dot));
  } catch {
    // Not an id of this namespace: no object issued it (a 400, never a 500).
    throw new FieldError(400, "invalid_key", `lid ${JSON.stringify(lid)} was not issued by this server`);
  }
}
