#!/usr/bin/env node
// The `pandora-mq` command: `pandora-mq <command> [options]`. Each command is
// the module commands/<command>.js, exporting `summary` (one line for this
// usage text) and `run(args)` (resolving to the exit code), so adding one is
// adding its file.
import { readdirSync } from "node:fs";

const COMMANDS = new URL("./commands/", import.meta.url);
const NAME = /^[a-z][a-z0-9-]*$/;

async function usage(out) {
  const names = readdirSync(COMMANDS).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3)).sort();
  const lines = await Promise.all(names.map(async (name) => `  ${name.padEnd(8)} ${(await import(new URL(`${name}.js`, COMMANDS))).summary}`));
  out.write(`usage: pandora-mq <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nRun pandora-mq <command> --help for a command's options.\n`);
}

const [name, ...args] = process.argv.slice(2);
if (name === undefined || name === "--help" || name === "-h" || name === "help") {
  await usage(name === undefined ? process.stderr : process.stdout);
  process.exitCode = name === undefined ? 2 : 0;
} else if (!NAME.test(name) || !readdirSync(COMMANDS).includes(`${name}.js`)) {
  process.stderr.write(`pandora-mq: unknown command ${JSON.stringify(name)}\n`);
  await usage(process.stderr);
  process.exitCode = 2;
} else {
  const command = await import(new URL(`${name}.js`, COMMANDS));
  process.exitCode = (await command.run(args)) ?? 0;
}
