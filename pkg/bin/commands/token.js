// `pandora-mq token`: mints a scoped token and prints it on stdout (and nothing
// else there, so `TOKEN=$(npx pandora-mq token …)` works). The signing secret
// comes from the environment only: argv is visible to every user of the
// machine (ps) and lands in shell history.
import { parseArgs } from "node:util";
import { mintToken, PandoraError } from "../../entry/node.js";
import { tokenExpiry } from "../../pandora_mq.js";
import { intoWasm } from "../../src/wasm-call.js";

export const summary = "mint a scoped token (secret from $PANDORA_SIGNING_KEY)";

const HELP = `usage: pandora-mq token --mailbox <name|prefix*> --ops <send,consume,admin> --expires <30d|12h|RFC 3339> [--kid <id>]

  --mailbox  an exact mailbox name, or a prefix ending in * ("*" alone: every mailbox)
  --ops      comma-separated: send, consume (fetch, ack), admin (the admin routes)
  --expires  how long from now (30d, 12h, 1h30m, 90s) or when (2027-01-01T00:00:00Z); required
  --kid      the signing key's id, as in the server's signingKeys (default: k1)

The secret is read from the environment variable PANDORA_SIGNING_KEY (at least
32 bytes; e.g. openssl rand -base64 32), never from the command line. The
server lists it under the same kid: PANDORA_SIGNING_KEYS='{"k1":"<secret>"}'.
`;

/** @param {string[]} args @returns {Promise<number>} the exit code */
export async function run(args, { env = process.env, now = Date.now(), stdout = process.stdout, stderr = process.stderr } = {}) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        mailbox: { type: "string" },
        ops: { type: "string" },
        expires: { type: "string" },
        kid: { type: "string", default: "k1" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    // parseArgs names the unknown option, e.g. --secret; the value after it is never printed.
    stderr.write(`pandora-mq token: ${String(e.message).split("\n")[0]}\n${/--secret|--key/.test(String(e.message)) ? "The secret is read from PANDORA_SIGNING_KEY only.\n" : ""}\n${HELP}`);
    return 2;
  }
  if (values.help) {
    stdout.write(HELP);
    return 0;
  }
  const missing = ["mailbox", "ops", "expires"].filter((name) => values[name] === undefined);
  if (missing.length > 0) {
    stderr.write(`pandora-mq token: missing ${missing.map((m) => `--${m}`).join(", ")}\n\n${HELP}`);
    return 2;
  }
  const secret = env.PANDORA_SIGNING_KEY;
  if (!secret) {
    stderr.write("pandora-mq token: set PANDORA_SIGNING_KEY to the signing secret (it is never read from the command line)\n");
    return 2;
  }
  try {
    // A duration from now (days allowed: 30d, 1d12h) or an RFC 3339 time, read by the core.
    const expires = intoWasm(() => tokenExpiry(values.expires, now));
    const ops = values.ops.split(",").map((op) => op.trim()).filter(Boolean);
    const token = mintToken({ mailbox: values.mailbox, ops, expires, kid: values.kid }, secret);
    stdout.write(`${token}\n`);
    stderr.write(`token for ${JSON.stringify(values.mailbox)}: ${ops.join(", ")}; key ${values.kid}; expires ${new Date(expires).toISOString()}\n`);
    return 0;
  } catch (e) {
    const err = PandoraError.from(e);
    stderr.write(`pandora-mq token: ${err.message} (${err.code})\n`);
    return 1;
  }
}
