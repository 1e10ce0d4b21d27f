// workerd: a Worker that imports the package's workerd entry (which imports the
// .wasm as a compiled module) and answers every request with the round trip.
import * as pkg from "../../../node_modules/pandora-mq/entry/workerd.js";
import { roundTrip } from "./round-trip.js";

export default {
  async fetch() {
    try {
      return Response.json({ ...(await roundTrip(pkg, `workerd ${navigator.userAgent}`)), entry: "entry/workerd.js" });
    } catch (err) {
      return Response.json({ error: String(err?.stack ?? err) }, { status: 500 });
    }
  },
};
