// The request's fields as the package will see them: body fields first, then
// query fields (the order of Go's r.Form, so a body value wins a single-value
// lookup); only a non-empty POST body is read. Mirrors src/http/form.rs.
import { FieldError } from "./field-error.js";
import { jsonPairs } from "./json-fields.js";

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** "form" or "json" from the Content-Type; other media types are refused, as by the package. */
function encoding(contentType) {
  // Parameters such as "; charset=utf-8" do not change how the body is read.
  const essence = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (essence === "" || essence === FORM) return "form";
  if (essence === JSON_TYPE || (essence.startsWith("application/") && essence.endsWith("+json"))) return "json";
  throw new FieldError(415, "unsupported_media_type", `unsupported content type ${JSON.stringify(essence)}: send ${FORM} or ${JSON_TYPE}`);
}

/**
 * Reads the fields from a clone, so the original request goes on untouched.
 * Resolves to `{ first(name) }`; rejects with a FieldError.
 */
export async function readFields(request) {
  const pairs = [];
  if (request.method === "POST") {
    // Not .text(): it drops a leading byte order mark, which the package keeps
    // as part of the first field's name, so the two would read different fields.
    const text = UTF8.decode(await request.clone().arrayBuffer());
    if (text !== "") {
      if (encoding(request.headers.get("content-type")) === "json") pairs.push(...jsonPairs(text));
      else pairs.push(...new URLSearchParams(text));
    }
  }
  pairs.push(...new URL(request.url).searchParams);
  return {
    /** The first value of `name`, or undefined. */
    first(name) {
      return pairs.find(([key]) => key === name)?.[1];
    },
  };
}
