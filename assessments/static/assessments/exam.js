/* Exam page: save each answer as it is given (idempotent by seq), keep unsent
   answers in localStorage until the server has them, count down the server's clock. */
(function () {
  "use strict";
  var form = document.querySelector("form.question");
  var state = document.querySelector(".save-state");
  var KEY = "maharat-exam-pending";
  var lastSeq = 0;

  function nextSeq() { lastSeq = Math.max(Date.now(), lastSeq + 1); return lastSeq; }
  function csrf() { var el = document.querySelector("[name=csrfmiddlewaretoken]"); return el ? el.value : ""; }
  function pending() { try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; } }
  function keep(p) { try { localStorage.setItem(KEY, JSON.stringify(p)); } catch (e) { /* private mode */ } }
  function say(text) { if (state) state.textContent = text; }

  // Refusals answer {code, message, fields}: a closed attempt (submitted, or past
  // its deadline) goes to the result; any other refusal is shown, and not retried.
  var CLOSED = {attempt_submitted: true, answers_closed: true};

  function refused(r) {
    return r.json().catch(function () { return {}; }).then(function (error) {
      if (CLOSED[error.code]) {
        var clock = document.querySelector(".timer");
        if (clock && clock.dataset.resultUrl) { location.href = clock.dataset.resultUrl; }
        else { location.reload(); }
      }
      say(error.message || "!");
      return false;
    });
  }

  function send(url, body) {
    return fetch(url, {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept-Language": document.documentElement.lang || "ar", "X-CSRFToken": csrf()},
      body: JSON.stringify(body)
    }).then(function (r) {
      if (r.ok || r.status === 400 || r.status === 409 || r.status === 404) {
        var p = pending();
        if (p[url] && p[url].seq <= body.seq) { delete p[url]; keep(p); }
        return r.ok ? true : refused(r);
      }
      throw new Error("retry");
    });
  }

  function flush() {
    var p = pending();
    Object.keys(p).forEach(function (url) { send(url, p[url]).catch(function () {}); });
  }

  function collect() {
    var kind = form.dataset.kind, data = new FormData(form);
    if (kind === "multiple_response") return data.getAll("response");
    if (kind === "matching") {
      var m = {};
      form.querySelectorAll("select[name^='m-']").forEach(function (s) { m[s.name.slice(2)] = s.value; });
      return m;
    }
    if (kind === "ordering") {
      var items = [], ok = true;
      form.querySelectorAll("input[name^='o-']").forEach(function (i) {
        var n = parseInt(i.value.replace(/[٠-٩]/g, function (d) { return "٠١٢٣٤٥٦٧٨٩".indexOf(d); }), 10);
        if (isNaN(n)) ok = false;
        items.push([n, i.name.slice(2)]);
      });
      if (!ok) return null;
      items.sort(function (a, b) { return a[0] - b[0]; });
      return items.map(function (x) { return x[1]; });
    }
    return data.get("response");
  }

  function save() {
    var response = collect();
    if (response === null) return;
    var url = form.dataset.saveUrl, body = {response: response, seq: nextSeq()};
    var p = pending(); p[url] = body; keep(p);
    say(form.dataset.saving || "…");
    send(url, body).then(function (ok) { if (ok) say("✓"); })
      .catch(function () { say("⟳"); });
  }

  if (form) {
    var timer;
    form.addEventListener("change", save);
    form.addEventListener("input", function (e) {
      if (e.target.tagName === "TEXTAREA" || e.target.type === "text" || !e.target.type) {
        clearTimeout(timer); timer = setTimeout(save, 800);
      }
    });
    form.addEventListener("submit", function () { form.elements.seq.value = nextSeq(); });
    window.addEventListener("online", flush);
    setInterval(flush, 5000);
    flush();
  }

  var clock = document.querySelector(".timer");
  if (clock) {
    var end = Date.now() + parseInt(clock.dataset.remaining, 10) * 1000;
    var out = clock.querySelector(".clock");
    (function tick() {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      out.textContent = Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
      if (s === 0) { setTimeout(function () { location.href = clock.dataset.resultUrl; }, 3000); return; }
      setTimeout(tick, 1000);
    })();
  }
})();
