/* Maharat service worker: app shell precached under a versioned cache, navigations
   network-first with the offline page as fallback, static files cache-first, saved
   lessons (lms/offline.js) served from their own cache. Served by lms.pwa.views. */
"use strict";
const CONFIG = {{ config|safe }};
const SHELL_CACHE = CONFIG.shellCachePrefix + CONFIG.version;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) =>
      Promise.all(
        CONFIG.precache.map((url) =>
          fetch(new Request(url, { credentials: "omit", cache: "reload" })).then((response) => {
            if (!response.ok) throw new Error("precache failed: " + url);
            return cache.put(url, response);
          })
        )
      )
    ).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(
        names
          .filter((name) => name.startsWith(CONFIG.shellCachePrefix) && name !== SHELL_CACHE)
          .map((name) => caches.delete(name))
      )
    ).then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "version") {
    event.source.postMessage({ type: "version", version: CONFIG.version });
  }
});

function offlineUrlFor(url) {
  const path = new URL(url).pathname;
  for (const [code, offlineUrl] of Object.entries(CONFIG.offlineUrls)) {
    if (code !== CONFIG.defaultLanguage && path.startsWith("/" + code + "/")) return offlineUrl;
  }
  return CONFIG.offlineUrls[CONFIG.defaultLanguage];
}

async function fromSavedLessons(request) {
  const cache = await caches.open(CONFIG.offlineCache);
  return cache.match(request, { ignoreVary: true });
}

/* A saved page opened online is stored again as the server just sent it (fresh
   progress marks), but only when it is the same trainee's page: the data-user of
   lms/offline.js's script tag says whose it is. */
const OWNER = /data-user="(\d+)"/;

async function refreshSaved(url, fresh) {
  if (!fresh.ok || fresh.redirected || fresh.type !== "basic") return;
  const cache = await caches.open(CONFIG.offlineCache);
  const saved = await cache.match(url, { ignoreVary: true });
  if (!saved) return;
  const [was, now] = await Promise.all([saved.text(), fresh.clone().text()]);
  const owner = OWNER.exec(was);
  const viewer = OWNER.exec(now);
  if (owner && viewer && owner[1] === viewer[1]) await cache.put(url, fresh);
}

async function navigate(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    event.waitUntil(refreshSaved(request.url, response.clone()).catch(() => {}));
    return response;
  } catch (error) {
    const saved = await fromSavedLessons(request);
    if (saved) return saved;
    const shell = await caches.open(SHELL_CACHE);
    const page = await shell.match(offlineUrlFor(request.url));
    if (page) return page;
    return new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}

async function staticFile(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

/* Media elements ask for byte ranges; answer them from a saved full response. */
async function withRange(request, response) {
  const header = request.headers.get("range");
  const match = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || response.status !== 200) return response;
  const blob = await response.blob();
  const start = match[1] === "" ? Math.max(blob.size - Number(match[2]), 0) : Number(match[1]);
  const end = match[1] !== "" && match[2] !== "" ? Math.min(Number(match[2]), blob.size - 1) : blob.size - 1;
  if (start >= blob.size || start > end) {
    return new Response(null, { status: 416, headers: { "Content-Range": "bytes */" + blob.size } });
  }
  const headers = new Headers(response.headers);
  headers.set("Content-Range", "bytes " + start + "-" + end + "/" + blob.size);
  headers.set("Content-Length", String(end - start + 1));
  return new Response(blob.slice(start, end + 1), { status: 206, statusText: "Partial Content", headers });
}

async function savedOrNetwork(request) {
  const saved = await fromSavedLessons(new Request(request.url));
  if (saved) return withRange(request, saved);
  return fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (CONFIG.networkOnlyPrefixes.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (url.pathname.startsWith(CONFIG.staticUrl)) {
    event.respondWith(staticFile(request));
  } else {
    event.respondWith(savedOrNetwork(request));
  }
});
