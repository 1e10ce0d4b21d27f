// Which API operation a path names: the Worker's copy of the package's route
// table (src/http/route.rs), because it must know the operation to pick the
// Durable Object before the package sees the request. Matching is by path
// suffix that starts a segment, as in the Go original, so `/api/x/send` is a send.

/** name, path suffix, methods it answers, whether it is an admin route. */
const ROUTES = [
  { name: "headers", suffix: "admin/headers", methods: ["GET"], admin: true },
  { name: "fetchBlob", suffix: "admin/fetchBlob", methods: ["GET"], admin: true },
  { name: "reenqueue", suffix: "admin/reenqueue", methods: ["GET", "POST"], admin: true },
  { name: "send", suffix: "send", methods: ["POST"], admin: false },
  { name: "fetch", suffix: "fetch", methods: ["POST"], admin: false },
  { name: "ack", suffix: "ack", methods: ["POST"], admin: false },
];

/** The route `path` ends with, or undefined. Case-sensitive, on the raw path. */
export function routeOf(path) {
  return ROUTES.find(({ suffix }) => {
    if (!path.endsWith(suffix)) return false;
    const rest = path.slice(0, path.length - suffix.length);
    return rest === "" || rest.endsWith("/");
  });
}
