// One Durable Object per mailbox: a pandora-mq Server on the object's own
// storage. The object runs one event at a time and its storage is
// transactional, so this is the strongly consistent home a queue needs.
import { DurableObject } from "cloudflare:workers";
import { Server, durableObjectStorage } from "pandora-mq";
import { serverSettings } from "./settings.js";

export class MailboxObject extends DurableObject {
  #server;

  constructor(ctx, env) {
    super(ctx, env);
    this.#server = new Server({
      storage: durableObjectStorage(ctx.storage),
      // Every lid this object issues starts with its id, so the Worker can send
      // an ack that names no mailbox back here (see lid.js).
      lidPrefix: ctx.id.toString(),
      // The Worker checked the credential already, but only this object knows
      // which mailbox a lid or mid belongs to: it checks a scoped token's
      // scope against that (token and signingKeys are among the settings), so
      // a lid issued here is useless with a token for another mailbox.
      ...serverSettings(env),
    });
    // An object woken on existing data reads its mailbox's index into the
    // stats mirror in steps while it serves, so a stats call after that reads
    // nothing (a new, empty object mirrors from its first write and has
    // nothing to read). It costs one read of each index row per wake-up; a
    // failed step only means stats scans on its first call, as without it.
    this.#server.warmStats().catch(() => {});
  }

  /**
   * The package serves the HTTP API itself; routes match by path suffix. A
   * long-polling fetch is held here until a message is due or its wait ends:
   * the object keeps serving other requests meanwhile (a send wakes it).
   */
  fetch(request) {
    return this.#server.handle(request);
  }
}
