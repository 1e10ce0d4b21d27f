// workerd: a Durable Object that runs the shared queue scenarios on its own
// storage (durableObjectStorage(ctx.storage)) and answers with the results.
import { Server, durableObjectStorage } from "../../../node_modules/pandora-mq/entry/workerd.js";
import { queueScenarios } from "../../js/queue-scenarios.js";
import { miniHarness } from "../../js/support/mini-harness.js";

export class ScenarioObject {
  /** @param {any} ctx @param {any} env */
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }

  async fetch() {
    const harness = miniHarness();
    const storage = this.ctx.storage;
    queueScenarios(
      "durableObjectStorage",
      async (options) => {
        await storage.deleteAll(); // each scenario starts on an empty store
        return new Server({ ...options, storage: durableObjectStorage(storage) });
      },
      harness,
    );
    return Response.json(await harness.run());
  }
}

export default {
  /** @param {Request} request @param {any} env */
  fetch(request, env) {
    return env.SCENARIOS.get(env.SCENARIOS.idFromName("scenarios")).fetch(request);
  },
};
