// The queue scenarios on memoryStorage(), whose callbacks answer synchronously.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage } from "pandora-mq";
import { queueScenarios } from "./queue-scenarios.js";

queueScenarios("memoryStorage", (options) => new Server({ ...options, storage: memoryStorage() }), { test, assert });
