// Uploads the offline queue in batches. A failed upload is retried after 2 s, 4 s, 8 s … up to a minute; a
// revoked device stops retrying. What the server refuses (already checked in elsewhere, cancelled…) becomes a
// conflict for the volunteer to read.
import { Revoked } from "./api.js";
import { saveConflicts, saveQueue } from "./queue.js";

export const ACCEPTED = new Set(["ok", "exit_ok", "undone"]);
export const BATCH = 500;
export const FIRST_RETRY_MS = 2000;
export const MAX_RETRY_MS = 60000;

export function nextBackoff(previous) {
  return Math.min(previous ? previous * 2 : FIRST_RETRY_MS, MAX_RETRY_MS);
}

export function createSync({ state, store, call, t, online = () => true, onSynced = () => {},
  timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (id) => clearTimeout(id) } }) {
  function schedule(delay) {
    timers.clear(state.timers.sync);
    state.timers.sync = timers.set(run, delay);
  }

  function record(data, batch) {
    const done = new Set(batch.map((item) => item.nonce));
    state.queue = state.queue.filter((item) => !done.has(item.nonce));
    for (const outcome of data.results) {
      if (!ACCEPTED.has(outcome.result)) {
        const name = outcome.attendee ? outcome.attendee.full_name : t("unknownPerson");
        state.conflicts.push(t("conflict", { name, message: outcome.message }));
      }
    }
    const last = state.lastAdmitted;
    if (last && last.nonce && done.has(last.nonce)) {
      state.lastAdmitted = { registration_id: last.registration_id, name: last.name }; // undone online from now on
    }
    saveConflicts(state, store);
    saveQueue(state, store);
  }

  async function run() {
    if (state.syncing || state.queue.length === 0 || !online()) {
      return;
    }
    state.syncing = true;
    const batch = state.queue.slice(0, BATCH);
    try {
      const response = await call("sync", { method: "POST", body: { scans: batch.map((item) => ({
        code: item.code, nonce: item.nonce, scanned_at: item.scanned_at, gate: item.gate || undefined,
        direction: item.direction })) } });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      record(await response.json(), batch);
      state.backoff = 0;
      if (state.queue.length) {
        schedule(0);
      }
      onSynced(batch.length);
    } catch (error) {
      if (!(error instanceof Revoked)) {
        state.backoff = nextBackoff(state.backoff);
        schedule(state.backoff);
      }
    } finally {
      state.syncing = false;
    }
  }

  return { run, schedule };
}
