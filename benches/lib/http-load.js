/**
 * HTTP load for the serve benchmarks: `connections` keep-alive connections,
 * each sending its requests one after another (a new one when the last reply
 * is in), as a client of a queue server does.
 *
 * @module
 */
import http from "node:http";

/**
 * One request over `agent`; resolves to { status, body }.
 * @param {http.Agent} agent
 * @param {URL} url
 * @param {string} form
 */
export function post(agent, url, form, retried = false) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      agent,
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(form) },
    }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", (err) => {
      // A keep-alive socket the server closed just as this request went out
      // (Node's documented race): the request never reached it, so send it again once.
      if (!retried && req.reusedSocket && /** @type {any} */ (err).code === "ECONNRESET") resolve(post(agent, url, form, true));
      else reject(err);
    });
    req.end(form);
  });
}

/**
 * Runs `total` jobs over `connections` connections; resolves to jobs/s.
 * @param {number} connections
 * @param {number} total
 * @param {(agent: http.Agent, i: number) => Promise<void>} job
 */
export async function rate(connections, total, job) {
  const agents = Array.from({ length: connections }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  let next = 0;
  const started = performance.now();
  await Promise.all(agents.map(async (agent) => {
    while (next < total) await job(agent, next++);
  }));
  const seconds = (performance.now() - started) / 1000;
  for (const a of agents) a.destroy();
  return total / seconds;
}

/** `mid` and `lid` out of a form-encoded fetch reply. @param {string} body */
export function leaseOf(body) {
  const fields = new URLSearchParams(body);
  return { mid: fields.get("mid"), lid: fields.get("lid") };
}
