// Bearer-token check, done before anything else so an unauthorised request
// learns nothing and touches no state. Same rules as the package's own check
// (src/http/auth.rs): scheme case-insensitive, an empty token matches nothing.

const encoder = new TextEncoder();

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
function bearerToken(header) {
  const text = (header ?? "").trim();
  const space = text.indexOf(" ");
  if (space < 0 || text.slice(0, space).toLowerCase() !== "bearer") return undefined;
  const token = text.slice(space + 1).trimStart();
  return token === "" ? undefined : token;
}

/**
 * True when the request carries exactly `expected`. Both sides are hashed
 * first, so timingSafeEqual always compares equal lengths and neither the
 * secret's length nor the length of a matching prefix shows in the timing.
 */
export async function authorized(request, expected) {
  const given = bearerToken(request.headers.get("authorization"));
  if (given === undefined || expected === "") return false;
  const [a, b] = await Promise.all(
    [given, expected].map((s) => crypto.subtle.digest("SHA-256", encoder.encode(s))),
  );
  return crypto.subtle.timingSafeEqual(a, b);
}
