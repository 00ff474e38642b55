// Keeps the scanner page and its scripts available offline. API calls are never cached: they pass through.
const CACHE = "eventhub-scanner-v3";
const SHELL = [
  "/scanner",
  "/static/css/scanner.css",
  "/static/js/scanner/main.js",
  "/static/js/scanner/api.js",
  "/static/js/scanner/camera.js",
  "/static/js/scanner/i18n.js",
  "/static/js/scanner/people.js",
  "/static/js/scanner/queue.js",
  "/static/js/scanner/scan.js",
  "/static/js/scanner/state.js",
  "/static/js/scanner/storage.js",
  "/static/js/scanner/sync.js",
  "/static/js/scanner/ui.js",
  "/static/js/scanner/verify.js",
  "/static/js/scanner/walkins.js",
  "/static/js/scanner/walkin_page.js",
  "/static/vendor/jsqr/jsQR.js",
  "/static/vendor/noble-ed25519/index.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key.startsWith("eventhub-scanner-") && key !== CACHE)
      .map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !SHELL.includes(url.pathname)) {
    return;
  }
  // Network first, so a new release arrives at once; the cached copy when the network is gone.
  event.respondWith(fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
    }
    return response;
  }).catch(() => caches.match(url.pathname).then((cached) => cached || Response.error())));
});
