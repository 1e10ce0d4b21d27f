// The reply when the Worker itself fails (a Durable Object it cannot reach, a
// misconfigured secret, a runtime error): the package's error shape with code
// `internal`, so clients branch on a code instead of parsing an error page.
const MESSAGE = "internal error: the Worker could not serve this request (see its log)";

export function internalError(request) {
  const json = (request.headers.get("accept") ?? "").toLowerCase().includes("application/json");
  const body = json
    ? JSON.stringify({ error: MESSAGE, code: "internal" })
    : new URLSearchParams({ error: MESSAGE, code: "internal" }).toString();
  const type = json ? "application/json" : "application/x-www-form-urlencoded";
  return new Response(body, {
    status: 500,
    headers: { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" },
  });
}
