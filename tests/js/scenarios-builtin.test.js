// The queue scenarios on the default store inside the wasm module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { queueScenarios } from "./queue-scenarios.js";

queueScenarios("built-in store", (options) => new Server(options), { test, assert });
