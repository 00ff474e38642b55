// Walk-ins registered without the network: each gets a key and a provisional ticket at once, waits on the device,
// and is uploaded on reconnection with its key, so the server applies it once however often it arrives. What the
// server could not accept stays listed for the volunteer; nothing is dropped.
//
// The QR on the back of a citizen ID card (CCCD) pre-fills the form on the device: name, birth year, gender and
// province. The ID number and the address are read only to find those and never leave the device.

const KEY_BYTES = 12;

function listKey(state) {
  return `walkins.${state.config.list}`;
}

export function restoreWalkIns(state, store) {
  const saved = store.load(listKey(state), { queue: [], problems: [], done: [] });
  state.walkIns = { queue: saved.queue || [], problems: saved.problems || [], done: saved.done || [] };
}

function save(state, store) {
  store.save(listKey(state), state.walkIns);
}

export function newKey(random = globalThis.crypto) {
  const bytes = new Uint8Array(KEY_BYTES);
  random.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// "TAM-3F2A9C" (tạm: provisional): shown at once and kept with the queued walk-in; the real ticket comes with the registration.
export function provisionalCode(key) {
  return `TAM-${key.slice(0, 6).toUpperCase()}`;
}

// Only what the server may hold: never an ID number or an address.
const SENT_FIELDS = ["full_name", "phone", "category_id", "gender", "birth_year", "province"];

export function queueWalkIn(state, store, person, { gate = "", now = new Date(), random } = {}) {
  const key = newKey(random);
  const item = { key, provisional: provisionalCode(key), scanned_at: now.toISOString(), gate };
  for (const field of SENT_FIELDS) {
    if (person[field] !== undefined && person[field] !== null && person[field] !== "") {
      item[field] = person[field];
    }
  }
  state.walkIns.queue.push(item);
  save(state, store);
  return item;
}

export function pendingWalkIns(state) {
  return state.walkIns ? state.walkIns.queue.length : 0;
}

function body(item) {
  const sent = { walk_in_key: item.key, scanned_at: item.scanned_at };
  for (const field of SENT_FIELDS) {
    if (item[field] !== undefined) {
      sent[field] = item[field];
    }
  }
  return sent;
}

// Uploads the queued walk-ins one by one, oldest first. A network failure stops the round (the rest waits for the
// next); a refusal (a bad phone, a category closed meanwhile) moves the walk-in to the problems the volunteer sees.
export function createWalkInSync({ state, store, call, online = () => true, onDone = () => {} }) {
  let running = false;

  async function run() {
    if (running || !online() || !state.walkIns || state.walkIns.queue.length === 0) {
      return 0;
    }
    running = true;
    let applied = 0;
    try {
      while (state.walkIns.queue.length) {
        const item = state.walkIns.queue[0];
        let response;
        try {
          response = await call("walk-ins", { method: "POST", body: body(item) });
        } catch {
          break; // offline again, or the server is away: kept, retried later
        }
        const data = await response.json().catch(() => ({}));
        if (response.status >= 500) {
          break;
        }
        state.walkIns.queue.shift();
        if (response.ok) {
          state.walkIns.done.push({ provisional: item.provisional, full_name: item.full_name,
            registration_id: data.registration_id, result: data.result, merged: Boolean(data.merged),
            overflow: Boolean(data.overflow) });
          applied += 1;
        } else {
          state.walkIns.problems.push({ ...item, error: data.error || { message: `HTTP ${response.status}` } });
        }
        save(state, store);
      }
    } finally {
      running = false;
    }
    if (applied) {
      onDone(applied);
    }
    return applied;
  }

  return { run };
}

// The CCCD QR: "number|old number|full name|ddmmyyyy|gender|address|issue date".
const PROVINCE_PREFIXES = /^(tỉnh|thành phố|tp\.?)\s+/i;

export function parseCccd(text) {
  const parts = (text || "").trim().split("|");
  if (parts.length < 6 || !/^\d{12}$/.test(parts[0])) {
    return null;
  }
  const [, , name, born, gender, address] = parts;
  const year = /^\d{8}$/.test(born) ? parseInt(born.slice(4), 10) : null;
  const genders = { nam: "male", "nữ": "female", nu: "female" };
  const segments = (address || "").split(",").map((s) => s.trim()).filter(Boolean);
  const province = segments.length ? segments[segments.length - 1].replace(PROVINCE_PREFIXES, "") : "";
  return { full_name: (name || "").trim(), birth_year: year, gender: genders[(gender || "").trim().toLowerCase()] || "",
    province };
}
