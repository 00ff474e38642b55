import assert from "node:assert/strict";
import { test } from "node:test";

import { Revoked } from "../../static/js/scanner/api.js";
import { restore } from "../../static/js/scanner/queue.js";
import { createSync, MAX_RETRY_MS, nextBackoff } from "../../static/js/scanner/sync.js";
import { manualTimers, memoryStorage, scannerOn, t } from "./fakes.mjs";

function queued(count) {
  return Array.from({ length: count }, (_, i) => ({ code: `EH1.CODE${i}.sig`, nonce: `nonce-${i}`,
    scanned_at: "2027-03-08T00:30:00.000Z", gate: i ? "Cổng 2" : "", direction: "entry" }));
}

const ok = (scan) => ({ nonce: scan.nonce, result: "ok", message: "Hợp lệ", attendee: { full_name: scan.code } });

// A server that answers each call in turn: an HTTP status, an error to throw, or a function of the sent scans.
function server(...answers) {
  const calls = [];
  const call = async (path, options) => {
    calls.push({ path, ...options });
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer instanceof Error) {
      throw answer;
    }
    if (typeof answer === "number") {
      return { ok: false, status: answer, json: async () => ({}) };
    }
    const results = answer(options.body.scans);
    return { ok: true, status: 200, json: async () => ({ results }) };
  };
  return { call, calls };
}

function syncing(scans, api, { online = () => true } = {}) {
  const storage = memoryStorage();
  const { state, store } = scannerOn(storage, { publicKey: "", tickets: [] });
  state.queue = scans;
  const timers = manualTimers();
  const synced = [];
  const sync = createSync({ state, store, call: api.call, t, online, timers, onSynced: (n) => synced.push(n) });
  return { state, store, storage, timers, synced, sync };
}

test("a failing sync is retried with a doubling delay and stops once it succeeds", async () => {
  const api = server(new TypeError("Failed to fetch"), 503, 502, (scans) => scans.map(ok));
  const { state, storage, timers, synced, sync } = syncing(queued(2), api);

  await sync.run();
  assert.deepEqual(timers.delays(), [2000]);
  await timers.fire();
  assert.deepEqual(timers.delays(), [4000]);
  await timers.fire();
  assert.deepEqual(timers.delays(), [8000]);
  assert.equal(state.queue.length, 2, "nothing is lost while the server fails");

  await timers.fire();
  assert.deepEqual(timers.delays(), [], "no retry after success");
  assert.deepEqual(state.queue, []);
  assert.equal(storage.items.get("ehScanner.queue.7"), "[]");
  assert.equal(state.backoff, 0);
  assert.deepEqual(synced, [2]);
  assert.equal(api.calls.length, 4);
  assert.deepEqual(api.calls[3], { path: "sync", method: "POST", body: { scans: [
    { code: "EH1.CODE0.sig", nonce: "nonce-0", scanned_at: "2027-03-08T00:30:00.000Z", gate: undefined,
      direction: "entry" },
    { code: "EH1.CODE1.sig", nonce: "nonce-1", scanned_at: "2027-03-08T00:30:00.000Z", gate: "Cổng 2",
      direction: "entry" }] } });
});

test("the retry delay stops growing at a minute", () => {
  const delays = [];
  let delay = 0;
  for (let i = 0; i < 9; i += 1) {
    delay = nextBackoff(delay);
    delays.push(delay);
  }
  assert.deepEqual(delays, [2000, 4000, 8000, 16000, 32000, MAX_RETRY_MS, MAX_RETRY_MS, MAX_RETRY_MS, MAX_RETRY_MS]);
});

test("what the server refuses is reported as a conflict and kept on the device", async () => {
  const api = server((scans) => [
    ok(scans[0]),
    { nonce: scans[1].nonce, result: "already_checked_in", message: "Đã check-in lúc 07:31 tại Cổng 1",
      attendee: { full_name: "Hoàng Thị Thu Trang" } },
    { nonce: scans[2].nonce, result: "forged_ticket", message: "Vé giả hoặc đã bị sửa.", attendee: null },
  ]);
  const { state, storage, sync } = syncing(queued(3), api);
  await sync.run();
  const expected = ["Hoàng Thị Thu Trang: Đã check-in lúc 07:31 tại Cổng 1", "Unknown: Vé giả hoặc đã bị sửa."];
  assert.deepEqual(state.conflicts, expected);
  assert.deepEqual(state.queue, []);

  const reloaded = scannerOn(storage, { publicKey: "", tickets: [] });
  restore(reloaded.state, reloaded.store);
  assert.deepEqual(reloaded.state.conflicts, expected);
});

test("a long queue goes up in batches of 500", async () => {
  const api = server((scans) => scans.map(ok));
  const { state, timers, sync } = syncing(queued(501), api);
  await sync.run();
  assert.equal(api.calls[0].body.scans.length, 500);
  assert.deepEqual(state.queue.map((item) => item.nonce), ["nonce-500"]);
  assert.deepEqual(timers.delays(), [0]);
  await timers.fire();
  assert.deepEqual(api.calls[1].body.scans.map((scan) => scan.nonce), ["nonce-500"]);
  assert.deepEqual(state.queue, []);
  assert.deepEqual(timers.delays(), []);
});

test("a revoked device stops retrying and keeps its queue", async () => {
  const api = server(new Revoked());
  const { state, timers, sync } = syncing(queued(1), api);
  await sync.run();
  assert.deepEqual(timers.delays(), []);
  assert.equal(state.queue.length, 1);
});

test("nothing is sent while offline or with an empty queue", async () => {
  const api = server((scans) => scans.map(ok));
  await syncing(queued(1), api, { online: () => false }).sync.run();
  await syncing([], api).sync.run();
  assert.deepEqual(api.calls, []);
});

test("once synced, the last admission is undone through the server, not the queue", async () => {
  const api = server((scans) => scans.map(ok));
  const { state, sync } = syncing(queued(1), api);
  state.lastAdmitted = { registration_id: 11, name: "Y Khoa Niê", nonce: "nonce-0", ticket_code: "CODE0" };
  await sync.run();
  assert.deepEqual(state.lastAdmitted, { registration_id: 11, name: "Y Khoa Niê" });
});
