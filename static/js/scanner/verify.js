// The offline check of a ticket's QR payload "EH1.<ticket code>.<signature>": an Ed25519 signature of
// "EH1.<ticket code>" (eventhub/registration/tickets.py), verified with the public key in the offline data.
import { verifyAsync } from "../../vendor/noble-ed25519/index.js";

export const PAYLOAD_PREFIX = "EH1";
// 64 signature bytes in unpadded base64url: the last character's 4 unused bits are zero, one spelling per ticket.
const CANONICAL_SIGNATURE = /^[A-Za-z0-9_-]{85}[AQgw]$/;

export function b64urlBytes(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

// The ticket code of a genuine payload, null for what is no ticket payload at all, false for a forged one.
export async function ticketCodeIn(payload, publicKey) {
  const parts = payload.split(".");
  if (parts.length !== 3 || parts[0] !== PAYLOAD_PREFIX || !parts[1]) {
    return null;
  }
  if (!CANONICAL_SIGNATURE.test(parts[2])) {
    return false;
  }
  try {
    const message = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    return (await verifyAsync(b64urlBytes(parts[2]), message, b64urlBytes(publicKey))) ? parts[1] : false;
  } catch {
    return false;
  }
}

// The ticket code a scanned text names, signed payload or typed code.
export function codeOf(code) {
  const parts = (code || "").split(".");
  return parts.length === 3 ? parts[1] : code;
}
