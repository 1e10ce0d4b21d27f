/**
 * The browser engines every engine test runs on, and the node:test glue:
 * one browser launch per engine per test file, one static server per file.
 *
 *   forEachEngine((engine) => {
 *     test(`${engine.name}: …`, { skip: engine.skip }, async () => {
 *       const page = await engine.openPage();
 *       const result = await page.evaluate(fnRunInThePage, arg);
 *     });
 *   });
 *
 * @module
 */
import { after, before, describe } from "node:test";
import { chromium } from "./chromium.js";
import { firefox } from "./firefox.js";
import { webkit } from "./webkit.js";
import { DEFAULT_MOUNTS, startStaticServer } from "../../browser/support/static-server.js";

/**
 * @typedef {{ evaluate<A, R>(fn: (arg: A) => R, arg: A): Promise<Awaited<R>>, close(): Promise<void> }} EnginePage
 * @typedef {{ version: string, binary: string, newPage(url: string): Promise<EnginePage>, close(): Promise<void> }} EngineSession
 * @typedef {{ name: string, skip: string | false, launch(): Promise<EngineSession> }} Engine
 */

/** @type {Engine[]} */
export const ENGINES = [chromium, firefox, webkit];

/**
 * Registers one `describe` per engine, launching the browser (and a static
 * server) before its tests and closing both after them.
 * @param {(engine: { name: string, skip: string | false, readonly version: string, readonly origin: string, openPage(path?: string): Promise<EnginePage> }) => void} body
 * @param {{ mounts?: Record<string, string>, rewrite?: import("../../browser/support/static-server.js").Rewrite }} [options]
 */
export function forEachEngine(body, { mounts = DEFAULT_MOUNTS, rewrite } = {}) {
  for (const engine of ENGINES) {
    describe(engine.name, { skip: engine.skip }, () => {
      /** @type {EngineSession | undefined} */
      let session;
      /** @type {{ origin: string, close(): Promise<void> } | undefined} */
      let server;
      before(async () => {
        server = await startStaticServer(mounts, { rewrite });
        session = await engine.launch();
        console.error(`# ${engine.name}: ${session.version}`);
      });
      after(async () => {
        await session?.close();
        await server?.close();
      });
      body({
        name: engine.name,
        skip: engine.skip,
        get version() {
          return session?.version ?? "";
        },
        get origin() {
          return server?.origin ?? "";
        },
        async openPage(path = "/") {
          if (!session || !server) throw new Error(`${engine.name}: browser not started`);
          return session.newPage(`${server.origin}${path}`);
        },
      });
    });
  }
}
