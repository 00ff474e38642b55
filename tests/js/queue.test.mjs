import assert from "node:assert/strict";
import { test } from "node:test";

import { admitOffline, pendingEntries, replaceOfflineData, restore, undoQueued } from "../../static/js/scanner/queue.js";
import { memoryStorage, scannerOn, ticket, ticketSigner } from "./fakes.mjs";

const signer = ticketSigner();
const AT = new Date("2027-03-08T00:30:00Z");

function door(tickets = [ticket("TK7Q2M9X", { registration_id: 11 }), ticket("TK3H8P4D", { registration_id: 12 })]) {
  const storage = memoryStorage();
  return { storage, ...scannerOn(storage, { publicKey: signer.publicKey, tickets }) };
}

const scanOf = (code, nonce = `n-${code}`) => ({ code: signer.payload(code), nonce, gate: "Cổng 2", now: AT });

test("an offline admission is queued and survives a reload of the page", async () => {
  const { storage, state, store } = door();
  const decision = await admitOffline(state, store, scanOf("TK7Q2M9X", "nonce-1"));
  assert.equal(decision.reason, "ok");
  assert.equal(decision.ticket.full_name, "Person TK7Q2M9X");

  const reloaded = scannerOn(storage, { publicKey: signer.publicKey, tickets: [] });
  restore(reloaded.state, reloaded.store);
  assert.deepEqual(reloaded.state.queue, [{ code: signer.payload("TK7Q2M9X"), nonce: "nonce-1",
    scanned_at: "2027-03-08T00:30:00.000Z", gate: "Cổng 2", direction: "entry" }]);
  assert.deepEqual([...reloaded.state.admitted], ["TK7Q2M9X"]);
  assert.equal(pendingEntries(reloaded.state), 1);
});

test("the same ticket twice offline is a duplicate, queued once", async () => {
  const { state, store } = door();
  await admitOffline(state, store, scanOf("TK7Q2M9X", "first"));
  const again = await admitOffline(state, store, scanOf("TK7Q2M9X", "second"));
  assert.equal(again.reason, "already");
  assert.equal(again.ticket.ticket_code, "TK7Q2M9X");
  assert.deepEqual(state.queue.map((item) => item.nonce), ["first"]);
});

test("a ticket the offline data shows as checked in is a duplicate", async () => {
  const { state, store } = door([ticket("TK7Q2M9X", { checked_in: true })]);
  assert.equal((await admitOffline(state, store, scanOf("TK7Q2M9X"))).reason, "already");
  assert.deepEqual(state.queue, []);
});

test("forged, foreign and unreadable codes are refused and nothing is queued", async () => {
  const { state, store } = door();
  const stolen = signer.payload("TK3H8P4D").split(".")[2];
  const cases = [
    [`EH1.TK7Q2M9X.${stolen}`, "forged"],
    [ticketSigner().payload("TK7Q2M9X"), "forged"],
    [signer.payload("NOTONLIST"), "not_admissible"],
    ["hello", "not_ticket"],
  ];
  for (const [code, reason] of cases) {
    assert.equal((await admitOffline(state, store, { code, nonce: "x", gate: "", now: AT })).reason, reason, code);
  }
  assert.deepEqual(state.queue, []);
  assert.deepEqual([...state.admitted], []);
  assert.equal(state.lastAdmitted, null);
});

test("without offline data nothing can be decided", async () => {
  const { state, store } = door();
  state.offlineData = null;
  assert.equal((await admitOffline(state, store, scanOf("TK7Q2M9X"))).reason, "no_offline_data");
  assert.deepEqual(state.queue, []);
});

test("a person found by search is admitted by registration id, queued under the ticket code", async () => {
  const { state, store } = door();
  const decision = await admitOffline(state, store, { code: "", registrationId: 12, nonce: "n", gate: "", now: AT });
  assert.equal(decision.reason, "ok");
  assert.equal(state.queue[0].code, "TK3H8P4D");
  assert.deepEqual(state.lastAdmitted, { registration_id: 12, name: "Person TK3H8P4D", nonce: "n",
    ticket_code: "TK3H8P4D" });
});

test("undo takes the queued admission back, so the ticket can be admitted again", async () => {
  const { storage, state, store } = door();
  await admitOffline(state, store, scanOf("TK7Q2M9X", "first"));
  assert.equal(undoQueued(state, store).name, "Person TK7Q2M9X");
  assert.deepEqual(state.queue, []);
  assert.equal(state.lastAdmitted, null);
  assert.equal(storage.items.get("ehScanner.queue.7"), "[]");
  assert.equal((await admitOffline(state, store, scanOf("TK7Q2M9X", "second"))).reason, "ok");
});

test("undo of an admission already synced is left to the server", async () => {
  const { state, store } = door();
  state.lastAdmitted = { registration_id: 11, name: "Person TK7Q2M9X" };
  assert.equal(undoQueued(state, store), null);
  assert.deepEqual(state.lastAdmitted, { registration_id: 11, name: "Person TK7Q2M9X" });
});

test("fresh offline data keeps the local memory of queued scans only", async () => {
  const { state, store } = door();
  await admitOffline(state, store, scanOf("TK7Q2M9X"));
  state.admitted.add("TK3H8P4D"); // synced meanwhile: the server's data now says so
  replaceOfflineData(state, store, { public_key: signer.publicKey, tickets: [ticket("TK3H8P4D",
    { registration_id: 12, checked_in: true })] });
  assert.deepEqual([...state.admitted], ["TK7Q2M9X"]);
  assert.equal((await admitOffline(state, store, scanOf("TK3H8P4D"))).reason, "already");
});
