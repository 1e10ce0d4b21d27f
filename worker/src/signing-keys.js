// The secret PANDORA_SIGNING_KEYS: `{ "<kid>": "<secret>", … }` as JSON, the
// keys whose scoped tokens the API accepts (several at once, for rotation).
// Parsed once per value; the package checks the kids and secret lengths.

let cached = { text: undefined, keys: undefined };

/** The signing keys of `env`, or undefined when the secret is not set. Throws when it is not a JSON object. */
export function signingKeysOf(env) {
  const text = env.PANDORA_SIGNING_KEYS;
  if (text === undefined || text === "") return undefined;
  if (cached.text !== text) {
    let keys;
    try {
      keys = JSON.parse(text);
    } catch {
      // JSON.parse's own message quotes the input, which is a secret: say only what is wrong.
      throw new Error('PANDORA_SIGNING_KEYS is not valid JSON: set it to {"<kid>": "<secret>"}');
    }
    if (keys === null || typeof keys !== "object" || Array.isArray(keys)) {
      throw new Error('PANDORA_SIGNING_KEYS must be a JSON object {"<kid>": "<secret>"}');
    }
    cached = { text, keys };
  }
  return cached.keys;
}
