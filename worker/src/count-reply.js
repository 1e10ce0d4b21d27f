// The one reply the Worker writes itself: the summed count of a reenqueue over
// every mailbox (no single object can give it). It has the shape one object's
// reenqueue reply has, so a client cannot tell the difference: `count=<n>`, or
// `{"count":n}` when Accept names application/json (as the package decides).

export function countReply(request, n) {
  const json = (request.headers.get("accept") ?? "").toLowerCase().includes("application/json");
  const [type, text] = json ? ["application/json", JSON.stringify({ count: n })] : ["application/x-www-form-urlencoded", `count=${n}`];
  return new Response(text, {
    headers: { "Content-Type": type, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}
