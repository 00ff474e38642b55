// The check-in API as the device sees it: the device token in the Authorization header (never in a URL), the
// page's language in Accept-Language so the server answers in it, and a timeout after which the scan goes offline.
export const REQUEST_MS = 8000; // a scan waiting longer is handled offline (its nonce makes the retry safe)

export class Revoked extends Error {}

function isHeaderSafe(text) {
  return /^[\x20-\x7e]*$/.test(text);
}

export function createApi({ base, state, gate, language, onRevoked, fetch = (...args) => globalThis.fetch(...args),
  timeoutMs = REQUEST_MS }) {
  return async function call(path, { method = "GET", body } = {}) {
    const headers = { Authorization: `Bearer ${state.config.token}`, Accept: "application/json" };
    if (language) {
      headers["Accept-Language"] = language;
      headers["X-Language"] = language; // the page's language wins over the one the device was issued in
    }
    const gateName = gate();
    if (gateName && isHeaderSafe(gateName)) {
      headers["X-Gate"] = gateName; // HTTP headers carry Latin-1 only; the body carries the gate too.
    }
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    const response = await fetch(`${base}/${state.config.list}/${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store",
      credentials: "omit", signal: AbortSignal.timeout ? AbortSignal.timeout(timeoutMs) : undefined,
    });
    if (response.status === 401 || response.status === 404) {
      onRevoked();
      throw new Revoked();
    }
    return response;
  };
}

export function newNonce(crypto = globalThis.crypto) {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function errorMessages(data) {
  const error = (data && data.error) || {};
  const messages = Object.values(error.fields || {}).flat();
  return messages.length ? messages : [error.message].filter(Boolean);
}
