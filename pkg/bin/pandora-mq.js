#!/usr/bin/env node
// The pandora-mq command: `pandora-mq <command> [options]`. Each command is a
// module in ./commands/ exporting `run(args)`; this file only dispatches.
const COMMANDS = {
  serve: () => import("./commands/serve.js"),
};

const [name, ...args] = process.argv.slice(2);
if (!name || name === "--help" || name === "-h" || !Object.hasOwn(COMMANDS, name)) {
  const known = Object.keys(COMMANDS).join(", ");
  console.error(name && !name.startsWith("-") ? `pandora-mq: unknown command "${name}" (commands: ${known})` : `usage: pandora-mq <command> [options]   (commands: ${known}; pandora-mq <command> --help)`);
  process.exit(name && !name.startsWith("-") ? 2 : name ? 0 : 2);
}
const command = await COMMANDS[name]();
await command.run(args);
