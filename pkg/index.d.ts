// ---- Host types -------------------------------------------------------------
// The package names a few classes of its host (Request, Response, fetch,
// URLSearchParams, IndexedDB, Web Locks, WebAssembly.Module). Where the project's types declare
// them (lib "dom", @types/node, Workers or Deno types) these are exactly the
// host's own; without any of those (lib ["es2022"] alone) they fall back to
// the few members the package uses, so index.d.ts compiles anywhere.

/** The instance type of global class `Name` if the host's types declare it, else `Fallback`. */
type HostClass<Name extends string, Fallback> = typeof globalThis extends { [K in Name]: { prototype: infer T } } ? T : Fallback;

type HostRequest = HostClass<"Request", { readonly method: string; readonly url: string; text(): Promise<string>; clone(): HostRequest }>;
type HostResponse = HostClass<"Response", { readonly status: number; text(): Promise<string> }>;
type HostFetch = typeof globalThis extends { fetch: infer F } ? F : (input: string, init?: object) => Promise<HostResponse>;
type HostURL = HostClass<"URL", { readonly href: string }>;
type HostURLSearchParams = HostClass<"URLSearchParams", { toString(): string; getAll(name: string): string[] }>;
type HostIDBFactory = HostClass<"IDBFactory", { open(name: string, version?: number): object; deleteDatabase(name: string): object }>;
type HostLockManager = HostClass<"LockManager", { request(name: string, ...rest: any[]): Promise<any> }>;
type HostWasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : object;

/** Stable snake_case error codes; see README "Errors". */
export type ErrorCode =
  | "message_too_big" | "invalid_mailbox" | "nil_body" | "invalid_key" | "invalid_duration"
  | "invalid_time" | "out_of_range" | "reserved_field" | "lock_mismatch" | "lease_expired"
  | "unknown_status" | "not_found" | "bad_request" | "storage" | "corrupt" | "unsupported_format"
  | "unauthorized" | "forbidden" | "method_not_allowed" | "unsupported_media_type" | "http" | "network" | "internal";

/** Every error pandora-mq throws. Branch on `code`; a storage failure keeps the callback's error as `cause`. */
export class PandoraError extends Error {
  constructor(code: string, message?: string, options?: { cause?: unknown });
  readonly code: ErrorCode | (string & {});
  static from(err: unknown): PandoraError;
}

type MaybePromise<T> = T | Promise<T>;

/** An ordered key-value store. Keys are ASCII, compared bytewise. */
export interface Storage {
  /** The value under `key`, or undefined. */
  get(key: string): MaybePromise<Uint8Array | undefined>;
  /** Entries with `prefix` and key >= `start`, ascending, at most `limit`. */
  list(o: { prefix: string; start?: string; limit?: number }): MaybePromise<[string, Uint8Array][]>;
  /** Applies all puts and deletes (null) atomically. */
  write(batch: [string, Uint8Array | null][]): MaybePromise<void>;
  /** Runs `fn` under a lock shared by every instance on the same data, if the backend needs one. */
  exclusive?<T>(fn: () => Promise<T>): Promise<T>;
}

/** Milliseconds, or a Go duration string such as "300ms", "1.5s", "5m", "1h30m". */
export type Duration = number | string;

/** Form fields; an array value is a repeated field. */
export type Body = Record<string, string | number | boolean | (string | number | boolean)[]>;

export interface ServerOptions {
  storage?: Storage;
  clock?: () => number;
  random?: (bytes: Uint8Array) => void;
  maxSize?: number;
  defaultLease?: Duration;
  maxDelay?: Duration;
  dedupeWindow?: Duration;
  lidPrefix?: string;
  admin?: boolean;
  /** Full access over HTTP: `Authorization: Bearer <token>`. */
  token?: string;
  /** Accept scoped tokens (`mintToken`) signed by these secrets, by kid (each at least 32 bytes). */
  signingKeys?: Record<string, string>;
  headersPage?: number;
}

export type StatusName = "notDelivered" | "rejected" | "timeout" | "confirmed" | "dead";

export interface Header {
  mid: string;
  status: StatusName;
  statusCode: 1 | 2 | 4 | 8 | 16;
  sender: string;
  receiver: string;
  /** Times are ms since the Unix epoch. */
  receivedAt: number;
  sendWhen: number;
  /** 0 when never leased. */
  leasedUntil: number;
  deliveryCount: number;
  clientTime: number;
}

export interface ListedHeader extends Header {
  /** True while a lease is running. */
  leased: boolean;
}

export interface Message extends Header {
  lid: string;
  /** False when the blob was missing; then `body` is empty. */
  validBody: boolean;
  body: Record<string, string | string[]>;
}

export interface SendInput {
  sender: string;
  receiver: string;
  delay?: Duration;
  /** ms, Date or RFC 3339. A retry with the same clientTime and body is deduplicated. */
  clientTime?: number | Date | string;
  body?: Body | HostURLSearchParams | string;
}

export type AckStatus = "confirmed" | "rejected" | 1 | 2;

export class Server {
  constructor(options?: ServerOptions);
  send(input: SendInput): Promise<{ mid: string; duplicate: boolean }>;
  fetchLatest(receiver: string, options?: { lease?: Duration }): Promise<Message | null>;
  ack(mid: string, lid: string, status: AckStatus, options?: { retryDelay?: Duration }): Promise<void>;
  /** `after`: ms, Date or RFC 3339; `limit` 1 to 100 (the default), as over HTTP. */
  fetchHeaders(receiver: string, options?: { after?: number | Date | string; afterMid?: string; limit?: number }): Promise<ListedHeader[]>;
  fetchBlob(mid: string): Promise<string | null>;
  reenqueue(): Promise<number>;
  handle(request: HostRequest): Promise<HostResponse>;
}

/** The API operation a request names; `headers`, `fetchBlob` and `reenqueue` are the admin routes. */
export type RouteName = "send" | "fetch" | "ack" | "headers" | "fetchBlob" | "reenqueue" | "extend" | "cancel" | "peek" | "stats" | "redrive" | "purge" | "sendBatch" | "ackBatch";

/** A request that passed the API's checks: its operation and the first value of each routing field. */
export interface RoutedRequest {
  route: RouteName;
  receiver?: string;
  lid?: string;
  mid?: string;
}

/**
 * The API's checks without a server, for hosts that pick a server per request:
 * a refusal to send as is (`{ response }`, exactly `Server.handle`'s reply) or
 * the route and fields to pick by. The request is read from a clone, so it can be forwarded.
 */
export function routeRequest(
  request: HostRequest,
  options?: { admin?: boolean; token?: string; signingKeys?: Record<string, string>; clock?: () => number },
): Promise<{ response: HostResponse } | RoutedRequest>;

/** A host's summed reenqueue count, replied exactly as one server's `admin/reenqueue` (form or JSON by Accept). */
export function countReply(request: HostRequest, n: number): HostResponse;
/** A host's own failure as the API's error reply: 500, code `internal`, message `internal error: <why>`. */
export function internalErrorReply(request: HostRequest, why: string): HostResponse;

/** What a scoped token may do: `send`; `consume` (fetch, ack); `admin` (the admin routes). */
export type TokenOp = "send" | "consume" | "admin";

/** The claims of a scoped token. */
export interface TokenClaims {
  /** An exact mailbox name, or a prefix ending in `*` (`*` alone: every mailbox). */
  mailbox: string;
  ops: TokenOp[];
  /** The last valid moment: ms since the epoch, a Date or RFC 3339. Required. */
  expires: number | Date | string;
  /** The id of the signing key, as in the server's `signingKeys`. */
  kid: string;
}

/** A scoped bearer token, `pmq1.<kid>.<payload>.<mac>` (HMAC-SHA-256 with `secret`). */
export function mintToken(claims: TokenClaims, secret: string): string;

/** HTTP client of the Go-compatible wire protocol. */
export class Mailbox {
  constructor(baseUrl: string, options?: { token?: string; fetch?: HostFetch });
  send(input: SendInput): Promise<{ mid: string; duplicate: boolean }>;
  fetch(receiver: string, options?: { lease?: Duration }): Promise<Message | null>;
  ack(mid: string, lid: string, status: AckStatus, options?: { retryDelay?: Duration }): Promise<void>;
  fetchHeaders(receiver: string, options?: { after?: number; afterMid?: string; limit?: number }): Promise<ListedHeader[]>;
  fetchBlob(mid: string): Promise<string | null>;
  reenqueue(): Promise<number>;
}

/** The core's vocabularies and limits: the one definition the package and these typings follow. */
export interface Tables {
  readonly statuses: Readonly<Record<StatusName, number>>;
  /** Codes the core gives; `httpErrorCodes` the HTTP layer adds. */
  readonly errorCodes: readonly ErrorCode[];
  readonly httpErrorCodes: readonly ErrorCode[];
  readonly routes: readonly RouteName[];
  /** Slot names of a message as the wasm hands it over. */
  readonly messageRow: readonly string[];
  /** Fields the server writes into every stored body (part of what the mid hashes). */
  readonly stampedFields: readonly string[];
  readonly limits: Readonly<{ maxMailboxBytes: number; minLease: number; maxLease: number; maxDelayLimit: number; maxHeadersLimit: number }>;
  /** One entry per option the core reads (durations in ms; `token`: none). */
  readonly defaults: Readonly<{ maxSize: number; defaultLease: number; maxDelay: number; dedupeWindow: number; lidPrefix: string; admin: boolean; token: null; headersPage: number }>;
}
export function tables(): Tables;

/** A body as `[name, value, …]`, as the Server stores it: an array value is a repeated field, nullish values are absent. */
export function flatFields(body: Record<string, unknown> | HostURLSearchParams | string | undefined): string[];
export function flatFields(body: null): null;

/** A sorted in-JS store: the simplest example of the Storage contract. */
export function memoryStorage(): Storage;
/** IndexedDB in browsers; `exclusive` uses Web Locks so tabs never double-deliver. */
export function indexedDbStorage(name?: string, options?: { idb?: HostIDBFactory; locks?: HostLockManager | null }): Storage & { close(): Promise<void> };
export function deleteIndexedDb(name: string, options?: { idb?: HostIDBFactory }): Promise<void>;
/** Durable Object storage (`ctx.storage`): the production backend on Workers. */
export function durableObjectStorage(storage: unknown): Storage;
/** Workers KV: eventually consistent and not atomic; safe only for a single writer. */
export function kvStorage(namespace: unknown, options?: { prefix?: string }): Storage;
/** Test double: call number `failAt` (get/list/write counted together) rejects. */
export function faultyStorage(inner: Storage, options?: { failAt?: number }): Storage & { calls: number; failAt: number };

/**
 * Hands the package its wasm, for a bundler that copies no wasm next to the
 * bundle (esbuild): a URL of `pandora-mq/wasm`, its bytes, a fetch Response,
 * or a compiled WebAssembly.Module. Await it before the first use. Everywhere
 * else the wasm loads on import and this does nothing.
 */
export function initWasm(source: string | HostURL | HostResponse | PromiseLike<HostResponse> | ArrayBuffer | ArrayBufferView | HostWasmModule): Promise<void>;

/**
 * SQLite on an open `node:sqlite` DatabaseSync (Node >= 22.5, Deno), `better-sqlite3`
 * Database or `bun:sqlite` Database: WAL, synchronous=FULL, each write one transaction;
 * `exclusive` = BEGIN IMMEDIATE, so processes sharing the file never double-deliver.
 */
export function sqliteStorage(db: unknown, options?: { table?: string }): Storage & { close(): Promise<void> };
/**
 * PostgreSQL on an npm `pg` Pool: one table (`key text COLLATE "C"`, `value bytea`);
 * `exclusive` = one transaction holding `pg_advisory_xact_lock`. `ready` settles once the table exists.
 * `close()` waits for queued operations; the pool stays yours to end.
 */
export function postgresStorage(pool: unknown, options?: { table?: string; schema?: string }): Storage & { ready: Promise<void>; close(): Promise<void> };
/**
 * Deno KV (`await Deno.openKv(path)`): ordered keys, each write one atomic commit; a batch over
 * Deno KV's mutation limit is refused whole. `exclusive` covers this process only.
 */
export function denoKvStorage(kv: unknown, options?: { namespace?: string }): Storage & { close(): Promise<void> };
