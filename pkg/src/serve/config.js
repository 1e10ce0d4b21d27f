/**
 * `pandora-mq serve` settings from command-line flags, falling back to the
 * `PANDORA_*` environment variables the Worker reads (PANDORA_ADMIN=on,
 * PANDORA_TOKEN, PANDORA_SIGNING_KEYS as JSON), so one deployment's settings
 * work on both.
 *
 * @module
 */
import { parseArgs } from "node:util";

export const USAGE = `usage: pandora-mq serve [options]

  --store <spec>         memory (default) | sqlite:<file> | postgres://user@host/db
  --table <name>         table of the queue in that store (default pandora_kv)
  --port <n>             port to listen on (default 8787; 0 picks a free one)
  --host <addr>          address to listen on (default 127.0.0.1)
  --admin                serve the admin routes (or PANDORA_ADMIN=on)
  --token <secret>       require Authorization: Bearer <secret> (or PANDORA_TOKEN)
  --signing-keys <json>  {"kid": "secret"} for scoped tokens (or PANDORA_SIGNING_KEYS)
  --no-www               serve only the API, not the demo page at /

The API is under /api/ (POST /api/send, /api/fetch, /api/ack, ...), the demo page at /.`;

/** A settings mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {}

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

  const port = Number(values.port ?? env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0 … 65535, got ${values.port}`);

  const adminEnv = env.PANDORA_ADMIN;
  if (adminEnv !== undefined && adminEnv !== "on" && adminEnv !== "off") throw new UsageError(`PANDORA_ADMIN must be "on" or "off", got ${JSON.stringify(adminEnv)}`);

  const keysText = values["signing-keys"] ?? env.PANDORA_SIGNING_KEYS;
  let signingKeys;
  if (keysText !== undefined) {
    try {
      signingKeys = JSON.parse(keysText);
    } catch {
      throw new UsageError("signing keys must be a JSON object {\"kid\": \"secret\"}");
    }
    if (typeof signingKeys !== "object" || signingKeys === null || Array.isArray(signingKeys)) throw new UsageError("signing keys must be a JSON object {\"kid\": \"secret\"}");
  }

  return {
    help: false,
    store: values.store ?? env.PANDORA_STORE ?? "memory",
    table: values.table ?? "pandora_kv",
    port,
    host: values.host ?? "127.0.0.1",
    admin: values.admin ?? adminEnv === "on",
    token: values.token ?? env.PANDORA_TOKEN,
    signingKeys,
    www: !values["no-www"],
  };
}
