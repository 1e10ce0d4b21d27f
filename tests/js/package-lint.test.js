// The packed package as linters and TypeScript users see it: index.d.ts
// compiles with lib ["es2022"] alone (no DOM, no host types) under every
// moduleResolution a project may use, and publint and
// @arethetypeswrong/cli find nothing in the tarball scripts/install-pkg.sh made.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { test } from "node:test";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const bin = (/** @type {string} */ name) => path.join(ROOT, "node_modules/.bin", name);

/** Runs a tool; fails the test with its output if it exits non-zero. */
async function run(/** @type {string} */ command, /** @type {string[]} */ args) {
  const { stdout, stderr } = await promisify(execFile)(command, args, { cwd: ROOT, maxBuffer: 16 << 20 }).catch((e) =>
    assert.fail(`${path.basename(command)} ${args.join(" ")} failed:\n${e.stdout}${e.stderr}`),
  );
  return stdout + stderr;
}

/** The newest tarball in target/npm (written by scripts/install-pkg.sh). */
function tarball() {
  const dir = path.join(ROOT, "target/npm");
  const files = readdirSync(dir).filter((f) => f.endsWith(".tgz")).map((f) => path.join(dir, f));
  assert.ok(files.length > 0, "no packed package in target/npm (run scripts/install-pkg.sh)");
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

for (const resolution of ["bundler", "node16", "nodenext"]) {
  test(`index.d.ts compiles with lib es2022 only, moduleResolution ${resolution}`, async () => {
    const project = path.join(ROOT, `tests/consumers/tsconfig.${resolution}.json`);
    assert.equal(await run(bin("tsc"), ["-p", project, "--listFilesOnly"]).then((out) => out.includes("node_modules/pandora-mq/index.d.ts")), true, "the consumer did not load the package's types");
    assert.equal(await run(bin("tsc"), ["-p", project]), "");
  });
}

test("publint finds nothing in the packed package", async () => {
  const out = await run(bin("publint"), ["run", tarball(), "--strict"]);
  assert.match(out, /All good!/);
});

test("@arethetypeswrong/cli finds no problem in the packed package", async () => {
  // "./wasm" is an asset, not a module: what importing it gives is the bundler's loader's business.
  const out = await run(bin("attw"), [tarball(), "--exclude-entrypoints", "./wasm", "--format", "json"]);
  const report = JSON.parse(out);
  assert.deepStrictEqual(report.problems, {});
  // Both ways in resolve: import (ESM) and require (CJS) from Node, and bundlers.
  const resolutions = report.analysis.entrypoints["."].resolutions;
  assert.deepStrictEqual(Object.keys(resolutions).sort(), ["bundler", "node10", "node16-cjs", "node16-esm"]);
});
