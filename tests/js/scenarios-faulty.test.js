// The queue scenarios through faultyStorage with faults off: the wrapper must be invisible.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage, faultyStorage } from "pandora-mq";
import { queueScenarios } from "./queue-scenarios.js";

queueScenarios(
  "faultyStorage(memoryStorage)",
  (options) => new Server({ ...options, storage: faultyStorage(memoryStorage(), { failAt: Infinity }) }),
  { test, assert },
);
