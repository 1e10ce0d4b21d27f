// Bun: imports the package by name (Bun picks the "node" export condition).
import * as pkg from "pandora-mq";
import { roundTrip } from "./round-trip.js";

const result = await roundTrip(pkg, `bun ${Bun.version}`);
console.log(JSON.stringify({ ...result, entry: import.meta.resolve("pandora-mq") }));
