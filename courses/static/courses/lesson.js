/* Lesson page: video heartbeats, server-scored knowledge checks, resume. No deps. */
(function () {
  "use strict";
  var root = document.getElementById("lesson");
  if (!root || !root.dataset.heartbeat) return;
  var QUEUE = "maharat-progress-queue";
  var lessonId = +root.dataset.lesson;

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body)
    });
  }
  function uid() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }
  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE)) || []; } catch (e) { return []; }
  }
  function save(q) {
    try { localStorage.setItem(QUEUE, JSON.stringify(q.slice(-500))); } catch (e) { /* full */ }
  }
  function flush() {
    var q = queue();
    if (!q.length || !navigator.onLine) return;
    post("/api/v1/progress/events/", { events: q }).then(function (r) {
      if (r.ok) save(queue().slice(q.length));
    }).catch(function () {});
  }

  /* The player dispatches maharat:video-progress {assetId, positionS, watchedS, durationS}. */
  document.addEventListener("maharat:video-progress", function (ev) {
    var d = ev.detail || {};
    var beat = {
      asset_id: d.assetId, watched_s: Math.floor(d.watchedS || 0),
      position_s: Math.floor(d.positionS || 0), duration_s: Math.round(d.durationS || 0),
      event_id: uid()
    };
    post(root.dataset.heartbeat, beat).catch(function () {
      var q = queue();
      q.push({ id: beat.event_id, kind: "heartbeat", lesson_id: lessonId,
        at: new Date().toISOString(), asset_id: beat.asset_id, watched_s: beat.watched_s,
        position_s: beat.position_s, duration_s: beat.duration_s });
      save(q);
    });
  });
  window.addEventListener("online", flush);
  flush();

  /* Resume each video where the trainee stopped. */
  var positions = JSON.parse((document.getElementById("video-positions") || {}).textContent || "{}");
  Array.prototype.forEach.call(root.querySelectorAll("[data-asset-id]"), function (fig) {
    var at = positions[fig.dataset.assetId], video = fig.querySelector("video");
    if (!at || !video) return;
    video.addEventListener("loadedmetadata", function () {
      if (video.currentTime < 1 && at < video.duration - 5) video.currentTime = at;
    }, { once: true });
  });

  /* Knowledge checks: answers are scored on the server; show the feedback inline. */
  Array.prototype.forEach.call(root.querySelectorAll("form.kc"), function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var answers = {};
      Array.prototype.forEach.call(form.querySelectorAll("fieldset"), function (fs) {
        answers[fs.dataset.q] = Array.prototype.map.call(
          fs.querySelectorAll("input:checked"), function (i) { return +i.value; });
      });
      post(root.dataset.check + form.dataset.check + "/", { answers: answers })
        .then(function (r) { return r.json().then(function (j) { return [r.ok, j]; }); })
        .then(function (res) {
          var ok = res[0], data = res[1], score = form.querySelector(".score");
          if (!ok) { score.textContent = data.detail || ""; return; }
          data.results.forEach(function (q) {
            var fb = form.querySelector('fieldset[data-q="' + q.index + '"] .fb');
            fb.textContent = (q.correct ? "✔ " + form.dataset.ok : "✘ " + form.dataset.no) +
              (q.explanation ? " " + q.explanation : "");
            fb.className = "fb " + (q.correct ? "ok" : "no");
          });
          score.textContent = form.dataset.score.replace("{score}", data.score_pct) +
            (data.passed ? " — " + form.dataset.passed : "");
        })
        .catch(function () { form.submit(); });
    });
  });
})();
