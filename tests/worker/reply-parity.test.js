// The Worker answers some requests itself (they concern no mailbox); its
// replies must be the package's, byte for byte, so clients cannot tell which
// side answered. Each case is sent to the Worker and to an in-process Server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Server } from "pandora-mq";
import { useWorker } from "./support.js";

const TOKEN = "parity";
const worker = useWorker({ env: { PANDORA_TOKEN: TOKEN } });
const local = new Server({ admin: true, token: TOKEN });

const AUTH = { Authorization: `Bearer ${TOKEN}` };
const JSON_REPLY = { Accept: "application/json" };
const FORM_BODY = { "Content-Type": "application/x-www-form-urlencoded" };
const COMPARED_HEADERS = ["content-type", "allow", "www-authenticate", "cache-control", "x-content-type-options"];

const cases = [
  ["send without a receiver", "POST", "/api/send", { ...AUTH, ...FORM_BODY }, "sender=a%40x&topic=hi"],
  ["send without a receiver, JSON", "POST", "/api/send", { ...AUTH, ...FORM_BODY, ...JSON_REPLY }, "sender=a%40x"],
  ["send with an empty receiver", "POST", "/api/send", { ...AUTH, ...FORM_BODY }, "sender=a%40x&receiver="],
  ["fetch without a receiver", "POST", "/api/fetch", { ...AUTH, ...FORM_BODY }, "leaseTime=1m"],
  ["GET of send", "GET", "/api/send", AUTH],
  ["PUT of reenqueue, JSON", "PUT", "/api/admin/reenqueue", { ...AUTH, ...JSON_REPLY }],
  ["unknown route", "POST", "/api/nope", AUTH],
  ["unknown route, JSON", "GET", "/api/x/sendx", { ...AUTH, ...JSON_REPLY }],
  ["body of an unsupported type", "POST", "/api/send", { ...AUTH, "Content-Type": "text/plain" }, "receiver=b"],
  ["fetchBlob without a mid", "GET", "/api/admin/fetchBlob", AUTH],
  ["no token", "POST", "/api/fetch", FORM_BODY, "receiver=b"],
  ["wrong token, JSON", "POST", "/api/fetch", { Authorization: "Bearer nope", ...JSON_REPLY }, "receiver=b"],
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

test("malformed JSON is a 400 bad_request from both", async () => {
  const init = { method: "POST", headers: { ...AUTH, "Content-Type": "application/json", ...JSON_REPLY }, body: '{"receiver": ' };
  const fromWorker = await fetch(`${worker.url}/api/send`, init);
  const fromPackage = await local.handle(new Request("http://local/api/send", init));
  assert.equal(fromWorker.status, fromPackage.status);
  assert.equal((await fromWorker.json()).code, (await fromPackage.json()).code);
});
