// The offline queue: admissions decided on the device from the signed offline data, kept per list in storage
// until sync.js hands them to the server. Each queued scan carries the nonce that makes its upload harmless twice.
import { codeOf, ticketCodeIn } from "./verify.js";

function listKey(state, name) {
  return `${name}.${state.config.list}`;
}

export function restore(state, store) {
  state.offlineData = store.load(listKey(state, "offline"), null);
  state.ticketsByCode = null;
  state.queue = store.load(listKey(state, "queue"), []);
  state.admitted = new Set(store.load(listKey(state, "admitted"), []));
  state.conflicts = store.load(listKey(state, "conflicts"), []);
  state.counts = store.load(listKey(state, "counts"), null);
}

export function saveQueue(state, store) {
  store.save(listKey(state, "queue"), state.queue);
  store.save(listKey(state, "admitted"), [...state.admitted]);
}

export function saveConflicts(state, store) {
  store.save(listKey(state, "conflicts"), state.conflicts);
}

export function saveCounts(state, store, counts) {
  state.counts = counts;
  store.save(listKey(state, "counts"), counts);
}

// Fresh offline data from the server: what it now knows needs no local memory; what is still queued does.
export function replaceOfflineData(state, store, data) {
  state.offlineData = data;
  state.ticketsByCode = null;
  store.save(listKey(state, "offline"), data);
  state.admitted = new Set(state.queue.map((item) => codeOf(item.code)));
  saveQueue(state, store);
}

function ticketsByCode(state) {
  if (!state.ticketsByCode) {
    state.ticketsByCode = new Map(state.offlineData.tickets.map((t) => [t.ticket_code, t]));
  }
  return state.ticketsByCode;
}

async function findTicket(state, code, registrationId) {
  if (registrationId) {
    return { ticket: state.offlineData.tickets.find((t) => t.registration_id === registrationId) };
  }
  const ticketCode = await ticketCodeIn(code, state.offlineData.public_key);
  if (ticketCode === null) {
    return { reason: "not_ticket" };
  }
  if (ticketCode === false) {
    return { reason: "forged" };
  }
  return { ticket: ticketsByCode(state).get(ticketCode) };
}

// Decides a scan without the network. `reason` is "ok" (admitted and queued), "already", "forged", "not_ticket",
// "not_admissible" or "no_offline_data".
export async function admitOffline(state, store, { code, registrationId, nonce, gate, now = new Date() }) {
  if (!state.offlineData) {
    return { reason: "no_offline_data" };
  }
  const { ticket, reason } = await findTicket(state, code, registrationId);
  if (reason) {
    return { reason };
  }
  if (!ticket) {
    return { reason: "not_admissible" };
  }
  if (ticket.checked_in || state.admitted.has(ticket.ticket_code)) {
    return { reason: "already", ticket };
  }
  state.admitted.add(ticket.ticket_code);
  state.queue.push({ code: code || ticket.ticket_code, nonce, scanned_at: now.toISOString(), gate,
    direction: "entry" });
  saveQueue(state, store);
  state.lastAdmitted = { registration_id: ticket.registration_id, name: ticket.full_name, nonce,
    ticket_code: ticket.ticket_code };
  return { reason: "ok", ticket };
}

// Takes the last offline admission back out of the queue; null when it is not queued (the server must undo it).
export function undoQueued(state, store) {
  const last = state.lastAdmitted;
  const index = last && last.nonce ? state.queue.findIndex((item) => item.nonce === last.nonce) : -1;
  if (index < 0) {
    return null;
  }
  state.queue.splice(index, 1);
  state.admitted.delete(last.ticket_code);
  saveQueue(state, store);
  state.lastAdmitted = null;
  return last;
}

export function pendingEntries(state) {
  return state.queue.filter((item) => item.direction === "entry").length;
}
