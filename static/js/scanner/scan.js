// One scan from camera, photo or search: the server decides when it answers; without the network (or with a
// server error or timeout) the device decides from the offline data and queues the scan.
import { errorMessages, newNonce, Revoked } from "./api.js";
import { admitOffline, undoQueued } from "./queue.js";

const DUPLICATE_MS = 3000; // the camera sees the same code many times while the ticket is in front of it

export function createScanning({ state, store, ui, t, call, sync, gate, online, refreshCounts }) {
  function afterQueueChange() {
    ui.renderQueue();
    ui.renderUndo();
    ui.renderCounts();
  }

  async function offline(body, code, nonce) {
    if (body.direction === "undo") {
      ui.showResult({ kind: "refused", title: t("undoNeedsNetwork") });
      return;
    }
    const decision = await admitOffline(state, store, { code, registrationId: body.registration_id, nonce,
      gate: gate() });
    if (decision.reason === "ok") {
      afterQueueChange();
    }
    ui.showOfflineOutcome(decision);
  }

  function rememberAdmitted(data, body) {
    if (data.result === "ok" && data.attendee && body.direction !== "undo") {
      state.lastAdmitted = { registration_id: data.attendee.registration_id, name: data.attendee.full_name };
    } else if (data.result === "undone") {
      state.lastAdmitted = null;
    }
    ui.renderUndo();
  }

  // An answer of the API that admitted someone (a scan or a walk-in).
  function answered(data, body) {
    ui.showOutcome(data);
    rememberAdmitted(data, body);
    refreshCounts();
  }

  async function submit(body, code) {
    state.busy = true;
    const nonce = newNonce();
    try {
      if (!online()) {
        await offline(body, code, nonce);
        return;
      }
      let response;
      try {
        response = await call("scan", { method: "POST", body: { ...body, nonce, gate: gate() || undefined } });
      } catch (error) {
        if (error instanceof Revoked) {
          return;
        }
        ui.setNetwork(false);
        await offline(body, code, nonce);
        return;
      }
      if (response.status >= 500) {
        await offline(body, code, nonce);
        return;
      }
      ui.setNetwork(true);
      const data = await response.json();
      if (!response.ok) {
        ui.showResult({ kind: "refused", title: errorMessages(data)[0] || t("serverError") });
        return;
      }
      answered(data, body);
      sync.run();
    } finally {
      state.busy = false;
    }
  }

  async function scan(code, { fromCamera = false } = {}) {
    code = (code || "").trim();
    if (!code) {
      return;
    }
    const now = Date.now();
    if (fromCamera && code === state.lastCode && now - state.lastCodeAt < DUPLICATE_MS) {
      state.lastCodeAt = now;
      return;
    }
    state.lastCode = code;
    state.lastCodeAt = now;
    await submit({ code }, code);
  }

  async function undo() {
    if (!state.lastAdmitted) {
      return;
    }
    const undone = undoQueued(state, store);
    if (undone) {
      ui.showResult({ kind: "ok", title: t("undone"), name: undone.name, offline: true });
      afterQueueChange();
      return;
    }
    if (!online()) {
      ui.showResult({ kind: "refused", title: t("undoNeedsNetwork") });
      return;
    }
    await submit({ registration_id: state.lastAdmitted.registration_id, direction: "undo" }, "");
  }

  return { scan, submit, undo, answered };
}
