/**
 * The Node binaries the serve tests run: the tooling may run on npm's Node 24
 * (the Makefile puts it first on PATH), while better-sqlite3 is built for the
 * machine's own Node, which the Makefile names in MACHINE_NODE.
 *
 * @module
 */
import path from "node:path";
import { execFileSync } from "node:child_process";
import { ROOT } from "./run-suite.js";

/** The machine's Node: the one better-sqlite3 is compiled for. */
export const MACHINE_NODE = process.env.MACHINE_NODE || process.execPath;

/** npm's Node 24 (node:sqlite built in). */
export const NODE24 = path.join(ROOT, "node_modules/node24/bin/node");

/** True when `binary` has node:sqlite (Node >= 22.5). */
export function hasNodeSqlite(binary) {
  try {
    execFileSync(binary, ["-e", "require('node:sqlite')"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
