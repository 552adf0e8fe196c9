/* Maharat offline module (vanilla JS, no build step). Documented in lms/pwa/README.md.
   - registers the service worker (<script data-sw-url>) and shows the offline banner;
   - "save for offline": [data-offline-manifest] widgets store a lesson's or module's
     URLs in Cache Storage and remember them in localStorage;
   - outbox: progress events queued in IndexedDB, POSTed in batches to the URL given by
     [data-progress-sync-url] when the connection is back.
   Public API: window.maharatOffline. */
(function () {
  "use strict";
  var OFFLINE_CACHE = "maharat-offline-lessons";
  var SAVED_KEY = "maharat.offline.saved.v1";
  var DB_NAME = "maharat-offline";
  var OUTBOX = "outbox";
  var BATCH_SIZE = 50;
  var script = document.currentScript;
  var lang = document.documentElement.lang || "ar";
  var supported = "caches" in window && "serviceWorker" in navigator;
  var currentUser = (script && script.dataset.user) || "";

  /* ---- small helpers ------------------------------------------------------------ */
  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent("maharat:" + name, { detail: detail }));
  }
  function fill(template, size) {
    return (template || "").replace("{size}", size);
  }
  function formatSize(bytes) {
    var mb = bytes >= 1e6;
    try {
      return new Intl.NumberFormat(lang, {
        style: "unit", unit: mb ? "megabyte" : "kilobyte", unitDisplay: "short",
        maximumFractionDigits: 1,
      }).format(mb ? bytes / 1e6 : Math.max(bytes / 1e3, 0.1));
    } catch (error) {
      return (mb ? (bytes / 1e6).toFixed(1) + " MB" : Math.ceil(bytes / 1e3) + " KB");
    }
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  /* ---- saved lessons (Cache Storage + localStorage list) -------------------------- */
  function savedItems() {
    try { return JSON.parse(localStorage.getItem(SAVED_KEY)) || {}; } catch (error) { return {}; }
  }
  function storeItems(items) {
    localStorage.setItem(SAVED_KEY, JSON.stringify(items));
    emit("offline-saved-changed", { items: items });
  }
  function mine(item) {
    /* A trainee sees the lessons they saved (a shared phone); the offline fallback page
       is anonymous and lists what is on the phone. Older items carry no user. */
    return !currentUser || !item.user || item.user === currentUser;
  }
  function list() {
    var items = savedItems();
    return Object.keys(items).map(function (key) { return items[key]; }).filter(mine)
      .sort(function (a, b) { return a.saved_at < b.saved_at ? 1 : -1; });
  }
  function absolute(url) { return new URL(url, location.href).href; }

  /* An API refusal ({code, message, fields}, lms/kernel/api/errors.py) as an Error
     whose .code and .serverMessage say why; anything else keeps the status. */
  async function refusal(response) {
    var body = null;
    try { body = await response.json(); } catch (error) { body = null; }
    var error = new Error("manifest " + response.status);
    error.status = response.status;
    error.code = (body && body.code) || "";
    error.serverMessage = (body && typeof body.message === "string") ? body.message : "";
    return error;
  }

  async function fetchManifest(manifestUrl) {
    var response = await fetch(manifestUrl, { credentials: "same-origin", headers: { Accept: "application/json", "Accept-Language": document.documentElement.lang || "ar" } });
    if (!response.ok) throw await refusal(response);
    var data = await response.json();
    if (!data || !data.key || !Array.isArray(data.urls) || typeof data.size_bytes !== "number") {
      throw new Error("manifest shape");
    }
    return data;
  }

  async function hasRoom(bytes) {
    if (!navigator.storage || !navigator.storage.estimate) return true;
    var estimate = await navigator.storage.estimate();
    return !estimate.quota || estimate.quota - (estimate.usage || 0) > bytes;
  }

  async function dropUnreferenced(urls, items) {
    var kept = {};
    Object.keys(items).forEach(function (key) {
      items[key].urls.forEach(function (url) { kept[url] = true; });
    });
    var cache = await caches.open(OFFLINE_CACHE);
    await Promise.all(urls.filter(function (url) { return !kept[url]; })
      .map(function (url) { return cache.delete(url); }));
  }

  async function save(manifest, onProgress) {
    if (!(await hasRoom(manifest.size_bytes))) throw new Error("quota");
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    var urls = manifest.urls.map(absolute);
    if (manifest.page_url && urls.indexOf(absolute(manifest.page_url)) < 0) urls.unshift(absolute(manifest.page_url));
    var cache = await caches.open(OFFLINE_CACHE);
    var done = [];
    try {
      for (var i = 0; i < urls.length; i++) {
        /* X-Offline-Save: stored for later, so the server does not count a visit */
        var response = await fetch(urls[i], {
          credentials: "same-origin", cache: "no-cache", headers: { "X-Offline-Save": "1" },
        });
        if (!response.ok) throw new Error("fetch " + response.status + " " + urls[i]);
        await cache.put(urls[i], response);
        done.push(urls[i]);
        if (onProgress) onProgress(i + 1, urls.length);
      }
    } catch (error) {
      await dropUnreferenced(done, savedItems());
      throw error;
    }
    var items = savedItems();
    items[manifest.key] = {
      key: manifest.key, title: manifest.title || manifest.key,
      page_url: manifest.page_url ? absolute(manifest.page_url) : urls[0],
      urls: urls, size_bytes: manifest.size_bytes, saved_at: new Date().toISOString(),
      user: currentUser,
    };
    storeItems(items);
    return items[manifest.key];
  }

  async function remove(key) {
    var items = savedItems();
    var item = items[key];
    if (!item) return false;
    delete items[key];
    await dropUnreferenced(item.urls, items);
    storeItems(items);
    return true;
  }

  async function forget(user) {
    /* Signing out removes what this trainee saved: the pages carry their name and
       progress, and the next person on the phone should not find them. */
    var items = savedItems();
    var urls = [];
    Object.keys(items).forEach(function (key) {
      if (user && items[key].user === user) {
        urls = urls.concat(items[key].urls);
        delete items[key];
      }
    });
    if (!urls.length) return 0;
    if (supported) await dropUnreferenced(urls, items);
    storeItems(items);
    return urls.length;
  }

  function initSignOut(form) {
    /* Before the session ends: send the queued progress while it still can, and
       forget this trainee's saved lessons; never hold the sign-out up for long. */
    form.addEventListener("submit", function (event) {
      if (form.dataset.offlineDone) return;
      event.preventDefault();
      form.dataset.offlineDone = "1";
      var work = Promise.all([
        navigator.onLine && "indexedDB" in window ? flush().catch(function () {}) : null,
        forget(currentUser).catch(function () {}),
      ]);
      var limit = new Promise(function (resolve) { setTimeout(resolve, 3000); });
      Promise.race([work, limit]).then(function () { form.submit(); });
    });
  }

  async function isSaved(url) {
    if (!supported) return false;
    var cache = await caches.open(OFFLINE_CACHE);
    return Boolean(await cache.match(absolute(url)));
  }

  /* ---- the save widget ---------------------------------------------------------- */
  function initWidget(root) {
    if (root.dataset.offlineReady) return;
    root.dataset.offlineReady = "1";
    var key = root.dataset.offlineKey;
    var saveBtn = root.querySelector("[data-offline-save]");
    var confirmBtn = root.querySelector("[data-offline-confirm]");
    var removeBtn = root.querySelector("[data-offline-remove]");
    var status = root.querySelector("[data-offline-status]");
    var msg = root.dataset;
    var pending = null;
    function show(state, text) {
      saveBtn.hidden = state !== "idle";
      confirmBtn.hidden = state !== "confirm";
      removeBtn.hidden = state !== "saved";
      if (text !== undefined) status.textContent = text;
      root.dataset.offlineState = state;
    }
    function refresh() {
      var item = key && savedItems()[key];
      if (item) show("saved", fill(msg.msgSaved, formatSize(item.size_bytes)));
      else if (root.dataset.offlineState !== "confirm" && root.dataset.offlineState !== "saving") show("idle", "");
    }
    saveBtn.addEventListener("click", async function () {
      saveBtn.disabled = true;
      try {
        pending = await fetchManifest(root.dataset.offlineManifest);
        if (!key) key = pending.key;
        show("confirm", fill(msg.msgSize, formatSize(pending.size_bytes)));
        confirmBtn.focus();
      } catch (error) {
        show("idle", error.serverMessage || msg.msgFailed);
      } finally {
        saveBtn.disabled = false;
      }
    });
    confirmBtn.addEventListener("click", async function () {
      show("saving", msg.msgSaving);
      try {
        pending.key = key;
        await save(pending, function (done, total) {
          status.textContent = msg.msgSaving + " " + done + "/" + total;
        });
        show("saved", fill(msg.msgSaved, formatSize(pending.size_bytes)));
        removeBtn.focus();
      } catch (error) {
        show("idle", error.message === "quota" ? msg.msgNoRoom : msg.msgFailed);
      }
    });
    removeBtn.addEventListener("click", async function () {
      await remove(key);
      show("idle", msg.msgRemoved);
      saveBtn.focus();
    });
    document.addEventListener("maharat:offline-saved-changed", refresh);
    root.hidden = false;
    refresh();
  }

  /* ---- the list of saved lessons (offline page, dashboard) ---------------------- */
  function renderList(ul) {
    var empty = ul.parentNode.querySelector("[data-offline-saved-empty]");
    var items = list();
    ul.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.page_url;
      a.textContent = item.title;
      var size = document.createElement("span");
      size.className = "muted";
      size.textContent = " (" + formatSize(item.size_bytes) + ") ";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.textContent = ul.dataset.msgRemove || "×";
      button.setAttribute("aria-label", (ul.dataset.msgRemove || "") + ": " + item.title);
      button.addEventListener("click", function () { remove(item.key); });
      li.append(a, size, button);
      ul.appendChild(li);
    });
    ul.hidden = items.length === 0;
    if (empty) empty.hidden = items.length !== 0;
  }

  /* ---- outbox (IndexedDB) ------------------------------------------------------- */
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () { request.result.createObjectStore(OUTBOX, { keyPath: "id" }); };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }
  function tx(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var t = database.transaction(OUTBOX, mode);
        var result = work(t.objectStore(OUTBOX));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function defaultSyncUrl() {
    var el = document.querySelector("[data-progress-sync-url]");
    return el ? el.dataset.progressSyncUrl : null;
  }
  var queued = 0;
  async function queueProgress(fields, syncUrl) {
    var url = syncUrl || defaultSyncUrl();
    if (!url) throw new Error("no data-progress-sync-url on this page");
    /* id: the client event id (idempotency); at: client time; user_id: who was signed in */
    var event = Object.assign({}, fields, {
      id: uuid(), at: new Date().toISOString(), user_id: Number(currentUser) || null,
    });
    var seq = Date.now() * 1000 + (queued++ % 1000);
    var record = { id: event.id, seq: seq, user: currentUser, syncUrl: absolute(url), event: event };
    await tx("readwrite", function (store) { store.put(record); });
    emit("outbox-queued", { event: event });
    if (navigator.onLine) flush().catch(function () {});
    return event.id;
  }
  function pending() {
    return tx("readonly", function (store) { return store.getAll(); });
  }
  var flushing = null;
  var again = false;
  function flush() {
    if (flushing) { again = true; return flushing; }
    flushing = sendAll().finally(function () {
      flushing = null;
      if (again) { again = false; return flush(); }  /* queued while sending */
    });
    return flushing;
  }
  async function sendAll() {
    /* only the signed-in trainee's own events: a shared phone never mixes them up */
    if (!currentUser) return 0;
    var records = (await pending())
      .filter(function (r) { return r.user === currentUser; })
      .sort(function (a, b) { return a.seq - b.seq; });
    var sent = 0;
    var byUrl = {};
    records.forEach(function (r) { (byUrl[r.syncUrl] = byUrl[r.syncUrl] || []).push(r.event); });
    for (var url in byUrl) {
      var events = byUrl[url];
      for (var i = 0; i < events.length; i += BATCH_SIZE) {
        var batch = events.slice(i, i + BATCH_SIZE);
        var done = await sendBatch(url, batch);
        if (done === null) { emit("outbox-synced", { sent: sent, remaining: records.length - sent }); return sent; }
        await tx("readwrite", function (store) { done.forEach(function (id) { store.delete(id); }); });
        sent += done.length;
      }
    }
    var left = records.length - sent;
    emit("outbox-synced", { sent: sent, remaining: left });
    return sent;
  }
  async function sendBatch(url, batch) {
    var response;
    try {
      response = await fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": document.documentElement.lang || "ar", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ events: batch }),
      });
    } catch (error) {
      return null;
    }
    if (!response.ok) return null;
    var body = null;
    try { body = await response.json(); } catch (error) { body = null; }
    /* {results: [{id, accepted, detail, replayed}]}: every event answered (applied,
       refused for good, or seen before) leaves the outbox. Anything else (a captive
       portal's 200 page, say) keeps the whole batch for the next try. */
    if (!body || !Array.isArray(body.results)) return null;
    var answered = body.results.map(function (r) { return r && r.id; });
    return batch.map(function (e) { return e.id; })
      .filter(function (id) { return answered.indexOf(id) >= 0; });
  }

  /* ---- banner and service worker ---------------------------------------------- */
  function updateBanner() {
    var banner = document.getElementById("offline-status");
    if (banner) banner.hidden = navigator.onLine;
    document.documentElement.classList.toggle("is-offline", !navigator.onLine);
  }

  function start() {
    updateBanner();
    document.querySelectorAll("form[data-offline-signout]").forEach(initSignOut);
    window.addEventListener("online", function () { updateBanner(); flush().catch(function () {}); });
    window.addEventListener("offline", updateBanner);
    if (!supported) return;
    var swUrl = script && script.dataset.swUrl;
    if (swUrl) navigator.serviceWorker.register(swUrl, { scope: "/" }).catch(function () {});
    document.querySelectorAll("[data-offline-manifest]").forEach(initWidget);
    document.querySelectorAll("[data-offline-saved-section]").forEach(function (section) {
      section.hidden = false;
    });
    document.querySelectorAll("[data-offline-saved-list]").forEach(function (ul) {
      renderList(ul);
      document.addEventListener("maharat:offline-saved-changed", function () { renderList(ul); });
    });
    if ("indexedDB" in window && navigator.onLine) flush().catch(function () {});
    setInterval(function () { if (navigator.onLine) flush().catch(function () {}); }, 60000);
  }

  window.maharatOffline = {
    fetchManifest: fetchManifest, save: save, remove: remove, list: list, isSaved: isSaved,
    forget: forget,
    initWidget: initWidget, formatSize: formatSize,
    queueProgress: queueProgress, pending: pending, flush: flush,
  };
  start();
})();
