// The README's JavaScript example runs as written: the first ```js block under
// a heading containing "JavaScript", run with node where "pandora-mq" resolves
// to the installed package; it must exit 0, and a failed console.assert in it
// counts as a failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const README = path.join(ROOT, "README.md");
const STRICT = path.join(ROOT, "tests/js/support/strict-console-assert.js");
/** Inside the repo, so node finds node_modules/pandora-mq walking up. */
const DIR = path.join(ROOT, "target/readme");

/**
 * The first ```js block in the section of the first heading containing "JavaScript".
 * @param {string} markdown
 * @returns {string}
 */
export function javascriptExample(markdown) {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => /^#{1,6}\s.*JavaScript/.test(l));
  assert.ok(start >= 0, "README.md has no heading containing \"JavaScript\"");
  const level = /** @type {string} */ (lines[start].match(/^#+/)?.[0]).length;
  for (let i = start + 1; i < lines.length; i++) {
    const heading = lines[i].match(/^(#{1,6})\s/);
    if (heading && heading[1].length <= level) break;
    if (/^```(js|javascript|mjs)\s*$/.test(lines[i])) {
      const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
      assert.ok(end > i, "the ```js block under the JavaScript heading is not closed");
      return lines.slice(i + 1, end).join("\n");
    }
  }
  assert.fail(`README.md: no \`\`\`js block under "${lines[start]}"`);
}

/**
 * Runs `code` as an ES module with node; resolves to { code, stdout, stderr }.
 * @param {string} code
 * @param {string} name
 */
async function runModule(code, name) {
  mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `${name}-${process.pid}.mjs`);
  writeFileSync(file, code);
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", STRICT, file], { cwd: DIR, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = /** @type {any} */ (err);
    return { code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(err) };
  } finally {
    rmSync(file, { force: true });
  }
}

test("the README's JavaScript example runs and exits 0", async () => {
  assert.ok(existsSync(README), `README.md is missing at ${README}: the JavaScript example cannot be checked`);
  const example = javascriptExample(readFileSync(README, "utf8"));
  assert.match(example, /from "pandora-mq"/, "the example does not import the package by name");
  const { code, stdout, stderr } = await runModule(example, "readme-example");
  assert.strictEqual(code, 0, `the README example failed (exit ${code}):\n${stderr}\n--- example ---\n${example}`);
  assert.doesNotMatch(stderr, /Assertion failed/);
  console.log(stdout.trim());
});

test("the npm package README's example runs and exits 0", async () => {
  const readme = readFileSync(path.join(ROOT, "node_modules/pandora-mq/README.md"), "utf8");
  const example = readme.match(/^```js\n([\s\S]*?)^```$/m)?.[1];
  assert.ok(example, "the published README has no ```js block");
  const { code, stderr } = await runModule(example, "pkg-readme-example");
  assert.strictEqual(code, 0, `the package README example failed (exit ${code}):\n${stderr}`);
});

test("control: a failing console.assert makes such a run fail", async () => {
  const { code, stderr } = await runModule('import { Server } from "pandora-mq";\nconsole.assert(new Server() === null, "on purpose");\n', "readme-control");
  assert.notStrictEqual(code, 0);
  assert.match(stderr, /console\.assert failed: on purpose/);
});

test("control: the extractor finds the block under the JavaScript heading only", () => {
  const md = "# x\n```js\nwrong()\n```\n## JavaScript\ntext\n```sh\nno\n```\n```js\nright()\n```\n## Rust\n```js\nlater()\n```\n";
  assert.strictEqual(javascriptExample(md), "right()");
  assert.throws(() => javascriptExample("## JavaScript\nnone\n## Rust\n```js\nx\n```\n"), /no ```js block/);
});
