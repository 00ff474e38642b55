// What the volunteer sees and hears: the status bar, the full-screen result with sound and vibration, the
// undo button, the search results, the walk-in form and the sync conflicts.
import { pendingEntries } from "./queue.js";
import { ACCEPTED } from "./sync.js";

const RESULT_MS = 4000;
const PAUSE_AFTER_RESULT_MS = 1200;

function formatTime(iso) {
  try {
    // 24-hour, in the event's zone (the page's data-timezone), never the phone's own zone.
    return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      timeZone: (globalThis.document && document.body.dataset.timezone) || "Asia/Ho_Chi_Minh" });
  } catch {
    return iso;
  }
}

function listItems(texts) {
  return texts.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  });
}

export function createUi(state, t) {
  const $ = (id) => document.getElementById(id);

  function beep(accepted) {
    try {
      state.audio = state.audio || new (window.AudioContext || window.webkitAudioContext)();
      const audio = state.audio;
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

  function hideResult() {
    clearTimeout(state.timers.result);
    $("sc-result").hidden = true;
  }

  function showResult({ kind, title, name = "", detail = "", offline = false }) {
    const box = $("sc-result");
    box.classList.remove("sc-ok", "sc-already", "sc-refused");
    box.classList.add(`sc-${kind}`);
    $("sc-result-title").textContent = title;
    $("sc-result-name").textContent = name;
    $("sc-result-detail").textContent = detail;
    $("sc-result-offline").textContent = t("offlineMark");
    $("sc-result-offline").hidden = !offline;
    box.hidden = false;
    const accepted = kind === "ok";
    beep(accepted);
    vibrate(accepted ? 120 : kind === "already" ? [80, 60, 80] : [250, 80, 250]);
    state.pauseUntil = Date.now() + PAUSE_AFTER_RESULT_MS;
    clearTimeout(state.timers.result);
    state.timers.result = setTimeout(hideResult, accepted ? RESULT_MS : RESULT_MS * 2);
  }

  // An answer of the check-in API, whose message is already in the page's language.
  function showOutcome(data) {
    const attendee = data.attendee || {};
    const name = attendee.full_name || "";
    const detail = [attendee.category, attendee.organisation_name].filter(Boolean).join(" · ");
    if (ACCEPTED.has(data.result)) {
      const title = t(data.result === "ok" ? "ok" : data.result === "exit_ok" ? "exitOk" : "undone");
      showResult({ kind: "ok", title, name, detail });
    } else if (data.result === "already_checked_in") {
      showResult({ kind: "already", title: t("already"), name, detail: data.message });
    } else {
      showResult({ kind: "refused", title: data.message, name, detail });
    }
  }

  const OFFLINE_TITLES = { ok: "ok", already: "already", forged: "forged", not_ticket: "notTicket",
    not_admissible: "notAdmissible", no_offline_data: "noOfflineData" };

  // A decision of queue.admitOffline.
  function showOfflineOutcome({ reason, ticket }) {
    const kind = reason === "ok" ? "ok" : reason === "already" ? "already" : "refused";
    const detail = reason === "ok" ? ticket.category : reason === "already" ? t("alreadyLocal") : "";
    showResult({ kind, title: t(OFFLINE_TITLES[reason]), name: ticket ? ticket.full_name : "", detail,
      offline: true });
  }

  function showRevoked() {
    $("sc-setup-text").textContent = `${t("revoked")}. ${t("revokedHelp")}`;
    $("sc-setup").hidden = false;
    showResult({ kind: "refused", title: t("revoked"), detail: t("revokedHelp") });
  }

  function setNetwork(online) {
    const pill = $("sc-network");
    pill.textContent = online ? t("online") : t("offline");
    pill.classList.toggle("sc-offline", !online);
  }

  function renderUndo() {
    const button = $("sc-undo");
    button.hidden = !state.lastAdmitted;
    button.textContent = state.lastAdmitted ? t("undo", { name: state.lastAdmitted.name }) : "";
  }

  function renderQueue() {
    const pill = $("sc-queue");
    pill.hidden = state.queue.length === 0;
    pill.textContent = t("queued", { count: state.queue.length });
  }

  function renderCounts() {
    if (state.counts) {
      $("sc-count").textContent = `${state.counts.checked_in + pendingEntries(state)}/${state.counts.admissible}`;
    }
  }

  function renderConflicts() {
    $("sc-conflict-list").replaceChildren(...listItems(state.conflicts));
    $("sc-conflicts").hidden = state.conflicts.length === 0;
  }

  function renderOfflineInfo() {
    const data = state.offlineData;
    $("sc-offline-info").textContent = data
      ? t("offlineInfo", { count: data.tickets.length, time: formatTime(data.fetched_at) })
      : t("noOfflineInfo");
    if (data && data.list) {
      $("sc-list-name").textContent = data.list.name;
    }
  }

  function renderSynced(count) {
    $("sc-offline-info").textContent = t("synced", { count });
  }

  function renderPeople(people, note, onCheckIn) {
    const rows = people.map((person) => {
      const item = document.createElement("li");
      const info = document.createElement("span");
      info.className = "sc-person";
      const name = document.createElement("strong");
      name.textContent = person.full_name;
      const meta = document.createElement("small");
      // Enough to tell namesakes apart: category, the phone's last digits (devices are not shown whole numbers).
      const phone = person.phone || (person.phone_end ? t("phoneEnd", { digits: person.phone_end }) : "");
      meta.textContent = [person.category, person.organisation_name, phone,
        person.checked_in_at ? t("checkedInAt", { time: formatTime(person.checked_in_at) }) : ""]
        .filter(Boolean).join(" · ");
      info.append(name, meta);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sc-button sc-small";
      button.textContent = t("checkIn");
      button.addEventListener("click", () => onCheckIn(person));
      item.append(info, button);
      return item;
    });
    if (note || !rows.length) {
      rows.unshift(...listItems([note || t("noResults")]));
    }
    $("sc-results").replaceChildren(...rows);
  }

  function renderWalkIn(categories) {
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
    $("sc-walkin-errors").replaceChildren(...listItems(messages));
  }

  return { $, showResult, hideResult, showOutcome, showOfflineOutcome, showRevoked, setNetwork, renderUndo,
    renderQueue, renderCounts, renderConflicts, renderOfflineInfo, renderSynced, renderPeople, renderWalkIn,
    showWalkInErrors };
}
