/**
 * The one error class pandora-mq throws in JavaScript.
 *
 * Callers branch on `code`, a stable snake_case string shared with the Rust
 * core and the HTTP protocol, never on `message`, which is for humans and may
 * change. The core's codes are listed by `tables().errorCodes` (and the HTTP
 * layer's by `httpErrorCodes`); the HTTP client adds `http` and `network`.
 * The wasm core constructs this class itself (see wasm-call.js), so its errors
 * arrive as they are, `.cause` included.
 *
 * @module
 */

/**
 * An error with a stable machine-readable `code`.
 * @property {string} code stable snake_case code (read-only)
 */
export class PandoraError extends Error {
  /**
   * @param {string} code stable snake_case code, e.g. `lock_mismatch`
   * @param {string} [message] human-readable description
   * @param {{ cause?: unknown }} [options] standard Error options; `cause` keeps the underlying error
   */
  constructor(code, message, options) {
    super(message, options);
    // Not writable: code is what callers branch on, so nothing should retarget it later.
    Object.defineProperty(this, "code", { value: String(code), enumerable: true, writable: false });
  }

  /**
   * Converts any thrown value to a PandoraError: returned unchanged if it
   * already is one; an error carrying a string `code` (such as one raised by
   * the wasm core) keeps its code, message and cause; anything else becomes
   * code `internal` with the original value as `cause`.
   * @param {unknown} err
   * @returns {PandoraError}
   */
  static from(err) {
    if (err instanceof PandoraError) return err;
    const e = /** @type {any} */ (err);
    if (e !== null && typeof e === "object" && typeof e.code === "string") {
      return new PandoraError(e.code, String(e.message ?? ""), "cause" in e ? { cause: e.cause } : undefined);
    }
    const message = e !== null && typeof e === "object" && "message" in e ? String(e.message) : String(err);
    return new PandoraError("internal", message, { cause: err });
  }
}

// Set on the prototype so stack traces and console output say PandoraError,
// also after minification renames the class.
Object.defineProperty(PandoraError.prototype, "name", { value: "PandoraError", writable: true, configurable: true });
