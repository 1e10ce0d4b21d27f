// Deno: imports the package's deno entry by path (no npm: specifier needed).
import * as pkg from "../../../node_modules/pandora-mq/entry/deno.js";
import { roundTrip } from "./round-trip.js";

const result = await roundTrip(pkg, `deno ${Deno.version.deno}`);
console.log(JSON.stringify({ ...result, entry: new URL("../../../node_modules/pandora-mq/entry/deno.js", import.meta.url).href }));
