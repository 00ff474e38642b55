// The check-in scanner: camera or photo → jsQR → the check-in API, with an offline fallback that verifies the
// ticket's Ed25519 signature locally and queues the scan until the network is back. No framework.
import { verifyAsync } from "../vendor/noble-ed25519/index.js";

const STRINGS = {
  online: "Trực tuyến",
  offline: "Ngoại tuyến",
  offlineMark: "Ngoại tuyến — sẽ đồng bộ khi có mạng",
  queued: (n) => `Chờ đồng bộ: ${n}`,
  synced: (n) => `Đã đồng bộ ${n} lượt quét.`,
  ok: "Hợp lệ",
  exitOk: "Đã ghi nhận ra",
  undone: "Đã huỷ check-in",
  already: "Đã check-in trước đó",
  alreadyLocal: "Vé này đã được check-in (theo dữ liệu trên máy).",
  forged: "Vé giả hoặc bị sửa",
  notTicket: "Không phải mã vé",
  notAdmissible: "Vé không có trong danh sách được vào",
  noOfflineData: "Không có mạng và chưa có dữ liệu ngoại tuyến",
  noQrInPhoto: "Không đọc được mã QR trong ảnh",
  tryAgain: "Hãy chụp lại gần hơn, đủ sáng và không bị nhoè.",
  revoked: "Thiết bị đã bị thu hồi hoặc đường dẫn không còn hiệu lực",
  revokedHelp: "Hãy xin ban tổ chức một đường dẫn mới cho thiết bị này.",
  serverError: "Lỗi máy chủ, vui lòng thử lại",
  cameraOn: "Bật camera",
  cameraOff: "Tắt camera",
  cameraDenied: "Không mở được camera",
  cameraHelp: "Hãy cho phép dùng camera, hoặc bấm “Chụp ảnh mã QR”.",
  undo: (name) => `Hoàn tác: ${name}`,
  undoNeedsNetwork: "Cần kết nối mạng để hoàn tác",
  checkIn: "Check-in",
  checkedInAt: (time) => `Đã vào lúc ${time}`,
  noResults: "Không tìm thấy ai.",
  searchOffline: "Đang ngoại tuyến: chỉ tìm theo tên trong dữ liệu đã lưu.",
  offlineInfo: (n, time) => `Dữ liệu ngoại tuyến: ${n} vé, cập nhật lúc ${time}.`,
  noOfflineInfo: "Chưa tải được dữ liệu ngoại tuyến.",
  conflict: (name, message) => `${name}: ${message}`,
  unknownPerson: "Không rõ",
  walkInNeedsNetwork: "Cần kết nối mạng để đăng ký khách mới",
  required: "Vui lòng nhập họ và tên.",
};
const ACCEPTED = new Set(["ok", "exit_ok", "undone"]);
const DUPLICATE_MS = 3000;
const OFFLINE_REFRESH_MS = 3 * 60 * 1000;
const COUNTS_REFRESH_MS = 20 * 1000;
const RESULT_MS = 4000;
const REQUEST_MS = 8000; // a scan waiting longer than this is handled offline (its nonce makes the retry safe)
const STORE = "ehScanner.";

const $ = (id) => document.getElementById(id);
const api = document.body.dataset.api;
let config = null;
let offlineData = null;
let admitted = new Set();
let queue = [];
let conflicts = [];
let lastAdmitted = null;
let stream = null;
let busy = false;
let pauseUntil = 0;
let lastCode = "";
let lastCodeAt = 0;
let lastFrame = 0;
let resultTimer = null;
let syncing = false;
let backoff = 0;
let syncTimer = null;
let audio = null;

// Storage ------------------------------------------------------------------------------------------

function load(key, fallback) {
  try {
    const value = localStorage.getItem(STORE + key);
    return value === null ? fallback : JSON.parse(value);
  } catch {
    return fallback;
  }
}

function save(key, value) {
  try {
    localStorage.setItem(STORE + key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the scanner keeps working from memory.
  }
}

function listKey(name) {
  return `${name}.${config.list}`;
}

function readConfig() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get("token");
  const list = parseInt(params.get("list"), 10);
  if (token && list > 0) {
    save("config", { token, list });
  }
  if (window.location.hash) {
    // The secret leaves the address bar (and history) at once.
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  const stored = load("config", null);
  return stored && stored.token && stored.list ? stored : null;
}

function saveQueue() {
  save(listKey("queue"), queue);
  save(listKey("admitted"), [...admitted]);
  renderQueue();
}

// Network ------------------------------------------------------------------------------------------

function isHeaderSafe(text) {
  return /^[\x20-\x7e]*$/.test(text);
}

function gate() {
  return $("sc-gate").value.trim().slice(0, 60);
}

async function call(path, { method = "GET", body } = {}) {
  const headers = { Authorization: `Bearer ${config.token}`, Accept: "application/json" };
  const gateName = gate();
  if (gateName && isHeaderSafe(gateName)) {
    headers["X-Gate"] = gateName; // HTTP headers carry Latin-1 only; the body carries the gate too.
  }
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(`${api}/${config.list}/${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store",
    credentials: "omit", signal: AbortSignal.timeout ? AbortSignal.timeout(REQUEST_MS) : undefined,
  });
  if (response.status === 401 || response.status === 404) {
    showRevoked();
    throw new Revoked();
  }
  return response;
}

class Revoked extends Error {}

function setNetwork(online) {
  const pill = $("sc-network");
  pill.textContent = online ? STRINGS.online : STRINGS.offline;
  pill.classList.toggle("sc-offline", !online);
}

function newNonce() {
  if (window.crypto && crypto.randomUUID) {
    return crypto.randomUUID();
  }
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Result screen --------------------------------------------------------------------------------------

function beep(accepted) {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = accepted ? "sine" : "square";
    oscillator.frequency.value = accepted ? 880 : 220;
    gain.gain.value = 0.12;
    oscillator.connect(gain).connect(audio.destination);
    const now = audio.currentTime;
    oscillator.start(now);
    oscillator.stop(now + (accepted ? 0.15 : 0.45));
  } catch {
    // No audio on this device.
  }
}

function vibrate(pattern) {
  try {
    if (navigator.vibrate && navigator.userActivation && navigator.userActivation.hasBeenActive) {
      navigator.vibrate(pattern);
    }
  } catch {
    // Vibration unsupported.
  }
}

function showResult({ kind, title, name = "", detail = "", offline = false }) {
  const box = $("sc-result");
  box.classList.remove("sc-ok", "sc-already", "sc-refused");
  box.classList.add(`sc-${kind}`);
  $("sc-result-title").textContent = title;
  $("sc-result-name").textContent = name;
  $("sc-result-detail").textContent = detail;
  $("sc-result-offline").textContent = STRINGS.offlineMark;
  $("sc-result-offline").hidden = !offline;
  box.hidden = false;
  const accepted = kind === "ok";
  beep(accepted);
  vibrate(accepted ? 120 : kind === "already" ? [80, 60, 80] : [250, 80, 250]);
  pauseUntil = Date.now() + 1200;
  clearTimeout(resultTimer);
  resultTimer = setTimeout(hideResult, kind === "ok" ? RESULT_MS : RESULT_MS * 2);
}

function hideResult() {
  clearTimeout(resultTimer);
  $("sc-result").hidden = true;
}

function showOutcome(data, offline = false) {
  const attendee = data.attendee || {};
  const detail = [attendee.category, attendee.organisation_name].filter(Boolean).join(" · ");
  if (ACCEPTED.has(data.result)) {
    const title = data.result === "ok" ? STRINGS.ok : data.result === "exit_ok" ? STRINGS.exitOk : STRINGS.undone;
    showResult({ kind: "ok", title, name: attendee.full_name || "", detail, offline });
  } else if (data.result === "already_checked_in") {
    showResult({ kind: "already", title: STRINGS.already, name: attendee.full_name || "", detail: data.message,
      offline });
  } else {
    showResult({ kind: "refused", title: data.message, name: attendee.full_name || "", detail, offline });
  }
}

function showRevoked() {
  $("sc-setup-text").textContent = `${STRINGS.revoked}. ${STRINGS.revokedHelp}`;
  $("sc-setup").hidden = false;
  showResult({ kind: "refused", title: STRINGS.revoked, detail: STRINGS.revokedHelp });
}

// Scanning ------------------------------------------------------------------------------------------

async function scan(code, { fromCamera = false } = {}) {
  code = (code || "").trim();
  if (!code) {
    return;
  }
  const now = Date.now();
  if (fromCamera && code === lastCode && now - lastCodeAt < DUPLICATE_MS) {
    lastCodeAt = now;
    return;
  }
  lastCode = code;
  lastCodeAt = now;
  await submit({ code }, code);
}

async function offlineFallback(body, code, nonce) {
  if (body.direction === "undo") {
    showResult({ kind: "refused", title: STRINGS.undoNeedsNetwork });
    return;
  }
  await scanOffline(code, body.registration_id, nonce);
}

async function submit(body, code) {
  busy = true;
  const nonce = newNonce();
  try {
    if (navigator.onLine === false) {
      await offlineFallback(body, code, nonce);
      return;
    }
    let response;
    try {
      response = await call("scan", { method: "POST", body: { ...body, nonce, gate: gate() || undefined } });
    } catch (error) {
      if (error instanceof Revoked) {
        return;
      }
      setNetwork(false);
      await offlineFallback(body, code, nonce);
      return;
    }
    if (response.status >= 500) {
      await offlineFallback(body, code, nonce);
      return;
    }
    setNetwork(true);
    const data = await response.json();
    if (!response.ok) {
      showResult({ kind: "refused", title: errorMessages(data)[0] || STRINGS.serverError });
      return;
    }
    showOutcome(data);
    rememberAdmitted(data, body);
    refreshCounts();
    syncQueue();
  } finally {
    busy = false;
  }
}

function errorMessages(data) {
  const error = (data && data.error) || {};
  const messages = Object.values(error.fields || {}).flat();
  return messages.length ? messages : [error.message].filter(Boolean);
}

function rememberAdmitted(data, body) {
  if (data.result === "ok" && data.attendee && body.direction !== "undo") {
    lastAdmitted = { registration_id: data.attendee.registration_id, name: data.attendee.full_name };
  } else if (data.result === "undone") {
    lastAdmitted = null;
  }
  renderUndo();
}

function b64urlBytes(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function genuine(payload) {
  const parts = payload.split(".");
  if (parts.length !== 3 || parts[0] !== "EH1" || !parts[1]) {
    return null;
  }
  try {
    const ok = await verifyAsync(b64urlBytes(parts[2]), new TextEncoder().encode(`${parts[0]}.${parts[1]}`),
      b64urlBytes(offlineData.public_key));
    return ok ? parts[1] : false;
  } catch {
    return false;
  }
}

function ticketsByCode() {
  if (!offlineData._byCode) {
    offlineData._byCode = new Map(offlineData.tickets.map((t) => [t.ticket_code, t]));
  }
  return offlineData._byCode;
}

async function scanOffline(code, registrationId, nonce) {
  if (!offlineData) {
    showResult({ kind: "refused", title: STRINGS.noOfflineData, offline: true });
    return;
  }
  let ticket;
  if (registrationId) {
    ticket = offlineData.tickets.find((t) => t.registration_id === registrationId);
  } else {
    const ticketCode = await genuine(code);
    if (ticketCode === null) {
      showResult({ kind: "refused", title: STRINGS.notTicket, offline: true });
      return;
    }
    if (ticketCode === false) {
      showResult({ kind: "refused", title: STRINGS.forged, offline: true });
      return;
    }
    ticket = ticketsByCode().get(ticketCode);
  }
  if (!ticket) {
    showResult({ kind: "refused", title: STRINGS.notAdmissible, offline: true });
    return;
  }
  if (ticket.checked_in || admitted.has(ticket.ticket_code)) {
    showResult({ kind: "already", title: STRINGS.already, name: ticket.full_name, detail: STRINGS.alreadyLocal,
      offline: true });
    return;
  }
  admitted.add(ticket.ticket_code);
  queue.push({ code: code || ticket.ticket_code, nonce, scanned_at: new Date().toISOString(), gate: gate(),
    direction: "entry" });
  saveQueue();
  lastAdmitted = { registration_id: ticket.registration_id, name: ticket.full_name, nonce,
    ticket_code: ticket.ticket_code };
  renderUndo();
  showResult({ kind: "ok", title: STRINGS.ok, name: ticket.full_name, detail: ticket.category, offline: true });
  renderCounts();
}

async function undo() {
  if (!lastAdmitted) {
    return;
  }
  const queued = lastAdmitted.nonce ? queue.findIndex((item) => item.nonce === lastAdmitted.nonce) : -1;
  if (queued >= 0) {
    queue.splice(queued, 1);
    admitted.delete(lastAdmitted.ticket_code);
    saveQueue();
    showResult({ kind: "ok", title: STRINGS.undone, name: lastAdmitted.name, offline: true });
    lastAdmitted = null;
    renderUndo();
    renderCounts();
    return;
  }
  if (navigator.onLine === false) {
    showResult({ kind: "refused", title: STRINGS.undoNeedsNetwork });
    return;
  }
  await submit({ registration_id: lastAdmitted.registration_id, direction: "undo" }, "");
}

function renderUndo() {
  const button = $("sc-undo");
  button.hidden = !lastAdmitted;
  button.textContent = lastAdmitted ? STRINGS.undo(lastAdmitted.name) : "";
}

// Camera and photos ---------------------------------------------------------------------------------

function decodeFrom(source, width, height, maxSide, inversion) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const canvas = $("sc-canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  const image = context.getImageData(0, 0, canvas.width, canvas.height);
  const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: inversion });
  return found && found.data ? found.data : null;
}

function frame() {
  if (!stream) {
    return;
  }
  const video = $("sc-video");
  const now = Date.now();
  if (!busy && now > pauseUntil && now - lastFrame > 120 && video.readyState >= 2 && video.videoWidth) {
    lastFrame = now;
    const code = decodeFrom(video, video.videoWidth, video.videoHeight, 720, "dontInvert");
    if (code) {
      scan(code, { fromCamera: true });
    }
  }
  requestAnimationFrame(frame);
}

async function toggleCamera() {
  const button = $("sc-camera-toggle");
  if (stream) {
    stream.getTracks().forEach((track) => track.stop());
    stream = null;
    $("sc-video").hidden = true;
    $("sc-camera-hint").hidden = false;
    button.textContent = STRINGS.cameraOn;
    return;
  }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    showResult({ kind: "refused", title: STRINGS.cameraDenied, detail: STRINGS.cameraHelp });
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } },
      audio: false });
  } catch {
    showResult({ kind: "refused", title: STRINGS.cameraDenied, detail: STRINGS.cameraHelp });
    return;
  }
  const video = $("sc-video");
  video.srcObject = stream;
  video.hidden = false;
  $("sc-camera-hint").hidden = true;
  button.textContent = STRINGS.cameraOff;
  try {
    await video.play();
  } catch {
    // Autoplay refused: frames still arrive once the user taps.
  }
  requestAnimationFrame(frame);
}

function loadImage(file) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.onload = () => {
      URL.revokeObjectURL(url);
      resolve(image);
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("image"));
    };
    image.src = url;
  });
}

async function onPhoto(event) {
  const input = event.target;
  const file = input.files && input.files[0];
  if (!file) {
    return;
  }
  let code = null;
  try {
    const image = await loadImage(file);
    for (const side of [1024, 640, 1600]) {
      code = decodeFrom(image, image.naturalWidth, image.naturalHeight, side, "attemptBoth");
      if (code) {
        break;
      }
    }
  } catch {
    code = null;
  }
  input.value = "";
  if (!code) {
    showResult({ kind: "refused", title: STRINGS.noQrInPhoto, detail: STRINGS.tryAgain });
    return;
  }
  await scan(code);
}

// Offline data, counts and sync ----------------------------------------------------------------------

function formatTime(iso) {
  try {
    return new Date(iso).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" });
  } catch {
    return iso;
  }
}

function renderOfflineInfo() {
  $("sc-offline-info").textContent = offlineData
    ? STRINGS.offlineInfo(offlineData.tickets.length, formatTime(offlineData.fetched_at))
    : STRINGS.noOfflineInfo;
  if (offlineData && offlineData.list) {
    $("sc-list-name").textContent = offlineData.list.name;
  }
}

async function refreshOfflineData() {
  if (navigator.onLine === false) {
    return;
  }
  try {
    const response = await call("offline-data");
    if (!response.ok) {
      return;
    }
    const data = await response.json();
    data.fetched_at = new Date().toISOString();
    offlineData = data;
    save(listKey("offline"), data);
    // What the server now knows needs no local memory; what is still queued does.
    admitted = new Set(queue.map((item) => codeOf(item.code)));
    saveQueue();
    setNetwork(true);
    renderOfflineInfo();
    renderWalkIn();
  } catch (error) {
    if (!(error instanceof Revoked)) {
      setNetwork(false);
    }
  }
}

function codeOf(code) {
  const parts = (code || "").split(".");
  return parts.length === 3 ? parts[1] : code;
}

let counts = null;

function renderCounts() {
  if (!counts) {
    return;
  }
  const pending = queue.filter((item) => item.direction === "entry").length;
  $("sc-count").textContent = `${counts.checked_in + pending}/${counts.admissible}`;
}

async function refreshCounts() {
  if (navigator.onLine === false) {
    return;
  }
  try {
    const response = await call("counts");
    if (response.ok) {
      counts = await response.json();
      save(listKey("counts"), counts);
      renderCounts();
    }
  } catch {
    // Shown as offline elsewhere.
  }
}

function renderQueue() {
  const pill = $("sc-queue");
  pill.hidden = queue.length === 0;
  pill.textContent = STRINGS.queued(queue.length);
}

function renderConflicts() {
  const list = $("sc-conflict-list");
  list.replaceChildren(...conflicts.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
  $("sc-conflicts").hidden = conflicts.length === 0;
}

function scheduleSync(delay) {
  clearTimeout(syncTimer);
  syncTimer = setTimeout(syncQueue, delay);
}

async function syncQueue() {
  if (syncing || queue.length === 0 || navigator.onLine === false) {
    return;
  }
  syncing = true;
  const batch = queue.slice(0, 500);
  try {
    const response = await call("sync", { method: "POST", body: { scans: batch.map((item) => ({
      code: item.code, nonce: item.nonce, scanned_at: item.scanned_at, gate: item.gate || undefined,
      direction: item.direction })) } });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    const data = await response.json();
    const done = new Set(batch.map((item) => item.nonce));
    queue = queue.filter((item) => !done.has(item.nonce));
    for (const outcome of data.results) {
      if (!ACCEPTED.has(outcome.result)) {
        const name = outcome.attendee ? outcome.attendee.full_name : STRINGS.unknownPerson;
        conflicts.push(STRINGS.conflict(name, outcome.message));
      }
    }
    if (lastAdmitted && lastAdmitted.nonce && done.has(lastAdmitted.nonce)) {
      lastAdmitted = { registration_id: lastAdmitted.registration_id, name: lastAdmitted.name };
    }
    save(listKey("conflicts"), conflicts);
    saveQueue();
    renderConflicts();
    setNetwork(true);
    $("sc-offline-info").textContent = STRINGS.synced(batch.length);
    backoff = 0;
    if (queue.length) {
      scheduleSync(0);
    }
    refreshOfflineData();
    refreshCounts();
  } catch (error) {
    if (!(error instanceof Revoked)) {
      backoff = Math.min(backoff ? backoff * 2 : 2000, 60000);
      scheduleSync(backoff);
    }
  } finally {
    syncing = false;
  }
}

// Search ------------------------------------------------------------------------------------------

function fold(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
    .toLowerCase();
}

function renderPeople(items, note) {
  const list = $("sc-results");
  const rows = items.map((person) => {
    const item = document.createElement("li");
    const info = document.createElement("span");
    info.className = "sc-person";
    const name = document.createElement("strong");
    name.textContent = person.full_name;
    const meta = document.createElement("small");
    meta.textContent = [person.category, person.phone,
      person.checked_in_at ? STRINGS.checkedInAt(formatTime(person.checked_in_at)) : ""].filter(Boolean).join(" · ");
    info.append(name, meta);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sc-button sc-small";
    button.textContent = STRINGS.checkIn;
    button.addEventListener("click", () => submit({ registration_id: person.registration_id },
      person.ticket_code || ""));
    item.append(info, button);
    return item;
  });
  if (note || !rows.length) {
    const item = document.createElement("li");
    item.textContent = note || STRINGS.noResults;
    rows.unshift(item);
  }
  list.replaceChildren(...rows);
}

async function search(event) {
  event.preventDefault();
  const q = $("sc-q").value.trim();
  if (!q) {
    return;
  }
  if (navigator.onLine !== false) {
    try {
      const response = await call(`search?q=${encodeURIComponent(q)}`);
      if (response.ok) {
        renderPeople((await response.json()).items);
        return;
      }
    } catch (error) {
      if (error instanceof Revoked) {
        return;
      }
    }
  }
  const wanted = fold(q);
  const found = offlineData ? offlineData.tickets.filter((t) => fold(t.full_name).includes(wanted)
    || t.ticket_code === q).slice(0, 20) : [];
  renderPeople(found.map((t) => ({ ...t, checked_in_at: null })), STRINGS.searchOffline);
}

// Walk-ins: shown when the offline data names the list's categories -----------------------------------

function walkInCategories() {
  return (offlineData && (offlineData.categories || (offlineData.list && offlineData.list.categories))) || [];
}

function renderWalkIn() {
  const categories = walkInCategories();
  $("sc-walkin-panel").hidden = categories.length === 0;
  const select = $("sc-walkin-category");
  const chosen = select.value;
  select.replaceChildren(...categories.map((category) => {
    const option = document.createElement("option");
    option.value = String(category.id);
    option.textContent = category.name;
    return option;
  }));
  if (chosen) {
    select.value = chosen;
  }
}

function showWalkInErrors(messages) {
  $("sc-walkin-errors").replaceChildren(...messages.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
}

async function walkIn(event) {
  event.preventDefault();
  const fullName = $("sc-walkin-name").value.trim();
  if (!fullName) {
    showWalkInErrors([STRINGS.required]);
    return;
  }
  if (navigator.onLine === false) {
    showWalkInErrors([STRINGS.walkInNeedsNetwork]);
    return;
  }
  const body = { full_name: fullName, category_id: parseInt($("sc-walkin-category").value, 10) };
  const phone = $("sc-walkin-phone").value.trim();
  if (phone) {
    body.phone = phone;
  }
  let response;
  try {
    response = await call("walk-ins", { method: "POST", body });
  } catch (error) {
    if (!(error instanceof Revoked)) {
      showWalkInErrors([STRINGS.walkInNeedsNetwork]);
    }
    return;
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    showWalkInErrors(errorMessages(data).length ? errorMessages(data) : [STRINGS.serverError]);
    return;
  }
  showWalkInErrors([]);
  $("sc-walkin").reset();
  showOutcome(data);
  rememberAdmitted(data, body);
  refreshCounts();
}

// Start ---------------------------------------------------------------------------------------------

function registerServiceWorker() {
  const { sw, scope } = document.body.dataset;
  if ("serviceWorker" in navigator && sw) {
    navigator.serviceWorker.register(sw, { scope }).catch(() => {});
  }
}

function start() {
  config = readConfig();
  registerServiceWorker();
  if (!config) {
    $("sc-setup").hidden = false;
    setNetwork(navigator.onLine !== false);
    return;
  }
  $("sc-main").hidden = false;
  offlineData = load(listKey("offline"), null);
  queue = load(listKey("queue"), []);
  admitted = new Set(load(listKey("admitted"), []));
  conflicts = load(listKey("conflicts"), []);
  counts = load(listKey("counts"), null);
  $("sc-gate").value = load("gate", "");
  renderOfflineInfo();
  renderWalkIn();
  renderQueue();
  renderConflicts();
  renderCounts();
  setNetwork(navigator.onLine !== false);

  $("sc-gate").addEventListener("input", () => save("gate", gate()));
  $("sc-camera-toggle").addEventListener("click", toggleCamera);
  $("sc-photo").addEventListener("change", onPhoto);
  $("sc-result-close").addEventListener("click", hideResult);
  $("sc-result").addEventListener("click", hideResult);
  $("sc-undo").addEventListener("click", undo);
  $("sc-search").addEventListener("submit", search);
  $("sc-walkin").addEventListener("submit", walkIn);
  $("sc-refresh").addEventListener("click", refreshOfflineData);
  $("sc-conflicts-clear").addEventListener("click", () => {
    conflicts = [];
    save(listKey("conflicts"), conflicts);
    renderConflicts();
  });
  window.addEventListener("online", () => {
    setNetwork(true);
    backoff = 0;
    syncQueue();
    refreshOfflineData();
    refreshCounts();
  });
  window.addEventListener("offline", () => setNetwork(false));

  refreshOfflineData();
  refreshCounts();
  syncQueue();
  setInterval(refreshOfflineData, OFFLINE_REFRESH_MS);
  setInterval(refreshCounts, COUNTS_REFRESH_MS);
  setInterval(() => scheduleSync(0), 30000);
}

start();
