// A client mistake the Worker finds before any Durable Object is involved; the
// API turns it into the package's error reply (see reply.js).
export class FieldError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
