/**
 * `pandora-mq serve` started with the settings a Worker test gives Miniflare
 * (admin on unless PANDORA_ADMIN says otherwise, PANDORA_TOKEN), shaped like
 * startWorker's result, so the Worker's HTTP tests run against it unchanged.
 *
 * @module
 */
import { startServe } from "./serve-process.js";

/** @param {{ env?: Record<string, unknown> }} [options] */
export async function startServeLikeWorker({ env = {} } = {}) {
  const settings = { PANDORA_ADMIN: "on", ...env };
  const flags = ["--store", process.env.PANDORA_SERVE_STORE ?? "memory"];
  const childEnv = { PANDORA_ADMIN: String(settings.PANDORA_ADMIN) };
  if (settings.PANDORA_TOKEN !== undefined) childEnv.PANDORA_TOKEN = String(settings.PANDORA_TOKEN);
  const serve = await startServe(flags, { env: childEnv });
  return { url: serve.url, dispose: () => serve.stop() };
}
