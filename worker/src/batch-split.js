// A batch route's JSON array split by the Durable Object each item belongs
// to, one subrequest per object, and the per-item replies put back in input
// order. routeRequest has already read the array (at most 100 objects, each
// item checked), so parsing it again here cannot fail; each part is sent as
// re-serialised JSON, so the object reads exactly the values it was chosen by.

/** The first value of a JSON item field as the package reads it (an array is a repeated field). */
export const firstValue = (value) => {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === null ? undefined : String(first);
};

/**
 * Groups `items` by `keyOf(item)`: Map key -> { indices, items }, in order of
 * first appearance, each group's items in input order.
 */
export function groupItems(items, keyOf) {
  const groups = new Map();
  items.forEach((item, index) => {
    const key = keyOf(item);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { indices: [], items: [] }));
    group.indices.push(index);
    group.items.push(item);
  });
  return groups;
}

/** `request` with `items` as its JSON body, replies asked in JSON (the Worker reads them). */
export function partRequest(request, items) {
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  headers.set("content-type", "application/json");
  headers.set("accept", "application/json");
  return new Request(request.url, { method: "POST", headers, body: JSON.stringify(items) });
}

/** `request` as it came, but asking for JSON replies (the Worker reads them). */
export function withJsonAccept(request) {
  const headers = new Headers(request.headers);
  headers.set("accept", "application/json");
  return new Request(request, { headers });
}

/** `[{ key, group, reply, body }]`: each group's reply from `ask(group, key)`, its body read as JSON. */
export async function askEach(groups, ask) {
  return Promise.all(
    [...groups].map(async ([key, group]) => {
      const reply = await ask(group, key);
      const text = await reply.text();
      let body = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = { error: text, code: "internal" };
      }
      return { key, group, reply, body };
    }),
  );
}

/** True when the client asked for JSON replies, as the package decides it. */
export const wantsJson = (request) => (request.headers.get("accept") ?? "").toLowerCase().includes("application/json");
