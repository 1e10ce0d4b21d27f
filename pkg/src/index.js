/**
 * pandora-mq: everything the package exports, for every runtime. The entry
 * points in `entry/` initialise the wasm first, then re-export this module.
 *
 * @module
 */
export { Server } from "./server.js";
export { tables } from "./tables.js";
export { flatFields } from "./body.js";
export { routeRequest } from "./route-request.js";
export { mintToken } from "./token.js";
export { countReply, internalErrorReply } from "./host-reply.js";
export { settingsFromEnv } from "./settings-env.js";
export { corsHeaders } from "./cors.js";
export { PandoraError } from "./error.js";
export { Mailbox } from "./mailbox.js";
export { memoryStorage } from "./storage/memory.js";
export { indexedDbStorage, deleteIndexedDb } from "./storage/indexeddb.js";
export { durableObjectStorage } from "./storage/durable-object.js";
export { kvStorage } from "./storage/kv.js";
export { faultyStorage } from "./storage/faulty.js";
export { sqliteStorage } from "./storage/sqlite.js";
export { postgresStorage } from "./storage/postgres.js";
export { denoKvStorage } from "./storage/deno-kv.js";
