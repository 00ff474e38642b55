// The agenda editor: lays the server-rendered sessions on the rooms × time grid, adds a session by clicking an
// empty slot, moves one by dragging it to another slot. Every save goes through the server's conflict service;
// a refusal (409) lists each conflict, naming the other session, and marks that session on the grid.
(() => {
  "use strict";
  // Track colours, on the editor grid and on the public agenda alike.
  document.querySelectorAll("[data-colour]").forEach((element) => {
    if (element.dataset.colour) element.style.borderLeftColor = element.dataset.colour;
  });
  const editor = document.getElementById("agenda-editor");
  if (!editor) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const dialog = document.getElementById("agenda-add");
  const pagePanel = document.getElementById("agenda-conflicts");

  // Layout: CSS grid rows and columns come from data attributes (inline styles are not allowed by the CSP).
  editor.querySelectorAll(".agenda-grid").forEach((grid) => {
    grid.style.gridTemplateColumns = `4rem repeat(${grid.dataset.columns}, minmax(9rem, 1fr))`;
    grid.style.gridTemplateRows = `auto repeat(${grid.dataset.rows}, 1.4rem)`;
    grid.querySelectorAll("[data-col], [data-row]").forEach((cell) => {
      const row = cell.dataset.row === undefined ? 0 : Number(cell.dataset.row) + 1;
      const col = cell.dataset.col === undefined ? 0 : Number(cell.dataset.col) + 1;
      cell.style.gridRow = `${row + 1} / span ${cell.dataset.rows || 1}`;
      cell.style.gridColumn = `${col + 1}`;
    });
  });

  // Local wall-clock times as naive ISO strings; the server reads them in the event's time zone.
  const pad = (n) => String(n).padStart(2, "0");
  function localIso(date, time, plusMinutes = 0) {
    const [y, m, d] = date.split("-").map(Number);
    const [hh, mm] = time.split(":").map(Number);
    const t = new Date(Date.UTC(y, m - 1, d, hh, mm + plusMinutes));
    return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
  }
  const dayOf = (element) => element.closest(".agenda-day").dataset.date;

  function clearMarks() {
    editor.querySelectorAll(".agenda-session.is-conflict").forEach((el) => el.classList.remove("is-conflict"));
  }

  function showConflicts(panel, body, retry) {
    clearMarks();
    const list = panel.querySelector("ul");
    list.replaceChildren();
    const error = body.error || {};
    panel.querySelector(".agenda-conflicts-title").textContent = error.message || editor.dataset.msgFailed;
    const conflicts = body.conflicts || [];
    const fieldMessages = conflicts.length ? [] : Object.values(error.fields || {}).flat();
    conflicts.forEach((conflict) => {
      const item = document.createElement("li");
      item.textContent = conflict.message;
      item.className = conflict.blocking ? "blocking" : "warning";
      list.append(item);
      const other = conflict.other_session && document.getElementById(`session-${conflict.other_session.id}`);
      if (other) other.classList.add("is-conflict");
    });
    fieldMessages.forEach((message) => {
      const item = document.createElement("li");
      item.textContent = message;
      list.append(item);
    });
    const confirm = panel.querySelector(".agenda-confirm");
    const onlyWarnings = conflicts.length > 0 && conflicts.every((c) => !c.blocking);
    confirm.hidden = !onlyWarnings;
    confirm.onclick = onlyWarnings ? () => retry(true) : null;
    panel.hidden = false;
    panel.scrollIntoView({ block: "nearest" });
  }

  async function send(url, payload, panel, retry) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(payload),
      });
    } catch (_error) {
      showConflicts(panel, {}, retry);
      return;
    }
    if (response.ok) {
      window.location.reload();
      return;
    }
    const body = await response.json().catch(() => ({}));
    showConflicts(panel, body, retry);
  }

  // Add: click an empty slot, name the session, pick its type and length.
  let target = null;
  editor.addEventListener("click", (event) => {
    const slot = event.target.closest(".agenda-slot");
    if (!slot) return;
    target = { date: dayOf(slot), time: slot.dataset.time, room: slot.dataset.room };
    const roomName = slot.dataset.roomName || editor.dataset.msgNoRoom;
    dialog.querySelector("h2").textContent = editor.dataset.msgRoom
      .replace("{room}", roomName).replace("{time}", target.time)
      .replace("{date}", target.date.split("-").reverse().join("/"));
    const full = new URLSearchParams({ date: target.date, time: target.time, room: target.room });
    dialog.querySelector(".agenda-add-full").href = `${editor.dataset.formUrl}?${full}`;
    dialog.querySelector(".agenda-conflicts").hidden = true;
    dialog.showModal();
    dialog.querySelector("#add-title").focus();
  });
  dialog.querySelector(".agenda-add-close").addEventListener("click", () => dialog.close());
  dialog.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const minutes = Number(form.elements.duration.value);
    const create = (confirmWarnings) => send(editor.dataset.createUrl, {
      title: form.elements.title.value,
      session_type: form.elements.session_type.value,
      starts_at: localIso(target.date, target.time),
      ends_at: localIso(target.date, target.time, minutes),
      room_id: target.room === "" ? null : Number(target.room),
      confirm_warnings: confirmWarnings,
    }, dialog.querySelector(".agenda-conflicts"), create);
    create(false);
  });

  // Move: drag a session onto another slot (same length, new start and room).
  let dragged = null;
  editor.addEventListener("dragstart", (event) => {
    const session = event.target.closest(".agenda-session");
    if (!session) return;
    dragged = session;
    // Let drops reach the slots under the other sessions (a move may overlap, then the server says why not).
    window.requestAnimationFrame(() => editor.classList.add("is-dragging"));
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", session.dataset.sessionId);
  });
  editor.addEventListener("dragover", (event) => {
    if (dragged && event.target.closest(".agenda-slot")) event.preventDefault();
  });
  editor.addEventListener("drop", (event) => {
    const slot = event.target.closest(".agenda-slot");
    if (!dragged || !slot) return;
    event.preventDefault();
    const session = dragged;
    dragged = null;
    const date = dayOf(slot);
    const minutes = Number(session.dataset.minutes);
    const move = (confirmWarnings) => send(session.dataset.moveUrl, {
      starts_at: localIso(date, slot.dataset.time),
      ends_at: localIso(date, slot.dataset.time, minutes),
      room_id: slot.dataset.room === "" ? null : Number(slot.dataset.room),
      confirm_warnings: confirmWarnings,
    }, pagePanel, move);
    move(false);
  });
  editor.addEventListener("dragend", () => {
    dragged = null;
    editor.classList.remove("is-dragging");
  });
})();
