/**
 * The same small round trip in every runtime: send (delayed), fetch too early,
 * fetch when due, confirm, then check it is gone. Takes the package's module
 * namespace, however the runtime imported it, and returns JSON-safe results
 * for the Node test to check. No runtime-specific APIs in here.
 *
 * @module
 */

/**
 * @param {any} pkg the imported `pandora-mq` module
 * @param {string} runtime a name and version of the runtime, for the report
 */
export async function roundTrip(pkg, runtime) {
  let t = Date.UTC(2030, 0, 1);
  const server = new pkg.Server({ clock: () => t });
  const sent = await server.send({ sender: "ann", receiver: "bob", delay: "1s", clientTime: t, body: { topic: "hi", tag: ["a", "b"] } });
  const early = await server.fetchLatest("bob");
  t += 1000;
  const msg = await server.fetchLatest("bob", { lease: "30s" });
  const blob = await server.fetchBlob(sent.mid);
  await server.ack(msg.mid, msg.lid, "confirmed");
  const afterConfirm = await server.fetchLatest("bob");
  let ackAgain = null;
  try {
    await server.ack(msg.mid, msg.lid, "confirmed");
  } catch (err) {
    ackAgain = { isPandoraError: err instanceof pkg.PandoraError, code: err.code };
  }
  // The same through JS storage callbacks, to cross the wasm boundary both ways.
  const viaCallbacks = new pkg.Server({ storage: pkg.memoryStorage(), clock: () => t });
  const again = await viaCallbacks.send({ sender: "ann", receiver: "bob", delay: "1s", clientTime: t - 1000, body: { topic: "hi", tag: ["a", "b"] } });
  return {
    runtime,
    exports: Object.keys(pkg).sort(),
    sent,
    early,
    delivered: {
      mid: msg.mid,
      topic: msg.body.topic,
      tag: msg.body.tag,
      deliveryCount: msg.deliveryCount,
      leasedFor: msg.leasedUntil - t,
      lidLength: msg.lid.length,
    },
    blob,
    afterConfirm,
    ackAgain,
    sameMidViaCallbacks: again.mid === sent.mid,
  };
}
