// The published package: `npm pack` of pkg/ holds the types and the wasm and
// no Rust sources, and a fresh project that installs the tarball (offline;
// the package has no dependencies) can import "pandora-mq" and round-trip.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { assertRoundTrip } from "../runtimes/support/expect.js";

const run = promisify(execFile);
const ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const ROUND_TRIP = pathToFileURL(path.join(ROOT, "tests/runtimes/scripts/round-trip.js")).href;

/** A scratch folder outside the repository, so nothing resolves to the repo's node_modules. */
let scratch;
/** @type {string} */
let tarball;
/** @type {string[]} */
let files;

before(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "pandora-pack-"));
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", scratch], { cwd: path.join(ROOT, "pkg"), maxBuffer: 16 << 20 });
  const [info] = JSON.parse(stdout);
  tarball = path.join(scratch, info.filename);
  // Read the tarball itself, not npm's report of it.
  const listing = await run("tar", ["tzf", tarball], { maxBuffer: 16 << 20 });
  files = listing.stdout.trim().split("\n").map((f) => f.replace(/^package\//, ""));
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("the tarball holds the types, the wasm, the glue and every entry", () => {
  for (const file of ["package.json", "index.d.ts", "pandora_mq_bg.wasm", "pandora_mq.js", "src/index.js", "src/server.js",
    "entry/node.js", "entry/browser.js", "entry/deno.js", "entry/workerd.js"]) {
    assert.ok(files.includes(file), `${file} is missing from ${path.basename(tarball)}`);
  }
});

test("the tarball holds no Rust sources or build files", () => {
  const rust = files.filter((f) => f.endsWith(".rs") || /(^|\/)Cargo\.(toml|lock)$/.test(f) || f.startsWith("target/"));
  assert.deepStrictEqual(rust, []);
});

test("a fresh project installs the tarball offline and round-trips a message", { timeout: 180_000 }, async () => {
  const project = path.join(scratch, "app");
  await run("mkdir", ["-p", project]);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "pack-check", private: true, type: "module" }));
  const install = (/** @type {string} */ mode) =>
    run("npm", ["install", "--no-audit", "--no-fund", mode, tarball], { cwd: project, maxBuffer: 16 << 20 });
  try {
    await install("--offline");
  } catch {
    await install("--prefer-offline");
  }
  assert.ok(existsSync(path.join(project, "node_modules/pandora-mq/index.d.ts")), "types not installed");

  writeFileSync(path.join(project, "check.mjs"), [
    'import * as pkg from "pandora-mq";',
    `import { roundTrip } from ${JSON.stringify(ROUND_TRIP)};`,
    'const result = await roundTrip(pkg, `node ${process.version}`);',
    'console.log(JSON.stringify({ ...result, entry: import.meta.resolve("pandora-mq") }));',
  ].join("\n"));
  const { stdout } = await run(process.execPath, ["check.mjs"], { cwd: project });
  const result = JSON.parse(stdout.trim().split("\n").pop() ?? "null");
  assertRoundTrip(result, { runtime: /^node /, entry: new RegExp(`^${pathToFileURL(project).href}/node_modules/pandora-mq/entry/node\\.js$`) });
});
