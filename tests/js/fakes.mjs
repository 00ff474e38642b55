// What the scanner modules get from the browser, made by hand: storage, timers, a signing key, a translator.
import { generateKeyPairSync, sign, webcrypto } from "node:crypto";

import { translator } from "../../static/js/scanner/i18n.js";
import { createState } from "../../static/js/scanner/state.js";
import { createStore } from "../../static/js/scanner/storage.js";

if (!globalThis.crypto) {
  globalThis.crypto = webcrypto; // Node 18 has no global Web Crypto; the vendored noble library needs it
}

export function memoryStorage() {
  const items = new Map();
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
  };
}

// Timers that fire only when the test says so.
export function manualTimers() {
  let next = 1;
  const pending = new Map();
  return {
    pending,
    set(fn, ms) {
      pending.set(next, { fn, ms });
      return next++;
    },
    clear(id) {
      pending.delete(id);
    },
    delays: () => [...pending.values()].map((timer) => timer.ms),
    async fire() {
      const [[id, timer]] = pending;
      pending.delete(id);
      await timer.fn();
    },
  };
}

const b64url = (bytes) => Buffer.from(bytes).toString("base64url");

// A ticket signer like eventhub/registration/tickets.py: "EH1.<code>.<Ed25519 signature of 'EH1.<code>'>".
export function ticketSigner() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return {
    publicKey: publicKey.export({ format: "jwk" }).x,
    payload(code) {
      const message = `EH1.${code}`;
      return `${message}.${b64url(sign(null, Buffer.from(message), privateKey))}`;
    },
  };
}

export const TEXTS = { unknownPerson: "Unknown", conflict: "%(name)s: %(message)s" };

export const t = translator(TEXTS);

// A scanner for list 7 with offline data of the given tickets, restored from `storage`.
export function scannerOn(storage, { publicKey, tickets }) {
  const state = createState();
  state.config = { token: "ehd_secret", list: 7 };
  state.offlineData = { public_key: publicKey, tickets };
  return { state, store: createStore(storage) };
}

export function ticket(code, overrides = {}) {
  return { ticket_code: code, registration_id: overrides.registration_id ?? 1, full_name: `Person ${code}`,
    category: "Khách mời", checked_in: false, ...overrides };
}
