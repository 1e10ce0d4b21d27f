// Smoke test of `make start` itself: scripts/start.sh (the package is built
// already) runs wrangler dev on a fresh state directory; the README's curl
// lines go through send, fetch and ack; the demo page is served; Ctrl-C stops it.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, test } from "node:test";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const START_TIMEOUT = 120_000;

// The README's curl lines, read from the README itself so the two cannot drift.
// $MID and $LID are what the fetch printed.
export const README_CURL = readFileSync(join(ROOT, "README.md"), "utf8")
  .split("\n")
  .filter((line) => line.startsWith("curl ") && line.includes("127.0.0.1:8787/api/"));
assert.equal(README_CURL.length, 3, "the README shows three curl lines: send, fetch, ack");

/** A port nobody listens on right now, so a running `make start` on 8787 is no obstacle. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

let child;
let output = "";
let port;
let state;
let exited;

before(async () => {
  port = await freePort();
  state = await mkdtemp(join(tmpdir(), "pandora-start-"));
  // Its own process group, so one signal reaches wrangler and workerd too.
  child = spawn("bash", ["scripts/start.sh"], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, PORT: String(port), PANDORA_STATE: state },
    stdio: ["ignore", "pipe", "pipe"],
  });
  exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  // wrangler says "Ready on <url>" once it serves requests.
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${START_TIMEOUT} ms:\n${output}`)), START_TIMEOUT);
    const watch = (chunk) => {
      output += chunk;
      if (output.includes(`Ready on http://127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", watch);
    child.stderr.on("data", watch);
    exited.then(({ code, signal }) => reject(new Error(`start.sh exited (${code ?? signal}) before ready:\n${output}`)));
  });
});

after(async () => {
  if (child && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGKILL");
  if (state) await rm(state, { recursive: true, force: true });
});

/** Runs one README line in bash against this test's port. */
async function run(line, env = {}) {
  const command = line.replaceAll("127.0.0.1:8787", `127.0.0.1:${port}`);
  const { stdout } = await promisify(execFile)("bash", ["-c", command], { env: { ...process.env, ...env } });
  return stdout;
}

test("the README's curl lines: send, fetch, ack", { timeout: START_TIMEOUT }, async () => {
  const sent = new URLSearchParams(await run(README_CURL[0]));
  assert.match(sent.get("mid"), /^[0-9a-f]{40}$/);

  const msg = new URLSearchParams(await run(README_CURL[1]));
  assert.equal(msg.get("mid"), sent.get("mid"));
  assert.equal(msg.get("topic"), "hello");

  assert.equal(await run(README_CURL[2], { MID: msg.get("mid"), LID: msg.get("lid") }), "200\n");
  // State went to the directory given, on disk.
  assert.ok((await readdir(state)).length > 0);
});

test("the demo page is served at /", async () => {
  const res = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /data-testid="compose-form"/);
});

test("Ctrl-C (SIGINT to the group) stops it", { timeout: 30_000 }, async () => {
  process.kill(-child.pid, "SIGINT");
  const { code, signal } = await exited;
  assert.ok(code === 0 || signal === "SIGINT", `exit ${code ?? signal}\n${output}`);
  assert.ok(existsSync(state));
});
