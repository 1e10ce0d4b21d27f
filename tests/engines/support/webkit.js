/**
 * WebKit: WebKitGTK's MiniBrowser driven through WebKitWebDriver (W3C
 * WebDriver classic, via selenium-webdriver). MiniBrowser has no headless
 * mode, so each session gets its own Xvfb display.
 *
 * WebDriver runs one script at a time in one window, so `evaluate` starts the
 * function in its window and then asks for the result, holding the session
 * only for those short commands: jobs in two windows really run at once.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

export const WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver";
export const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
export const XVFB = "/usr/bin/Xvfb";

const missing = [WEBKIT_DRIVER, MINIBROWSER, XVFB].filter((f) => !existsSync(f));

/** How often a running job is asked for its result. */
const POLL_MS = 25;

export const webkit = {
  name: "webkit",
  skip: missing.length ? `not installed: ${missing.join(", ")}` : false,
  async launch() {
    const { Builder } = await import("selenium-webdriver");
    const xvfb = await startXvfb();
    const port = await freePort();
    const driverProcess = spawn(WEBKIT_DRIVER, [`--port=${port}`, "--host=127.0.0.1"], {
      stdio: "ignore",
      env: { ...process.env, DISPLAY: xvfb.display },
    });
    const stop = () => {
      driverProcess.kill();
      xvfb.stop();
    };
    try {
      await waitForPort(port);
      const driver = await new Builder()
        .usingServer(`http://127.0.0.1:${port}`)
        .withCapabilities({
          browserName: "MiniBrowser",
          "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
        })
        .build();
      const caps = await driver.getCapabilities();
      const lock = mutex();
      let firstWindow = /** @type {string | null} */ (await driver.getWindowHandle());
      let jobs = 0;
      return {
        version: `WebKitGTK ${caps.get("browserVersion")}`,
        binary: MINIBROWSER,
        /** @param {string} url */
        async newPage(url) {
          const handle = await lock(async () => {
            // The session's first window is the first page; later pages get windows of their own.
            let h = firstWindow;
            firstWindow = null;
            if (h === null) {
              await driver.switchTo().newWindow("window");
              h = await driver.getWindowHandle();
            } else {
              await driver.switchTo().window(h);
            }
            await driver.get(url);
            return h;
          });
          const inWindow = (/** @type {() => Promise<any>} */ job) =>
            lock(async () => {
              await driver.switchTo().window(handle);
              return job();
            });
          return {
            /** @type {<A, R>(fn: (arg: A) => R, arg: A) => Promise<Awaited<R>>} */
            async evaluate(fn, arg) {
              const id = `job${++jobs}`;
              await inWindow(() =>
                driver.executeScript(
                  `const [id, arg] = arguments;
                   const jobs = (window.__engineJobs ??= {});
                   jobs[id] = { done: false };
                   Promise.resolve()
                     .then(() => (${fn.toString()})(arg))
                     .then((value) => { jobs[id] = { done: true, value: value === undefined ? null : value }; },
                           (err) => { jobs[id] = { done: true, error: String(err && err.stack ? err + "\\n" + err.stack : err) }; });`,
                  id,
                  arg === undefined ? null : arg,
                ),
              );
              for (;;) {
                const state = await inWindow(() =>
                  driver.executeScript(
                    `const s = window.__engineJobs[arguments[0]];
                     if (s.done) delete window.__engineJobs[arguments[0]];
                     return s.done ? JSON.stringify(s) : null;`,
                    id,
                  ),
                );
                if (state !== null) {
                  const s = JSON.parse(state);
                  if ("error" in s) throw new Error(`in WebKit: ${s.error}`);
                  return s.value;
                }
                await new Promise((r) => setTimeout(r, POLL_MS));
              }
            },
            close: () =>
              lock(async () => {
                await driver.switchTo().window(handle);
                const windows = await driver.getAllWindowHandles();
                if (windows.length === 1) {
                  // Closing the last window would end the WebDriver session: park it instead.
                  await driver.get("about:blank");
                  firstWindow = handle;
                  return;
                }
                await driver.close();
                await driver.switchTo().window(windows.find((h) => h !== handle) ?? windows[0]);
              }),
          };
        },
        async close() {
          await driver.quit().catch(() => {});
          stop();
        },
      };
    } catch (err) {
      stop();
      throw err;
    }
  },
};

/** Runs async sections one at a time (one WebDriver session, one current window). */
function mutex() {
  let tail = Promise.resolve();
  return (/** @type {() => Promise<any>} */ section) => {
    const run = tail.then(section, section);
    tail = run.catch(() => {});
    return run;
  };
}

/** Starts Xvfb on a free display (it writes the number it took to fd 3). */
function startXvfb() {
  return new Promise((resolve, reject) => {
    const proc = spawn(XVFB, ["-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp"], {
      stdio: ["ignore", "ignore", "ignore", "pipe"],
    });
    let out = "";
    proc.once("error", reject);
    proc.once("exit", (code) => reject(new Error(`Xvfb exited with ${code} before naming its display`)));
    proc.stdio[3]?.on("data", (chunk) => {
      out += chunk;
      if (out.includes("\n")) resolve({ display: `:${out.trim()}`, stop: () => proc.kill() });
    });
  });
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** Waits until WebKitWebDriver answers its status endpoint. */
async function waitForPort(/** @type {number} */ port) {
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`WebKitWebDriver did not start on port ${port}`);
}
