// Node: imports the package by name (the "node" export condition).
import * as pkg from "pandora-mq";
import { roundTrip } from "./round-trip.js";

const result = await roundTrip(pkg, `node ${process.version}`);
console.log(JSON.stringify({ ...result, entry: import.meta.resolve("pandora-mq") }));
