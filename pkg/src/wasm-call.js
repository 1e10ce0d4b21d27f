/**
 * Every call into the wasm core goes through `intoWasm`, and every operation
 * that waits on JS storage is driven to its end by `finish`, so a trap inside
 * wasm (a `WebAssembly.RuntimeError`: with `panic = "abort"` any Rust panic is
 * one) rejects that call with code `internal`. A trapped instance may hold
 * half-written state, so from then on every call is refused with a clear error
 * instead of running on it (or hanging, as a trap in a microtask would).
 * A call before the wasm is loaded at all (a bundle whose wasm fetch failed,
 * no `initWasm` yet) is refused with code `not_initialized`.
 *
 * @module
 */
import { Pending, useErrorClass } from "../pandora_mq.js";
import { PandoraError } from "./error.js";

/** @type {Error | null} the first trap, once one happened */
let trapped = null;
/** The core builds its errors as this package's PandoraError once told the class. */
let prepared = false;

function isTrap(e) {
  return e instanceof WebAssembly.RuntimeError || (e instanceof Error && e.cause instanceof WebAssembly.RuntimeError);
}

function refusal() {
  const why = `the wasm core trapped earlier (${trapped?.message}); reload the package to get a working Server`;
  return new PandoraError("internal", why, { cause: trapped });
}

/** The wasm glue, called before instantiation, reads a property of its still undefined `wasm`. */
function notInitialized(e) {
  const why =
    "the package's wasm is not loaded: await initWasm(url, bytes or module) before the first use, " +
    "or import the package's node, deno or workerd entry, which load it on import";
  return new PandoraError("not_initialized", why, { cause: e });
}

function rethrow(e) {
  if (!isTrap(e)) return e;
  trapped ??= e instanceof WebAssembly.RuntimeError ? e : e.cause;
  return new PandoraError("internal", `internal error: the wasm core trapped: ${trapped.message}`, { cause: trapped });
}

/**
 * Runs `fn` (one call into wasm); a trap becomes a PandoraError `internal`.
 * @template T
 * @param {() => T} fn
 * @returns {T}
 */
export function intoWasm(fn) {
  if (trapped) throw refusal();
  try {
    if (!prepared) {
      // The first call into wasm: a TypeError here means there is no instance yet.
      try {
        useErrorClass(PandoraError);
      } catch (e) {
        throw e instanceof TypeError ? notInitialized(e) : e;
      }
      prepared = true;
    }
    return fn();
  } catch (e) {
    throw rethrow(e);
  }
}

/**
 * The result of an operation: as is when it finished at once, else each
 * `Pending` poll runs under `intoWasm` until it finishes.
 * @param {unknown} result
 */
export async function finish(result) {
  if (!(result instanceof Pending)) return result;
  try {
    for (;;) {
      await result.ready;
      if (intoWasm(() => result.poll())) return result.value;
    }
  } finally {
    if (!trapped) result.free();
  }
}

/** Whether the core has trapped (for tests and health checks). */
export function hasTrapped() {
  return trapped !== null;
}
