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
type HostAbortSignal = HostClass<"AbortSignal", { readonly aborted: boolean; addEventListener(type: "abort", listener: () => void, options?: object): void; removeEventListener(type: "abort", listener: () => void): void }>;

/** Stable snake_case error codes; see README "Errors". */
export type ErrorCode =
  | "message_too_big" | "invalid_mailbox" | "nil_body" | "invalid_key" | "invalid_duration"
  | "invalid_time" | "out_of_range" | "reserved_field" | "lock_mismatch" | "lease_expired"
  | "unknown_status" | "not_found" | "bad_request" | "storage" | "corrupt" | "unsupported_format"
  | "unauthorized" | "forbidden" | "method_not_allowed" | "unsupported_media_type" | "http" | "network" | "internal"
  /** A use before the wasm is loaded: `await initWasm(…)` first (the node, deno and workerd entries load it on import). */
  | "not_initialized";

/** Every error pandora-mq throws. Branch on `code`; a storage failure keeps the callback's error as `cause`. */
export class PandoraError extends Error {
  constructor(code: string, message?: string, options?: { cause?: unknown });
  readonly code: ErrorCode | (string & {});
  /** The HTTP status of a `Mailbox` call the server refused; absent on errors of an in-process `Server`. */
  readonly status?: number;
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
  /**
   * True when one Server is the only writer of this data (a Durable Object's own storage): that
   * Server then keeps the index rows `stats` counts in memory, updated from its own writes: from
   * its first operation when it found the data empty, else after a mailbox's first `stats`; later
   * calls read nothing. Leave it unset for data that tabs, processes or several Servers share.
   */
  readonly soleWriter?: boolean;
  /**
   * True when `exclusive(fn, mailbox)` locks only `mailbox` (null: everything): the Server then
   * names the one mailbox an operation writes, and its sweep keeps to that mailbox.
   */
  readonly mailboxLocks?: boolean;
  /** Runs `fn` under a lock shared by every instance on the same data, if the backend needs one. */
  exclusive?<T>(fn: () => Promise<T>, mailbox?: string | null): Promise<T>;
  /** Tells the other servers on the same data that `mailboxes` (null: any) may have a message due (long polls). */
  notify?(mailboxes: string[] | null): void;
  /** Calls `listener` with the mailboxes another server notified; returns the unsubscribe function. */
  subscribe?(listener: (mailboxes: string[] | null) => void): () => void;
  /**
   * A hint that the next operation will `get(key)` (a fetch names the record the next fetch reads):
   * a store whose reads are round trips may start reading it now. Its result and errors are ignored;
   * it must not change what any call returns.
   */
  prefetch?(key: string): void;
  /**
   * What one `write` may hold, when the store caps it (Deno KV's atomic commit): at most `keys`
   * keys, their sizes adding up to at most `keyBytes`, keys and values to at most `bytes`, each key
   * counted as its length plus `keyOverhead`. A cap left out is no cap. `purge`, `redrive` and
   * `reenqueue` then split their work into writes that fit, each holding whole messages.
   */
  readonly writeLimit?: { keys?: number; keyBytes?: number; bytes?: number; keyOverhead?: number };
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
  /** How long after its first send an identical send (same fields and clientTime) is a duplicate, even once confirmed (default "5m", as SQS FIFO). */
  dedupeWindow?: Duration;
  lidPrefix?: string;
  /** Deliveries after which a rejected or timed-out message is dead (statusCode 16); 0: unlimited. */
  maxDeliveries?: number;
  /** Delay before a rejected or timed-out message is due again when the ack names none: `initial * factor^(n-1)`, at most `max`. */
  retryBackoff?: RetryBackoff | null;
  /** Longest a message stays pending, whatever its ttl; 0: forever. */
  retention?: Duration;
  /** What a long poll sleeps on (default: the host's); its deadlines follow `clock`. */
  timers?: Timers;
  admin?: boolean;
  /** Full access over HTTP: `Authorization: Bearer <token>`. */
  token?: string;
  /** Accept scoped tokens (`mintToken`) signed by these secrets, by kid (each at least 32 bytes). */
  signingKeys?: Record<string, string>;
  headersPage?: number;
}

/** `max` defaults to `maxDelay`, `factor` to 2. */
export interface RetryBackoff {
  initial: Duration;
  max?: Duration;
  factor?: number;
}

/** The host's timer functions, or fakes driven by a test. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: any): void;
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
  /** When it is next due: its send time, the end of a running lease, or a rejected message's retry time. */
  visibleAt: number;
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
  /** Time to live: a message still pending this long after it was received is never delivered. */
  ttl?: Duration;
}

export type AckStatus = "confirmed" | "rejected" | 1 | 2;

/** A message as `peek` shows it: with its body, without a lid. */
export type PeekedMessage = Omit<Message, "lid">;

/** One item of `ackBatch`. */
export interface AckInput {
  mid: string;
  lid: string;
  status: AckStatus;
  retryDelay?: Duration;
}

/** Each `ackBatch` item's own outcome. */
export type AckResult = { ok: true } | { ok: false; code: ErrorCode | (string & {}); message: string };

/** Exact counts of one mailbox. */
export interface MailboxStats {
  ready: number;
  delayed: number;
  leased: number;
  dead: number;
  /** Bytes of the stored bodies of all of the above. */
  bytes: number;
  /** The earliest due time (ms) of a ready message, or null. */
  oldestReady: number | null;
}

export class Server {
  constructor(options?: ServerOptions);
  send(input: SendInput): Promise<{ mid: string; duplicate: boolean }>;
  /** At most 100 messages (1 MiB of bodies), one atomic write; a bad item refuses the call, naming its index. */
  sendBatch(inputs: SendInput[]): Promise<{ mid: string; duplicate: boolean }[]>;
  /**
   * `wait` (0 to 20 s, default 0): hold until a message is due, else null. `signal` ends the wait
   * early, with null, and leases nothing more (a fetch already under way still returns what it leased).
   */
  fetchLatest(receiver: string, options?: { lease?: Duration; wait?: Duration; signal?: HostAbortSignal }): Promise<Message | null>;
  /** Up to `max` (1 to 100, default 1) due messages, earliest first, each with its own lid; `wait` and `signal` as for fetchLatest. */
  fetchBatch(receiver: string, options?: { max?: number; lease?: Duration; wait?: Duration; signal?: HostAbortSignal }): Promise<Message[]>;
  ack(mid: string, lid: string, status: AckStatus, options?: { retryDelay?: Duration }): Promise<void>;
  /** At most 100 acks, each independent. */
  ackBatch(acks: AckInput[]): Promise<AckResult[]>;
  /** Renews the current lease (same lid), at most 12 h after the fetch that issued it. */
  extend(mid: string, lid: string, options?: { lease?: Duration }): Promise<{ leasedUntil: number }>;
  /** Removes a pending message (delayed, due or leased); false when it was not pending. */
  cancel(receiver: string, mid: string): Promise<{ cancelled: boolean }>;
  /**
   * Reads every mailbox's index rows into memory in steps of `rows` (1 to 10,000, default 1,000),
   * other operations running between steps, so later `stats` calls read nothing: for a Server
   * opened on existing data of a `soleWriter` store (a Durable Object woken again).
   */
  warmStats(options?: { rows?: number }): Promise<void>;
  /** The next due messages (`limit` 1 to 100, default 1), no lease taken, nothing changed. */
  peek(receiver: string, options?: { limit?: number }): Promise<PeekedMessage[]>;
  /**
   * Exact counts of a mailbox, from its indexes alone (nothing added to send, fetch or ack). On a
   * `soleWriter` storage found empty no call reads the store; on one opened on existing data only
   * the first call per mailbox does; elsewhere each call reads the mailbox's index rows.
   */
  stats(receiver: string): Promise<MailboxStats>;
  /** Dead messages back to ready, oldest first (`limit` 1 to 1000, the default), delivery count reset. */
  redrive(receiver: string, options?: { limit?: number }): Promise<{ moved: number }>;
  /** Deletes every pending and dead message, or only the dead ones; safe to repeat after a failure. */
  purge(receiver: string, options?: { status?: "all" | "dead" }): Promise<{ deleted: number }>;
  /** Pending messages not under a lease (as Go lists them). `after`: ms, Date or RFC 3339; `limit` 1 to 100 (the default), as over HTTP; `status: "dead"`: the dead letters; `status: "leased"`: the messages under a lease (reads the mailbox's whole delivery index). */
  fetchHeaders(receiver: string, options?: { status?: "dead" | "leased"; after?: number | Date | string; afterMid?: string; limit?: number }): Promise<ListedHeader[]>;
  fetchBlob(mid: string): Promise<string | null>;
  reenqueue(): Promise<number>;
  /** The HTTP API; a `POST …/fetch` with `wait` is held as a long poll, ended early (leasing nothing) when `request.signal` aborts. */
  handle(request: HostRequest): Promise<HostResponse>;
  /** The worker loop on this server's clock and timers; see `ConsumeOptions`. */
  consume(receiver: string, handler: (message: Message) => unknown, options?: ConsumeOptions): Consumer;
}

/** Where a loop error of `consume` happened; `message` is the one it concerned (none for a fetch). */
export interface ConsumeErrorContext {
  phase: "fetch" | "extend" | "ack";
  message?: Message;
}

export interface ConsumeOptions {
  /** Handlers running at once, 1 to 100 (default 1); each fetch asks for as many messages as slots are free. */
  concurrency?: number;
  /** Lease of each message (default "30s"), renewed at half its remaining time while the handler runs. */
  lease?: Duration;
  /** Long poll of each fetch, 0 to 20 s (default 20 s). Where a server answers sooner with nothing (it cannot wait), or with `wait: 0`, the loop polls with a pause of 100 ms doubling up to 5 s. */
  wait?: Duration;
  /** Aborting it is `stop()`. */
  signal?: HostAbortSignal;
  /**
   * Errors of the loop itself (a fetch, extend or ack failing: storage, network, a lost lease). With
   * `onError` each is reported and the loop goes on (a failed fetch is retried after a pause); without
   * it the first one stops the loop and `done` rejects with it. A handler that throws is no loop error:
   * its message is rejected, so the server's `retryBackoff` and `maxDeliveries` apply.
   */
  onError?: (error: PandoraError, context: ConsumeErrorContext) => void;
  /** Default: the Server's (the Mailbox's constructor options for a Mailbox). */
  clock?: () => number;
  timers?: Timers;
}

/** A running `consume` loop. */
export interface Consumer {
  /** Takes no new message; `done` resolves once the handlers running have finished (and a poll under way has answered: what it brings is handled). */
  stop(): void;
  readonly done: Promise<void>;
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

/**
 * The options `maxDeliveries`, `retryBackoff` and `retention` from a deployment's variables, as the
 * Worker and `serve` read them: PANDORA_MAX_DELIVERIES ("5"), PANDORA_RETRY_BACKOFF ("1s,5m,2" or
 * the same as JSON), PANDORA_RETENTION ("168h" or ms). Unset or "" ones are left out; values go to
 * `new Server` as they are, whose checks apply. A malformed PANDORA_RETRY_BACKOFF throws `bad_request`.
 */
export function settingsFromEnv(env: Record<string, string | undefined>): Pick<ServerOptions, "maxDeliveries" | "retryBackoff" | "retention">;

/**
 * The CORS headers of an API reply to a request from `origin` (its Origin header, or null), for the
 * exact origins listed in `env.PANDORA_CORS_ORIGINS` (comma-separated), as the Worker and `serve`
 * answer: for a preflight (`preflight: true`, replied 204) always some, with the Allow headers
 * when the origin is listed; for any other reply null when no origin is listed at all.
 */
export function corsHeaders(
  env: Record<string, string | undefined>,
  request: { origin: string | null; preflight: boolean },
): Record<string, string> | null;

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
  /** `clock` and `timers` are what `consume` reads time from and sleeps on (default: the host's). */
  constructor(baseUrl: string, options?: { token?: string; fetch?: HostFetch; clock?: () => number; timers?: Timers });
  send(input: SendInput): Promise<{ mid: string; duplicate: boolean }>;
  /** `POST …/sendBatch`: as `Server.sendBatch`. */
  sendBatch(inputs: SendInput[]): Promise<{ mid: string; duplicate: boolean }[]>;
  /**
   * `POST …/fetch`; `wait` (0 to 20 s) holds the request until a message is due. `signal` aborts the
   * request and resolves to null; the server, seeing its client gone, leases nothing more.
   */
  fetch(receiver: string, options?: { lease?: Duration; wait?: Duration; signal?: HostAbortSignal }): Promise<Message | null>;
  /** The same as `fetch`, by the Server's name. */
  fetchLatest(receiver: string, options?: { lease?: Duration; wait?: Duration; signal?: HostAbortSignal }): Promise<Message | null>;
  /** `POST …/fetch` with `max` (1 to 100, default 1); `signal` as for `fetch`, resolving to `[]`. */
  fetchBatch(receiver: string, options?: { max?: number; lease?: Duration; wait?: Duration; signal?: HostAbortSignal }): Promise<Message[]>;
  ack(mid: string, lid: string, status: AckStatus, options?: { retryDelay?: Duration }): Promise<void>;
  /** `POST …/ackBatch`: each ack independent. */
  ackBatch(acks: AckInput[]): Promise<AckResult[]>;
  /** `POST …/extend`; over HTTP `lease` is required. */
  extend(mid: string, lid: string, options: { lease: Duration }): Promise<{ leasedUntil: number }>;
  cancel(receiver: string, mid: string): Promise<{ cancelled: boolean }>;
  peek(receiver: string, options?: { limit?: number }): Promise<PeekedMessage[]>;
  stats(receiver: string): Promise<MailboxStats>;
  /** `POST …/admin/redrive` (admin routes on). */
  redrive(receiver: string, options?: { limit?: number }): Promise<{ moved: number }>;
  /** `POST …/admin/purge` (admin routes on). */
  purge(receiver: string, options?: { status?: "all" | "dead" }): Promise<{ deleted: number }>;
  fetchHeaders(receiver: string, options?: { status?: "dead" | "leased"; after?: number | Date | string; afterMid?: string; limit?: number }): Promise<ListedHeader[]>;
  fetchBlob(mid: string): Promise<string | null>;
  reenqueue(): Promise<number>;
  /** The worker loop over HTTP, on the constructor's `clock` and `timers`; see `ConsumeOptions`. */
  consume(receiver: string, handler: (message: Message) => unknown, options?: Omit<ConsumeOptions, "clock" | "timers">): Consumer;
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
  readonly limits: Readonly<{
    maxMailboxBytes: number; minLease: number; maxLease: number; maxDelayLimit: number; maxHeadersLimit: number;
    maxBatch: number; maxBatchBytes: number; maxChunk: number; maxWait: number;
  }>;
  /** One entry per option the core reads (durations in ms; `token`: none). */
  readonly defaults: Readonly<{
    maxSize: number; defaultLease: number; maxDelay: number; dedupeWindow: number; lidPrefix: string;
    maxDeliveries: number; retryBackoff: null; retention: number; admin: boolean; token: null; signingKeys: null; headersPage: number;
  }>;
}
export function tables(): Tables;

/** A body as `[name, value, …]`, as the Server stores it: an array value is a repeated field, nullish values are absent. */
export function flatFields(body: Record<string, unknown> | HostURLSearchParams | string | undefined): string[];
export function flatFields(body: null): null;

/** A sorted in-JS store: the simplest example of the Storage contract. */
export function memoryStorage(): Storage;
/** IndexedDB in browsers; `exclusive` uses Web Locks so tabs never double-deliver; a BroadcastChannel per database wakes other tabs' long polls. */
export function indexedDbStorage(
  name?: string,
  options?: { idb?: HostIDBFactory; locks?: HostLockManager | null; BroadcastChannel?: unknown },
): Storage & { close(): Promise<void> };
export function deleteIndexedDb(name: string, options?: { idb?: HostIDBFactory }): Promise<void>;
/** Durable Object storage (`ctx.storage`): the production backend on Workers. Only its object writes it: `soleWriter` is true. */
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
 * `exclusive` = BEGIN IMMEDIATE, so processes sharing the file never double-deliver;
 * operations that queue up share one commit. A commit in another process wakes this one's
 * long polls (`fs.watch` on the WAL, where the runtime has `process.getBuiltinModule`).
 */
export function sqliteStorage(db: unknown, options?: { table?: string }): Storage & { close(): Promise<void> };
/**
 * PostgreSQL on an npm `pg` Pool: one table (`key text COLLATE "C"`, `value bytea`);
 * `exclusive(fn, mailbox)` = one transaction holding advisory locks: that mailbox's (and the
 * table's, shared), or the table's alone when no mailbox is named (`mailboxLocks` is true). `ready` settles once the table exists.
 * A send wakes the long polls of every server on the table (`LISTEN`/`NOTIFY`; the listening
 * connection is one of its own, made from the pool's options, while long polls wait).
 * `log` hears when that connection cannot be made or is lost (long polls then wait for their deadline).
 * A round trip or a wait for a connection longer than `timeoutMs` (default 30 000) fails the operation
 * as `storage` and drops that connection: a server that stops answering never holds callers for good.
 * `close()` waits for queued operations; the pool stays yours to end.
 */
export function postgresStorage(
  pool: unknown,
  options?: { table?: string; schema?: string; log?: (line: string) => void; timeoutMs?: number },
): Storage & { ready: Promise<void>; close(): Promise<void> };
/**
 * Deno KV (`await Deno.openKv(path)`): ordered keys, each write one atomic commit; a write over
 * one commit's limits is refused whole, and `writeLimit` lets the Server split its bulk writes to
 * fit. `exclusive` holds across processes and `Deno.Kv` handles, optimistically: a write commits
 * only if nothing else committed since the operation's first read, else the operation runs again
 * (for up to `retryFor` ms, default 30 s, then a `storage` error). Given `path` (the file `kv` was
 * opened on), a commit in another process wakes this one's long polls.
 */
export function denoKvStorage(kv: unknown, options?: { namespace?: string; path?: string; retryFor?: number }): Storage & { close(): Promise<void> };
