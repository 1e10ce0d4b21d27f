// pandora-mq demo: wires the views to a backend (local Server or remote Mailbox).
import { DB_NAME, createLocalBackend, createRemoteBackend, describeError, disconnectedBackend } from "./js/backend.js";
import { createBlobView } from "./js/blob-view.js";
import { createCompose } from "./js/compose.js";
import { createConsume } from "./js/consume.js";
import { createConsumeLoop } from "./js/consume-loop.js";
import { createDeadLetters } from "./js/dead-letters.js";
import { h } from "./js/format.js";
import { createMailboxView } from "./js/mailbox-view.js";
import { createStatsView } from "./js/stats-view.js";
import { idleBackoff } from "./js/idle-backoff.js";

const POLL_MS = 500;
/** In remote mode an idle view polls at most every 8 ticks (4 s). */
const remotePolls = idleBackoff({ maxTicks: 8 });
const SETTINGS_KEY = "pandora-demo:settings";
const $ = (id) => document.querySelector(`[data-testid="${id}"]`);

const settings = loadSettings();
let backend = null;
const NOT_CONNECTED = disconnectedBackend("Not connected: enter the server URL and press Connect.");
const getBackend = () => backend ?? NOT_CONNECTED;

function loadSettings() {
  try {
    return { mode: "local", url: "", receivers: [], watch: "inbox", ...JSON.parse(localStorage.getItem(SETTINGS_KEY)) };
  } catch {
    return { mode: "local", url: "", receivers: [], watch: "inbox" };
  }
}
function saveSettings() {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    /* private mode: settings just don't persist */
  }
}

// ---- views -----------------------------------------------------------------

const blob = createBlobView({ form: $("blob-form"), getBackend });
/** After any change: the list, the counts and the dead letters read the server again. */
const refreshAll = () => {
  remotePolls.reset();
  mailbox.refresh();
  stats.refresh();
  dead.refresh();
};
const mailbox = createMailboxView({ root: $("mailbox"), getBackend, onOpenBlob: (mid) => blob.show(mid), onChanged: () => refreshAll() });
const stats = createStatsView({ root: $("mailbox"), getBackend, getReceiver: mailbox.receiver });
const dead = createDeadLetters({ root: $("dead-letters"), getBackend, getReceiver: mailbox.receiver, onOpenBlob: (mid) => blob.show(mid), onChanged: () => refreshAll() });
const consume = createConsume({
  root: $("consume"),
  getBackend,
  getReceiver: mailbox.receiver,
  onChanged: () => refreshAll(),
  noteLease: mailbox.noteLease,
});
const consumeLoop = createConsumeLoop({
  root: $("consume-loop"),
  getBackend,
  getReceiver: mailbox.receiver,
  getLease: () => $("consume-lease").value,
  onChanged: () => refreshAll(),
});
createCompose({
  form: $("compose-form"),
  getBackend,
  onSent: ({ receiver }) => {
    rememberReceiver(receiver);
    // The mailbox view follows the receiver you send to.
    if (receiver !== mailbox.receiver()) mailbox.setReceiver(receiver);
    else refreshAll();
  },
});

function rememberReceiver(name) {
  if (!name) return;
  settings.receivers = [name, ...settings.receivers.filter((r) => r !== name)].slice(0, 12);
  saveSettings();
  renderReceivers();
}
function renderReceivers() {
  document.getElementById("receivers").replaceChildren(...settings.receivers.map((r) => h("option", { value: r })));
}

$("mailbox-receiver").value = settings.watch || "inbox";
$("mailbox-receiver").addEventListener("input", () => {
  settings.watch = mailbox.receiver();
  saveSettings();
  // The loop consumes the receiver it was started on: watching another one stops it.
  consumeLoop.reset();
  stats.refresh();
  dead.refresh();
});
$("mailbox-receiver").addEventListener("change", () => rememberReceiver(mailbox.receiver()));
renderReceivers();

// ---- backend choice ----------------------------------------------------------

const remoteSettings = $("remote-settings");
const urlInput = $("remote-url");
const tokenInput = $("remote-token");
const backendLine = $("backend-status");
const appError = $("app-error");
urlInput.value = settings.url || `${location.origin}/api`;
try {
  tokenInput.value = sessionStorage.getItem(`${SETTINGS_KEY}:token`) ?? "";
} catch {
  /* no session storage */
}

/**
 * Switches every action to `mode`. Remote mode connects at once only to a URL
 * that was connected before (or when `connect` is set, i.e. the Connect button);
 * otherwise it waits for Connect, so no request goes to a server nobody chose.
 */
async function useMode(mode, { connect = false } = {}) {
  const previous = backend;
  backend = null;
  document.documentElement.dataset.ready = "false";
  settings.mode = mode;
  saveSettings();
  $(mode === "remote" ? "mode-remote" : "mode-local").checked = true;
  remoteSettings.hidden = mode !== "remote";
  document.body.dataset.mode = mode;
  consume.reset();
  await consumeLoop.reset();
  mailbox.reset();
  stats.reset();
  dead.reset();
  blob.reset();
  backendLine.textContent = "Connecting…";
  appError.textContent = "";
  await previous?.dispose();
  try {
    if (mode === "remote" && !connect && !settings.url) {
      backendLine.replaceChildren(h("span", { class: "dot off" }), "Remote · not connected: check the server URL and press Connect.");
      $("clear-db").disabled = true;
      document.documentElement.dataset.ready = "true";
      urlInput.focus();
      return;
    }
    if (mode === "remote") {
      const url = urlInput.value.trim().replace(/\/+$/, "");
      settings.url = url;
      saveSettings();
      try {
        sessionStorage.setItem(`${SETTINGS_KEY}:token`, tokenInput.value);
      } catch {
        /* no session storage */
      }
      backend = await createRemoteBackend(url, tokenInput.value.trim());
      backendLine.replaceChildren(h("span", { class: "dot remote" }), "Remote · every action goes to ", h("code", {}, url));
    } else {
      backend = await createLocalBackend();
      const { maxDeliveries, retryBackoff: b } = backend.policy;
      backendLine.replaceChildren(
        h("span", { class: "dot local" }),
        `Local · a Server running in this tab on IndexedDB “${DB_NAME}” (shared by your tabs, kept across reloads)`,
        h("span", { dataset: { testid: "backend-policy" } }, ` · dead after ${maxDeliveries} deliveries, retry back-off ${b.initial} ×${b.factor} up to ${b.max}`),
      );
    }
  } catch (e) {
    const { message } = describeError(e);
    backendLine.textContent = "Not connected.";
    appError.replaceChildren(
      h("strong", {}, "The queue could not start. "),
      message,
      /import|module|fetch/i.test(message) ? " — is the package built? Run make pkg, then reload." : "",
    );
    return;
  }
  $("clear-db").disabled = backend.kind !== "local";
  $("clear-hint").textContent =
    backend.kind === "local"
      ? "Deletes this demo’s IndexedDB database: every message and blob."
      : "Only in local mode: a remote server’s data is not yours to wipe from here.";
  await Promise.all([mailbox.refresh(), stats.refresh(), dead.refresh()]);
  document.documentElement.dataset.ready = "true";
}

for (const radio of document.querySelectorAll('input[name="mode"]')) {
  radio.addEventListener("change", () => radio.checked && useMode(radio.value));
}
$("backend-form").addEventListener("submit", (event) => {
  event.preventDefault();
  useMode("remote", { connect: true });
});

// ---- maintenance ------------------------------------------------------------

const toolsStatus = $("tools-status");
const toolsError = $("tools-error");

$("reenqueue-button").addEventListener("click", async () => {
  toolsError.textContent = "";
  try {
    const n = Number(await backend.reenqueue());
    toolsStatus.textContent = n === 1 ? "1 expired lease made visible again." : `${n} expired leases made visible again.`;
  } catch (e) {
    const { code, message } = describeError(e);
    toolsError.textContent = `${message} (${code})`;
  }
  refreshAll();
});

/** Purges the watched receiver: every pending message, or only its dead letters. */
async function purge(scope) {
  toolsError.textContent = "";
  const receiver = mailbox.receiver();
  try {
    const { deleted } = await getBackend().purge(receiver, scope === "dead" ? { status: "dead" } : {});
    const what = scope === "dead" ? "dead letter" : "message";
    toolsStatus.textContent = `Purged “${receiver}”: ${deleted} ${what}${deleted === 1 ? "" : "s"} deleted.`;
  } catch (e) {
    const { code, message } = describeError(e);
    toolsError.textContent = `${message} (${code})`;
  }
  refreshAll();
}
$("purge-button").addEventListener("click", () => purge("all"));
$("purge-dead-button").addEventListener("click", () => purge("dead"));

// Clearing asks twice: the first press arms the button for a few seconds.
const clearButton = $("clear-db");
let armed = null;
function disarm() {
  clearTimeout(armed);
  armed = null;
  clearButton.textContent = "Clear database";
  clearButton.classList.remove("armed");
}
clearButton.addEventListener("click", async () => {
  toolsError.textContent = "";
  if (!armed) {
    armed = setTimeout(disarm, 5000);
    clearButton.textContent = "Press again to delete everything";
    clearButton.classList.add("armed");
    toolsStatus.textContent = "Press the button again within 5 seconds to delete every message and blob.";
    return;
  }
  disarm();
  clearButton.disabled = true;
  toolsStatus.textContent = "Clearing…";
  try {
    await consumeLoop.reset();
    await backend.clear();
    consume.reset();
    blob.reset();
    mailbox.reset();
    stats.reset();
    dead.reset();
    toolsStatus.textContent = "Database cleared: the queue is empty.";
  } catch (e) {
    const { code, message } = describeError(e);
    toolsError.textContent = `${message} (${code})`;
    toolsStatus.textContent = "";
  } finally {
    clearButton.disabled = backend?.kind !== "local";
  }
  refreshAll();
});

// ---- live refresh ------------------------------------------------------------

// The local Server is in this page, so it is read at every tick; a remote one
// is read less often while its counts stay the same (idle-backoff.js).
setInterval(async () => {
  if (!backend || document.hidden) return;
  consume.render();
  const remote = backend.kind === "remote";
  if (remote && !remotePolls.due()) return;
  mailbox.poll();
  dead.refresh();
  await stats.refresh();
  if (remote) remotePolls.saw([mailbox.receiver(), stats.latest()]);
}, POLL_MS);

useMode(settings.mode === "remote" ? "remote" : "local");
