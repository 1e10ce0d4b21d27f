// Helpers shared by the Worker tests: one Worker per test file, and the Go
// wire protocol spoken with plain fetch, so each test reads like the HTTP it sends.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before } from "node:test";
import { startWorker } from "./start-miniflare.js";
import { startServeLikeWorker } from "../serve/support/serve-like-worker.js";

/**
 * Starts a Worker before the file's tests and stops it after them. The
 * returned object gains `url` and `mf` once started.
 */
export function useWorker(options) {
  const worker = {};
  // PANDORA_HTTP_TARGET=serve runs the same tests against `pandora-mq serve` (tests/serve/).
  const start = process.env.PANDORA_HTTP_TARGET === "serve" ? startServeLikeWorker : startWorker;
  before(async () => Object.assign(worker, await start(options)));
  after(() => worker.dispose?.());
  return worker;
}

/** A mailbox name no other test uses. */
export const newBox = (tag = "box") => `${tag}-${randomUUID()}@test`;

/**
 * One API request. `fields` (an object, or [name, value] pairs for repeated
 * names) go in the form body of a POST or the query of a GET, leaving out
 * undefined ones; `json: true` asks for JSON replies.
 */
export function api(url, route, { method = "POST", fields = {}, json = false, headers = {} } = {}) {
  const pairs = (Array.isArray(fields) ? fields : Object.entries(fields)).filter(([, v]) => v !== undefined);
  const form = new URLSearchParams(pairs);
  const target = new URL(`/api/${route}`, url);
  const init = { method, headers: { ...(json ? { Accept: "application/json" } : {}), ...headers } };
  if (method === "GET" || method === "HEAD") target.search = form.toString();
  else init.body = form;
  return fetch(target, init);
}

/** The form fields of a reply. */
export const formOf = async (res) => new URLSearchParams(await res.text());

/** Sends and returns the mid, asserting a 200. */
export async function send(url, fields, options) {
  const res = await api(url, "send", { fields, ...options });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return new URLSearchParams(text).get("mid");
}

/** Fetches `receiver`'s next message as form fields, or null on 204. */
export async function fetchNext(url, receiver, fields = {}) {
  const res = await api(url, "fetch", { fields: { receiver, ...fields } });
  if (res.status === 204) return null;
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return new URLSearchParams(text);
}

/** Acks with what the Go client sends: mid, lid and statusCode, no receiver. */
export const ack = (url, mid, lid, statusCode = 1, options = {}) =>
  api(url, "ack", { fields: { mid, lid, statusCode: String(statusCode) }, ...options });

/** Asserts an error reply of the package's form shape: status, code and a message. */
export async function assertFormError(res, status, code) {
  const body = await formOf(res);
  assert.equal(res.status, status, body.toString());
  assert.equal(res.headers.get("content-type"), "application/x-www-form-urlencoded");
  assert.equal(body.get("code"), code);
  assert.ok(body.get("error"), "an error message for people");
  assert.deepEqual([...body.keys()], ["error", "code"]);
}

/**
 * Retries `check` until it stops throwing: for the KV directory, which the
 * Worker writes after its reply (ctx.waitUntil). Polls; never waits for a clock.
 */
export async function eventually(check, tries = 1000) {
  for (let i = 1; ; i++) {
    try {
      return await check();
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setImmediate(r));
    }
  }
}

/** The admin listing of `receiver` as Go's JSON (every value an array of strings); [] on 204. */
export async function headersOf(url, receiver, fields = {}) {
  const res = await api(url, "admin/headers", { method: "GET", fields: { receiver, ...fields } });
  if (res.status === 204) return [];
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

/**
 * Resolves once the runtime's own clock has passed the lease on `receiver`'s
 * one message (`stats` counts it ready, no longer leased). Lets a test use a
 * 1 ms lease without sleeping: it polls the Worker, whose clock is the one
 * that matters.
 */
export function leaseRunsOut(url, receiver) {
  return eventually(async () => {
    const res = await api(url, "stats", { method: "GET", fields: { receiver }, json: true });
    const stats = await res.json();
    assert.deepEqual([stats.leased, stats.ready], [0, 1]);
  });
}
