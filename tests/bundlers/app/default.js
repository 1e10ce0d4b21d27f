// The app as a user writes it for a bundler that follows
// `new URL(…, import.meta.url)` (Vite, webpack): import the package, use it.
import * as pkg from "pandora-mq";
import { report } from "./report.js";

report(pkg);
