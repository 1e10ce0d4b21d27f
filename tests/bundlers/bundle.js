/**
 * Builds tests/bundlers/app with each bundler, the way a user would (defaults,
 * no plugins), into target/bundlers/<name>/ with an index.html to load.
 *
 * @module
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const APP = path.join(ROOT, "tests/bundlers/app");
const OUT = path.join(ROOT, "target/bundlers");

/** A page that loads `script` (a module unless `classic`). */
const page = (/** @type {string} */ script, classic = false) =>
  `<!doctype html>\n<title>pandora-mq bundled</title>\n<script ${classic ? "" : 'type="module" '}src="./${script}"></script>\n`;

async function fresh(/** @type {string} */ name) {
  const dir = path.join(OUT, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * esbuild with the wasm as a file next to the bundle ("url"), inlined as
 * bytes ("bytes"), or the plain app that hands nothing over ("default").
 */
export async function buildEsbuild(/** @type {"url" | "bytes" | "default"} */ form) {
  const { build } = await import("esbuild");
  const dir = await fresh(`esbuild-${form}`);
  await build({
    entryPoints: { main: path.join(APP, form === "default" ? "default.js" : `esbuild-${form}.js`) },
    bundle: true,
    format: "esm",
    platform: "browser",
    outdir: dir,
    loader: { ".wasm": form === "url" ? "file" : "binary" },
    logLevel: "error",
  });
  await writeFile(path.join(dir, "index.html"), page("main.js"));
  return dir;
}

export async function buildVite() {
  const { build } = await import("vite");
  const dir = await fresh("vite");
  // base "./": the test serves each build under its own path, not at "/".
  await build({ root: APP, base: "./", configFile: false, logLevel: "error", build: { outDir: dir, emptyOutDir: true } });
  return dir;
}

export async function buildWebpack() {
  const { default: webpack } = await import("webpack");
  const dir = await fresh("webpack");
  const stats = await new Promise((resolve, reject) =>
    webpack({ mode: "production", context: ROOT, entry: path.join(APP, "default.js"), output: { path: dir, filename: "main.js" } }, (err, s) =>
      err ? reject(err) : resolve(s),
    ),
  );
  const s = /** @type {import("webpack").Stats} */ (stats);
  if (s.hasErrors()) throw new Error(s.toString({ all: false, errors: true }));
  await writeFile(path.join(dir, "index.html"), page("main.js", true));
  return dir;
}
