// The queue scenarios through faultyStorage with faults off: the wrapper must be invisible.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage, faultyStorage } from "pandora-mq";
import { queueScenarios } from "./queue-scenarios.js";

queueScenarios(
  "faultyStorage(memoryStorage)",
  ({ clock }) => new Server({ storage: faultyStorage(memoryStorage(), { failAt: Infinity }), clock }),
  { test, assert },
);
