import assert from "node:assert/strict";
import { test } from "node:test";

import { createWalkInSync, parseCccd, pendingWalkIns, queueWalkIn, restoreWalkIns }
  from "../../static/js/scanner/walkins.js";
import { memoryStorage, scannerOn } from "./fakes.mjs";

const CCCD = "066095001234|241234567|Nguyễn Thị Hồng Nhung|14031995|Nữ|Thôn 3, Xã Ea Tu, Thành phố Buôn Ma Thuột, "
  + "Tỉnh Đắk Lắk|20042021";

function device() {
  const storage = memoryStorage();
  const { state, store } = scannerOn(storage, { publicKey: "", tickets: [] });
  restoreWalkIns(state, store);
  return { state, store, storage };
}

// A server that remembers walk-in keys as the real one does: a repeated key answers the same registration.
function server({ failFirst = 0, refuse = new Set(), full = false, known = new Map() } = {}) {
  const registered = new Map();
  const calls = [];
  let failures = failFirst;
  const call = async (path, { body }) => {
    calls.push({ path, body });
    if (failures > 0) {
      failures -= 1;
      throw new TypeError("Failed to fetch");
    }
    if (refuse.has(body.full_name)) {
      return { ok: false, status: 422, json: async () => ({ error: { code: "validation_error", message: "Sai" } }) };
    }
    const merged = known.has(body.phone);
    if (!registered.has(body.walk_in_key)) {
      registered.set(body.walk_in_key, merged ? known.get(body.phone) : registered.size + 100);
    }
    const overflow = full && !merged;
    return { ok: true, status: 201, json: async () => ({ result: overflow ? "waitlisted" : "ok", merged, overflow,
      registration_id: registered.get(body.walk_in_key), walk_in_key: body.walk_in_key }) };
  };
  return { call, calls, registered };
}

test("a CCCD fills name, birth year, gender and province, never the number or the address", () => {
  const filled = parseCccd(CCCD);
  assert.deepEqual(filled, { full_name: "Nguyễn Thị Hồng Nhung", birth_year: 1995, gender: "female",
    province: "Đắk Lắk" });
  assert.ok(!JSON.stringify(filled).includes("066095001234") && !JSON.stringify(filled).includes("Thôn 3"));
  assert.equal(parseCccd("EH1.abc.def"), null);
  assert.equal(parseCccd("12|x"), null);
});

test("offline, a walk-in gets a provisional ticket at once and waits on the device", () => {
  const { state, store, storage } = device();
  const item = queueWalkIn(state, store, { full_name: "Y Moan", phone: "0905000111", category_id: 3, id_number: "x",
    address: "y" }, { gate: "Cổng 1", now: new Date("2027-03-08T01:00:00Z") });
  assert.match(item.provisional, /^TAM-[0-9A-F]{6}$/);
  assert.equal(pendingWalkIns(state), 1);
  const saved = storage.items.get("ehScanner.walkins.7");
  assert.ok(saved.includes("Y Moan") && !saved.includes("id_number") && !saved.includes("address"));
  const again = device();
  again.state.config = state.config;
  restoreWalkIns(again.state, again.store);
  assert.equal(again.state.walkIns.queue.length, 0, "a new device storage starts empty");
  restoreWalkIns(state, store);
  assert.equal(state.walkIns.queue[0].key, item.key, "a reload keeps the queue");
});

test("on reconnection each walk-in is created exactly once, even when the upload is repeated", async () => {
  const { state, store } = device();
  queueWalkIn(state, store, { full_name: "A", phone: "0905000001", category_id: 3 });
  queueWalkIn(state, store, { full_name: "B", phone: "0905000002", category_id: 3 });
  const api = server({ failFirst: 1 });
  let online = false;
  const sync = createWalkInSync({ state, store, call: api.call, online: () => online });
  assert.equal(await sync.run(), 0);
  assert.equal(api.calls.length, 0, "nothing is sent while offline");
  online = true;
  assert.equal(await sync.run(), 0, "a failed upload keeps everything");
  assert.equal(pendingWalkIns(state), 2);
  assert.equal(await sync.run(), 2);
  assert.equal(pendingWalkIns(state), 0);
  assert.equal(api.registered.size, 2);
  const keys = api.calls.map((c) => c.body.walk_in_key);
  assert.equal(new Set(keys).size, 2, "the retried walk-in kept its key");
  assert.ok(api.calls.every((c) => !("id_number" in c.body) && !("address" in c.body)));
  assert.equal(await sync.run(), 0, "a second round sends nothing");
});

test("a phone already registered is merged; overflow and refusals are kept, never dropped", async () => {
  const { state, store } = device();
  queueWalkIn(state, store, { full_name: "Đã đăng ký", phone: "0905000009", category_id: 3 });
  queueWalkIn(state, store, { full_name: "Sai", phone: "12", category_id: 3 });
  queueWalkIn(state, store, { full_name: "Muộn", phone: "0905000010", category_id: 3 });
  const api = server({ refuse: new Set(["Sai"]), full: true, known: new Map([["0905000009", 42]]) });
  await createWalkInSync({ state, store, call: api.call }).run();
  assert.deepEqual(state.walkIns.done.map((d) => [d.full_name, d.registration_id, d.merged, d.overflow]), [
    ["Đã đăng ký", 42, true, false], ["Muộn", 101, false, true]]);
  assert.deepEqual(state.walkIns.problems.map((p) => p.full_name), ["Sai"]);
  assert.equal(pendingWalkIns(state), 0);
});
