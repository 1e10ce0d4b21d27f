// The shipped index.d.ts, as a TypeScript user meets it: the usage file must
// compile, and its @ts-expect-error lines prove misuse is rejected.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { test } from "node:test";

const root = fileURLToPath(new URL("../../", import.meta.url));

test("index.d.ts type-checks the documented usage and rejects misuse", async () => {
  const tsc = `${root}node_modules/typescript/bin/tsc`;
  const project = fileURLToPath(new URL("./types/tsconfig.json", import.meta.url));
  const run = promisify(execFile)(process.execPath, [tsc, "-p", project]);
  const { stdout } = await run.catch((e) => assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`));
  assert.equal(stdout, "");
});
