// The queue scenarios on a store whose callbacks all answer with Promises that
// settle a macrotask later (the shape of IndexedDB and Durable Object storage).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage } from "pandora-mq";
import { queueScenarios } from "./queue-scenarios.js";
import { promiseStorage } from "./support/storage.js";

queueScenarios("promise callbacks", (options) => new Server({ ...options, storage: promiseStorage(memoryStorage()) }), {
  test,
  assert,
});
