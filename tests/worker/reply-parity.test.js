// The Worker's replies to requests it cannot or need not hand to a mailbox are
// the package's, byte for byte, so clients cannot tell a Worker from a single
// server. Refusals come from the package's own checks (routeRequest), requests
// naming no object get the reply of an object that holds nothing, and the summed
// reenqueue count has the shape of one server's. Each case goes to the Worker
// and to an in-process Server that holds nothing either.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Server } from "pandora-mq";
import { useWorker } from "./support.js";

const TOKEN = "parity";
const worker = useWorker({ env: { PANDORA_TOKEN: TOKEN } });
const local = new Server({ admin: true, token: TOKEN });

const AUTH = { Authorization: `Bearer ${TOKEN}` };
const JSON_REPLY = { Accept: "application/json" };
const FORM_BODY = { ...AUTH, "Content-Type": "application/x-www-form-urlencoded" };
const JSON_BODY = { ...AUTH, "Content-Type": "application/json" };
const COMPARED_HEADERS = ["content-type", "allow", "www-authenticate", "cache-control", "x-content-type-options"];
const MID = "0".repeat(40);

const cases = [
  // Refused before any operation.
  ["no token", "POST", "/api/fetch", { "Content-Type": "application/x-www-form-urlencoded" }, "receiver=b"],
  ["wrong token, JSON", "POST", "/api/fetch", { Authorization: "Bearer nope", ...JSON_REPLY }, "receiver=b"],
  ["unknown route", "POST", "/api/nope", AUTH],
  ["unknown route, JSON", "GET", "/api/x/sendx", { ...AUTH, ...JSON_REPLY }],
  ["GET of send", "GET", "/api/send", AUTH],
  ["PUT of reenqueue, JSON", "PUT", "/api/admin/reenqueue", { ...AUTH, ...JSON_REPLY }],
  ["body of an unsupported type", "POST", "/api/send", { ...AUTH, "Content-Type": "text/plain" }, "receiver=b"],
  ["broken % escape", "POST", "/api/send", FORM_BODY, "sender=a&receiver=%zz"],
  ["malformed JSON, JSON", "POST", "/api/send", { ...JSON_BODY, ...JSON_REPLY }, '{"receiver": '],
  // Naming no object.
  ["send without a receiver", "POST", "/api/send", FORM_BODY, "sender=a%40x&topic=hi"],
  ["send with an empty receiver, JSON", "POST", "/api/send", { ...FORM_BODY, ...JSON_REPLY }, "sender=a%40x&receiver="],
  ["fetch without a receiver", "POST", "/api/fetch", FORM_BODY, "leaseTime=1m"],
  ["headers without a receiver", "GET", "/api/admin/headers", AUTH],
  ["ack with a lid no object issued", "POST", "/api/ack", FORM_BODY, `mid=${MID}&lid=nodot&statusCode=1`],
  ["ack without a lid, JSON", "POST", "/api/ack", { ...FORM_BODY, ...JSON_REPLY }, `mid=${MID}&statusCode=1`],
  ["fetchBlob without a mid", "GET", "/api/admin/fetchBlob", AUTH],
  ["fetchBlob of a malformed mid", "GET", "/api/admin/fetchBlob?mid=xyz", AUTH],
  ["fetchBlob of an unknown mid, JSON", "GET", `/api/admin/fetchBlob?mid=${MID}`, { ...AUTH, ...JSON_REPLY }],
  // Summed over every mailbox (none in this Worker's directory).
  ["reenqueue of every mailbox", "POST", "/api/admin/reenqueue", AUTH],
  ["reenqueue of every mailbox, JSON", "GET", "/api/admin/reenqueue", { ...AUTH, ...JSON_REPLY }],
];

for (const [name, method, path, headers, body] of cases) {
  test(`same reply as the package: ${name}`, async () => {
    const fromWorker = await fetch(worker.url + path, { method, headers, body });
    const fromPackage = await local.handle(new Request(`http://local${path}`, { method, headers, body }));
    assert.equal(fromWorker.status, fromPackage.status);
    for (const header of COMPARED_HEADERS) {
      assert.equal(fromWorker.headers.get(header), fromPackage.headers.get(header), header);
    }
    assert.equal(await fromWorker.text(), await fromPackage.text());
  });
}
