// The Server options every object (and the Worker's own mailbox-less Server)
// is built with, from the Worker's vars and secrets: PANDORA_ADMIN,
// PANDORA_TOKEN, PANDORA_SIGNING_KEYS, and the production settings the
// package reads for every host (`settingsFromEnv`: PANDORA_MAX_DELIVERIES,
// PANDORA_RETRY_BACKOFF, PANDORA_RETENTION). A malformed value makes every
// request fail with the package's error, logged, rather than run with a
// setting nobody asked for.
import { settingsFromEnv } from "pandora-mq";
import { signingKeysOf } from "./signing-keys.js";

/** Options for `new Server` (without storage) from `env`. */
export function serverSettings(env) {
  const options = {
    admin: env.PANDORA_ADMIN === "on",
    token: env.PANDORA_TOKEN,
    signingKeys: signingKeysOf(env),
    ...settingsFromEnv(env),
  };
  for (const [name, value] of Object.entries(options)) if (value === undefined) delete options[name];
  return options;
}
