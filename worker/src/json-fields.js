// Form fields of a JSON request body, read exactly as the package reads them
// (src/http/json_in.rs), because the Worker routes on a field the package will
// read again: if the two disagreed, a message could be stored in another
// mailbox's object. JSON.parse alone cannot be used for the values: it keeps
// the LAST of duplicate names (the package keeps every one, in order) and it
// turns `1.50` into 1.5. So JSON.parse only validates; a tokenizer walks the text.
import { FieldError } from "./field-error.js";

// Strings, punctuation, and bare literals (numbers, true, false, null). Between
// tokens of valid JSON there is only whitespace, which matchAll skips.
const TOKEN = /"(?:[^"\\]|\\.)*"|[{}[\]:,]|[^\s{}[\]:,"]+/g;

// The package words it "bad request: …" too.
const bad = (why) => new FieldError(400, "bad_request", `bad request: malformed JSON body: ${why}`);

/** `[name, value][]` in document order: an array is a repeated field, null is absent. */
export function jsonPairs(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw bad(e.message);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw bad("expected an object");

  const tokens = Array.from(text.matchAll(TOKEN), (m) => m[0]);
  const pairs = [];
  const scalar = (name, token, inArray) => {
    if (token === "{" || token === "[") throw bad(`field ${JSON.stringify(name)}: nested values are not allowed`);
    if (token === "null") {
      if (inArray) throw bad(`field ${JSON.stringify(name)}: null inside an array`);
      return; // an unset option, as a JS client serialises it
    }
    // A number keeps its literal text; true/false are their own text.
    pairs.push([name, token.startsWith('"') ? JSON.parse(token) : token]);
  };

  let i = 1; // past "{"
  while (tokens[i] !== "}") {
    const name = JSON.parse(tokens[i]);
    i += 2; // the name and ":"
    if (tokens[i] === "[") {
      for (i += 1; tokens[i] !== "]"; i += tokens[i + 1] === "," ? 2 : 1) scalar(name, tokens[i], true);
    } else {
      scalar(name, tokens[i], false);
    }
    i += tokens[i + 1] === "," ? 2 : 1;
  }
  return pairs;
}
