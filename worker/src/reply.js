// Replies the Worker writes itself (it answers some requests without asking a
// Durable Object). They copy the package's shapes exactly, so a client cannot
// tell which side answered: `error=<message>&code=<code>` form text, or
// `{"error","code"}` when Accept names application/json; the same headers.

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

/** "json" when Accept mentions application/json at all (as the package decides), else "form". */
export function replyFormat(request) {
  const accept = request.headers.get("accept") ?? "";
  return accept.toLowerCase().includes(JSON_TYPE) ? "json" : "form";
}

function reply(status, contentType, text, extra = {}) {
  return new Response(text, {
    status,
    headers: {
      "Content-Type": contentType,
      // As the package: replies are per-request state, and text is never sniffed as HTML.
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      ...extra,
    },
  });
}

/** An error reply; `extra` adds headers (Allow, WWW-Authenticate). */
export function failure(format, status, code, message, extra) {
  if (format === "json") return reply(status, JSON_TYPE, JSON.stringify({ error: message, code }), extra);
  // Two encodings joined so `error` comes first, as in the package (Go's layout plus a code).
  const text = `${new URLSearchParams({ error: message })}&${new URLSearchParams({ code })}`;
  return reply(status, FORM, text, extra);
}

/** 200 with one numeric field: `count=3` or `{"count":3}`. */
export function count(format, n) {
  return format === "json" ? reply(200, JSON_TYPE, JSON.stringify({ count: n })) : reply(200, FORM, `count=${n}`);
}

export const noRoute = (format, path) =>
  failure(format, 404, "not_found", `not found: no route for ${JSON.stringify(path)}`);

export const methodNotAllowed = (format, route, method) => {
  const allow = route.methods.join(", ");
  return failure(format, 405, "method_not_allowed", `method ${JSON.stringify(method)} not allowed here; use ${allow}`, {
    Allow: allow,
  });
};

export const unauthorized = (format) =>
  failure(format, 401, "unauthorized", 'unauthorized: send the header "Authorization: Bearer <token>"', {
    "WWW-Authenticate": "Bearer",
  });
