// The Worker picks the object by `receiver` before the package reads the same
// field again, so both must read it alike, or a message would sit in another
// mailbox's object: body before query, the first of repeated values, JSON
// duplicates, arrays, null and number literals as the package reads them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fetchNext, newBox, useWorker } from "./support.js";

const worker = useWorker();

async function sendRaw(query, contentType, body) {
  const res = await fetch(`${worker.url}/api/send?${query}`, { method: "POST", headers: { "Content-Type": contentType }, body });
  assert.equal(res.status, 200, await res.clone().text());
  return new URLSearchParams(await res.text()).get("mid");
}

/** Asserts `mid` is in `receiver`'s object and that `other` holds nothing. */
async function assertLandedIn(receiver, mid, other) {
  const msg = await fetchNext(worker.url, receiver);
  assert.equal(msg?.get("mid"), mid);
  assert.equal(msg.get("receiver"), receiver);
  if (other) assert.equal(await fetchNext(worker.url, other), null);
}

test("a form body's receiver wins over the query's", async () => {
  const [body, query] = [newBox("body"), newBox("query")];
  const mid = await sendRaw(`receiver=${encodeURIComponent(query)}`, "application/x-www-form-urlencoded", new URLSearchParams({ sender: "a@x", receiver: body }));
  await assertLandedIn(body, mid, query);
});

test("the first of repeated form values is the receiver", async () => {
  const [first, second] = [newBox("first"), newBox("second")];
  const mid = await sendRaw("", "application/x-www-form-urlencoded", new URLSearchParams([["sender", "a@x"], ["receiver", first], ["receiver", second]]));
  await assertLandedIn(first, mid, second);
});

test("a POST with the receiver only in the query", async () => {
  const receiver = newBox();
  const mid = await sendRaw(`sender=a%40x&receiver=${encodeURIComponent(receiver)}`, "application/x-www-form-urlencoded", "");
  await assertLandedIn(receiver, mid);
});

test("JSON: the first of duplicate names (JSON.parse would keep the last)", async () => {
  const [first, second] = [newBox("first"), newBox("second")];
  const mid = await sendRaw("", "application/json", `{"sender":"a@x","receiver":${JSON.stringify(first)},"receiver":${JSON.stringify(second)}}`);
  await assertLandedIn(first, mid, second);
});

test("JSON: an array's first element; an escaped name; null defers to the query", async () => {
  const [a, b] = [newBox("a"), newBox("b")];
  const fromArray = await sendRaw("", "application/json", JSON.stringify({ sender: "a@x", receiver: [a, b] }));
  await assertLandedIn(a, fromArray, b);

  const c = newBox("c");
  const escaped = await sendRaw("", "application/json", `{"sender":"a@x","receiv\\u0065r":${JSON.stringify(c)}}`);
  await assertLandedIn(c, escaped);

  const d = newBox("d");
  const fromQuery = await sendRaw(`receiver=${encodeURIComponent(d)}`, "application/json", '{"sender":"a@x","receiver":null}');
  await assertLandedIn(d, fromQuery);
});

test("JSON: a number keeps its literal text", async () => {
  const mid = await sendRaw("", "application/json", '{"sender":"a@x","receiver":1.50, "n": [1, 2]}');
  await assertLandedIn("1.50", mid, "1.5");
});

test("a byte order mark stays part of the first name, as the package reads it", async () => {
  const [bodyBox, queryBox] = [newBox("bom"), newBox("query")];
  const body = `\uFEFFreceiver=${encodeURIComponent(bodyBox)}&sender=a%40x`;
  const mid = await sendRaw(`receiver=${encodeURIComponent(queryBox)}`, "application/x-www-form-urlencoded", body);
  await assertLandedIn(queryBox, mid, bodyBox);
});
