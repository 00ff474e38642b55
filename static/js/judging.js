// A judge's scores on a phone: every save carries an idempotency key and is kept in localStorage until the
// server has it, so a bad network loses nothing (the save is retried, and a retry counts once on the server).
const form = document.getElementById("score-form");
const status = document.getElementById("save-status");
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const storageKey = `eventhub-score-${form.dataset.assignment}`;
let retryTimer = null;

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function ranges() {
  return [...form.querySelectorAll("input[type=range]")];
}

function current() {
  const scores = {};
  for (const input of ranges()) {
    // Moved since the page came (even before this script ran), or scored in an earlier save.
    if (input.dataset.set === "true" || input.value !== input.defaultValue) scores[input.name] = Number(input.value);
  }
  return { scores, comment: form.comment.value };
}

function say(kind, extra = "") {
  status.textContent = `${status.dataset[kind]} ${extra}`.trim();
  status.className = `save-status ${kind}`;
}

function pending() {
  try { return JSON.parse(localStorage.getItem(storageKey)); } catch { return null; }
}

async function send(attempt = 0) {
  const save = pending();
  if (!save) return;
  say("saving");
  let response;
  try {
    response = await fetch(form.dataset.url, {
      method: "PUT", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify(save),
    });
  } catch {
    return retry(attempt);
  }
  if (response.status >= 500 || response.status === 429) return retry(attempt);
  const body = await response.json().catch(() => ({}));
  const stillPending = pending();
  if (stillPending && stillPending.idempotency_key === save.idempotency_key) localStorage.removeItem(storageKey);
  if (response.ok) {
    say("saved");
  } else {
    const error = body.error || {};
    const details = Object.values(error.fields || {}).flat().join(" ");
    say("failed", details || error.message || response.status);
  }
}

function retry(attempt) {
  say("offline");
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => send(attempt + 1), Math.min(30000, 1000 * 2 ** attempt));
}

for (const input of ranges()) {
  input.addEventListener("input", () => {
    input.dataset.set = "true";
    document.getElementById(`out-${input.name}`).textContent = input.value;
  });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const values = current();
  const earlier = pending();
  const same = earlier && JSON.stringify({ scores: earlier.scores, comment: earlier.comment }) === JSON.stringify(values);
  // An unchanged unsent save keeps its key: sending it again is the same save.
  localStorage.setItem(storageKey, JSON.stringify({ idempotency_key: same ? earlier.idempotency_key : newKey(), ...values }));
  send();
});

window.addEventListener("online", () => send());

const unsent = pending();
if (unsent && form.dataset.open === "true") {
  for (const input of ranges()) {
    if (input.name in unsent.scores) {
      input.value = unsent.scores[input.name];
      input.dataset.set = "true";
      document.getElementById(`out-${input.name}`).textContent = input.value;
    }
  }
  form.comment.value = unsent.comment;
  send();
}
