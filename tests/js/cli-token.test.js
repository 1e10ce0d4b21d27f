// `npx pandora-mq token` from the packed package, installed into a fresh
// project as a user would: the token it prints is accepted by a Server with
// the same key, and the secret is taken from the environment only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Server } from "pandora-mq";
import { get } from "./support/http.js";

const run = promisify(execFile);
const ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const SECRET = "cli-secret: thirty-two bytes or more!";

let scratch;
let project;

before(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "pandora-cli-"));
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", scratch], { cwd: path.join(ROOT, "pkg"), maxBuffer: 16 << 20 });
  const tarball = path.join(scratch, JSON.parse(stdout)[0].filename);
  project = path.join(scratch, "app");
  mkdirSync(project);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "cli-check", private: true, type: "module" }));
  const install = (mode) => run("npm", ["install", "--no-audit", "--no-fund", mode, tarball], { cwd: project, maxBuffer: 16 << 20 });
  await install("--offline").catch(() => install("--prefer-offline"));
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Runs `npx pandora-mq …` in the project; resolves to { code, stdout, stderr }. */
function npx(args, env = {}) {
  const options = { cwd: project, env: { ...process.env, PANDORA_SIGNING_KEY: undefined, ...env } };
  return run("npx", ["--no-install", "pandora-mq", ...args], options).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

test("token prints a token the server accepts, for its mailbox, ops and lifetime", { timeout: 120_000 }, async () => {
  const before = Date.now();
  const out = await npx(["token", "--mailbox", "team-*", "--ops", "consume,admin", "--expires", "30d", "--kid", "k7"], { PANDORA_SIGNING_KEY: SECRET });
  assert.equal(out.code, 0, out.stderr);
  const token = out.stdout.trim();
  assert.match(token, /^pmq1\.k7\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.ok(!out.stderr.includes(SECRET) && !out.stderr.includes(token), "stderr shows neither secret nor token");
  const expires = Date.parse(/expires (\S+)/.exec(out.stderr)[1]);
  const DAY = 86_400_000;
  assert.ok(expires >= before + 30 * DAY && expires <= Date.now() + 30 * DAY, out.stderr);

  let now = Date.now();
  const server = new Server({ admin: true, signingKeys: { k7: SECRET }, clock: () => now });
  const list = (receiver) => server.handle(get("/admin/headers", { receiver }, { authorization: `Bearer ${token}` }));
  assert.equal((await list("team-1")).status, 204);
  assert.equal((await list("other")).status, 403);
  now = expires + 1;
  assert.equal((await list("team-1")).status, 401, "expired a millisecond after --expires");
});

test("token refuses a secret on the command line and runs without one in the environment", { timeout: 60_000 }, async () => {
  const onArgv = await npx(["token", "--mailbox", "a", "--ops", "send", "--expires", "1h", "--secret", SECRET]);
  assert.equal(onArgv.code, 2);
  assert.match(onArgv.stderr, /PANDORA_SIGNING_KEY/);
  assert.ok(!onArgv.stderr.includes(SECRET), "the secret is not echoed");
  const noEnv = await npx(["token", "--mailbox", "a", "--ops", "send", "--expires", "1h"]);
  assert.equal(noEnv.code, 2);
  assert.match(noEnv.stderr, /set PANDORA_SIGNING_KEY/);
  assert.equal(noEnv.stdout, "");
});

test("token explains bad options with the core's codes", { timeout: 60_000 }, async () => {
  const env = { PANDORA_SIGNING_KEY: SECRET };
  const noExpiry = await npx(["token", "--mailbox", "a", "--ops", "send"], env);
  assert.equal(noExpiry.code, 2);
  assert.match(noExpiry.stderr, /missing --expires/);
  const badOp = await npx(["token", "--mailbox", "a", "--ops", "send,fetch", "--expires", "1h"], env);
  assert.equal(badOp.code, 1);
  assert.match(badOp.stderr, /\(bad_request\)/);
  const badTime = await npx(["token", "--mailbox", "a", "--ops", "send", "--expires", "soon"], env);
  assert.equal(badTime.code, 1);
  assert.match(badTime.stderr, /\(invalid_duration\)/);
  const past = await npx(["token", "--mailbox", "a", "--ops", "send", "--expires=-1h"], env);
  assert.equal(past.code, 1);
  assert.match(past.stderr, /not in the future \(out_of_range\)/);
  const short = await npx(["token", "--mailbox", "a", "--ops", "send", "--expires", "1h"], { PANDORA_SIGNING_KEY: "short" });
  assert.equal(short.code, 1);
  assert.match(short.stderr, /at least 32/);
  const help = await npx(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /token +mint a scoped token/);
});
