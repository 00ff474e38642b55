// The check-in scanner: camera or photo → jsQR → the check-in API, with an offline fallback that verifies the
// ticket's Ed25519 signature locally and queues the scan until the network is back. No framework.
import { createApi, Revoked } from "./api.js";
import { createCamera } from "./camera.js";
import { readTexts, translator } from "./i18n.js";
import { createPeople, walkInCategories } from "./people.js";
import { replaceOfflineData, restore, saveConflicts, saveCounts } from "./queue.js";
import { createScanning } from "./scan.js";
import { createState } from "./state.js";
import { createStore } from "./storage.js";
import { createSync } from "./sync.js";
import { createUi } from "./ui.js";
import { setupOfflineWalkIns } from "./walkin_page.js";

const OFFLINE_REFRESH_MS = 3 * 60 * 1000;
const COUNTS_REFRESH_MS = 20 * 1000;
const SYNC_REFRESH_MS = 30 * 1000;

const state = createState();
const store = createStore(window.localStorage);
const t = translator(readTexts(document));
const ui = createUi(state, t);
const { $ } = ui;
const online = () => navigator.onLine !== false;
const gate = () => $("sc-gate").value.trim().slice(0, 60);
const call = createApi({ base: document.body.dataset.api, state, gate, language: document.documentElement.lang,
  onRevoked: ui.showRevoked });

// The device link carries its token in the fragment, which the server never sees; it leaves the address bar (and
// history) at once and stays on the device.
function readConfig() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get("token");
  const list = parseInt(params.get("list"), 10);
  if (token && list > 0) {
    store.save("config", { token, list });
  }
  if (window.location.hash) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  const stored = store.load("config", null);
  return stored && stored.token && stored.list ? stored : null;
}

async function refreshOfflineData() {
  if (!online()) {
    return;
  }
  try {
    const response = await call("offline-data");
    if (!response.ok) {
      return;
    }
    const data = await response.json();
    data.fetched_at = new Date().toISOString();
    replaceOfflineData(state, store, data);
    ui.renderQueue();
    ui.setNetwork(true);
    ui.renderOfflineInfo();
    ui.renderWalkIn(walkInCategories(state.offlineData));
  } catch (error) {
    if (!(error instanceof Revoked)) {
      ui.setNetwork(false);
    }
  }
}

async function refreshCounts() {
  if (!online()) {
    return;
  }
  try {
    const response = await call("counts");
    if (response.ok) {
      saveCounts(state, store, await response.json());
      ui.renderCounts();
    }
  } catch {
    // Shown as offline elsewhere.
  }
}

const sync = createSync({ state, store, call, t, online, onSynced: (count) => {
  ui.renderQueue();
  ui.renderConflicts();
  ui.setNetwork(true);
  ui.renderSynced(count);
  refreshOfflineData();
  refreshCounts();
} });
const scanning = createScanning({ state, store, ui, t, call, sync, gate, online, refreshCounts });
const camera = createCamera({ state, ui, t, scan: scanning.scan });
let walkIns = null; // set up once the device's list is known (start)
const people = createPeople({ state, ui, t, call, online, scanning,
  queueOffline: (body) => walkIns && walkIns.queueOffline(body) });

function registerServiceWorker() {
  const { sw, scope } = document.body.dataset;
  if ("serviceWorker" in navigator && sw) {
    navigator.serviceWorker.register(sw, { scope }).catch(() => {});
  }
}

function start() {
  state.config = readConfig();
  registerServiceWorker();
  if (!state.config) {
    $("sc-setup").hidden = false;
    ui.setNetwork(online());
    return;
  }
  $("sc-main").hidden = false;
  restore(state, store);
  walkIns = setupOfflineWalkIns({ state, store, call, online, gate, t, $ });
  $("sc-gate").value = store.load("gate", "");
  ui.renderOfflineInfo();
  ui.renderWalkIn(walkInCategories(state.offlineData));
  ui.renderQueue();
  ui.renderConflicts();
  ui.renderCounts();
  ui.setNetwork(online());

  $("sc-gate").addEventListener("input", () => store.save("gate", gate()));
  $("sc-camera-toggle").addEventListener("click", camera.toggle);
  $("sc-photo").addEventListener("change", camera.onPhoto);
  $("sc-result-close").addEventListener("click", ui.hideResult);
  $("sc-result").addEventListener("click", ui.hideResult);
  $("sc-undo").addEventListener("click", scanning.undo);
  $("sc-search").addEventListener("submit", people.search);
  $("sc-walkin").addEventListener("submit", people.walkIn);
  $("sc-refresh").addEventListener("click", refreshOfflineData);
  $("sc-conflicts-clear").addEventListener("click", () => {
    state.conflicts = [];
    saveConflicts(state, store);
    ui.renderConflicts();
  });
  window.addEventListener("online", () => {
    ui.setNetwork(true);
    state.backoff = 0;
    sync.run();
    walkIns.sync.run();
    refreshOfflineData();
    refreshCounts();
  });
  window.addEventListener("offline", () => ui.setNetwork(false));

  refreshOfflineData();
  refreshCounts();
  sync.run();
  setInterval(refreshOfflineData, OFFLINE_REFRESH_MS);
  setInterval(refreshCounts, COUNTS_REFRESH_MS);
  setInterval(() => sync.schedule(0), SYNC_REFRESH_MS);
  walkIns.sync.run();
  setInterval(() => walkIns.sync.run(), SYNC_REFRESH_MS);
}

start();
