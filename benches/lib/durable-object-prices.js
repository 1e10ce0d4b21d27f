// Published list prices the cost figures use (USD). Durable Objects on the
// SQLite storage backend bill rows written, rows read and requests; Cloudflare
// Queues bills 64 KB operations, and a message costs three (write, read, delete),
// which is also what SQS standard charges per message (3 requests x $0.40/M).
export const PER_ROW_WRITTEN = 1.0 / 1e6;
export const PER_ROW_READ = 0.001 / 1e6;
export const PER_REQUEST = 0.15 / 1e6;
export const QUEUES_PER_MESSAGE = (3 * 0.4) / 1e6;

/** USD per million messages from rows written, rows read and requests per message. */
export const costPerMillion = ({ written, read, requests }) =>
  1e6 * (written * PER_ROW_WRITTEN + read * PER_ROW_READ + requests * PER_REQUEST);
