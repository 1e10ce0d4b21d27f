/**
 * `pandora-mq serve` settings from command-line flags, falling back to the
 * `PANDORA_*` environment variables the Worker reads (PANDORA_ADMIN=on,
 * PANDORA_TOKEN, PANDORA_SIGNING_KEYS as JSON, PANDORA_MAX_DELIVERIES,
 * PANDORA_RETRY_BACKOFF, PANDORA_RETENTION), so one deployment's settings
 * work on both. As in the Worker, a variable set to "" counts as unset.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { settingsFromEnv } from "../settings-env.js";

export const USAGE = `usage: pandora-mq serve [options]

  --store <spec>         memory (default) | sqlite:<file> | postgres://user@host/db
  --table <name>         table of the queue in that store (default pandora_kv)
  --port <n>             port to listen on (default 8787; 0 picks a free one)
  --host <addr>          address to listen on (default 127.0.0.1)
  --admin                serve the admin routes (or PANDORA_ADMIN=on)
  --token <secret>       require Authorization: Bearer <secret> (or PANDORA_TOKEN)
  --signing-keys <json>  {"kid": "secret"} for scoped tokens (or PANDORA_SIGNING_KEYS)
  --no-www               serve only the API, not the demo page at /

Read from the environment as the Worker reads them: PORT, PANDORA_STORE,
PANDORA_MAX_DELIVERIES, PANDORA_RETRY_BACKOFF ("1s,5m,2"), PANDORA_RETENTION ("168h"),
PANDORA_CORS_ORIGINS ("https://app.example,http://localhost:5173": browsers on those origins).

The API is under /api/ (POST /api/send, /api/fetch, /api/ack, ...), the demo page at /.
SIGTERM or SIGINT finishes the requests in flight (up to 10 s), a second one exits at once.`;

/** A settings mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * PANDORA_MAX_DELIVERIES, PANDORA_RETRY_BACKOFF and PANDORA_RETENTION, read as the Worker reads them.
 * @param {Record<string, string | undefined>} env
 */
function productionSettings(env) {
  try {
    return settingsFromEnv(env);
  } catch (err) {
    throw new UsageError(/** @type {Error} */ (err).message);
  }
}

/** @param {string | undefined} text */
const set = (text) => text !== undefined && text !== "";

/**
 * The port from --port, else PORT, else 8787: whole digits, 0 … 65535.
 * @param {string | undefined} flag
 * @param {string | undefined} env
 */
function portOf(flag, env) {
  const [name, text] = flag !== undefined ? ["--port", flag] : set(env) ? ["PORT", /** @type {string} */ (env)] : ["", "8787"];
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port <= 65535)) throw new UsageError(`${name} must be a port number 0 … 65535, got ${JSON.stringify(text)}`);
  return port;
}

/**
 * The signing keys from --signing-keys, else PANDORA_SIGNING_KEYS; undefined when neither is set.
 * @param {string | undefined} flag
 * @param {string | undefined} env
 * @returns {Record<string, string> | undefined}
 */
function signingKeysOf(flag, env) {
  const text = flag ?? (set(env) ? env : undefined);
  if (text === undefined) return undefined;
  // JSON.parse's own message quotes the input, which is a secret: say only what is wrong.
  const wrong = () => new UsageError('signing keys must be a JSON object {"kid": "secret"}');
  let keys;
  try {
    keys = JSON.parse(text);
  } catch {
    throw wrong();
  }
  if (typeof keys !== "object" || keys === null || Array.isArray(keys)) throw wrong();
  return keys;
}

/**
 * The `new Server` options (without storage) of a `serveConfig` result.
 * @param {Exclude<ReturnType<typeof serveConfig>, { help: true }>} config
 */
export function serverOptions(config) {
  /** @type {Record<string, unknown>} */
  const options = { admin: config.admin, token: config.token };
  if (config.signingKeys !== undefined) options.signingKeys = config.signingKeys;
  return { ...options, ...config.settings };
}

/**
 * @param {string[]} args
 * @param {Record<string, string | undefined>} env
 */
export function serveConfig(args, env) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        store: { type: "string" },
        table: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        admin: { type: "boolean" },
        token: { type: "string" },
        "signing-keys": { type: "string" },
        "no-www": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    throw new UsageError(/** @type {Error} */ (err).message);
  }
  if (values.help) return { help: true };

  const port = portOf(values.port, env.PORT);
  // An empty token would be a password nobody can send: every request refused.
  if (values.token === "") throw new UsageError("--token must not be empty (leave it out for an open API)");

  const adminEnv = set(env.PANDORA_ADMIN) ? env.PANDORA_ADMIN : undefined;
  if (adminEnv !== undefined && adminEnv !== "on" && adminEnv !== "off") throw new UsageError(`PANDORA_ADMIN must be "on" or "off", got ${JSON.stringify(adminEnv)}`);

  return {
    help: false,
    store: values.store ?? (set(env.PANDORA_STORE) ? env.PANDORA_STORE : "memory"),
    table: values.table ?? "pandora_kv",
    port,
    host: values.host ?? "127.0.0.1",
    admin: values.admin ?? adminEnv === "on",
    token: values.token ?? (set(env.PANDORA_TOKEN) ? env.PANDORA_TOKEN : undefined),
    signingKeys: signingKeysOf(values["signing-keys"], env.PANDORA_SIGNING_KEYS),
    settings: productionSettings(env),
    cors: { PANDORA_CORS_ORIGINS: set(env.PANDORA_CORS_ORIGINS) ? env.PANDORA_CORS_ORIGINS : undefined },
    www: !values["no-www"],
  };
}
