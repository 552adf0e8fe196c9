/* Lesson page: progress through the offline outbox, server-scored knowledge checks,
   resume. Every progress event (lesson opened offline, video watched, an answer made
   offline) goes through maharatOffline.queueProgress (lms/static/lms/offline.js), which
   keeps it in IndexedDB and sends it to courses' batch endpoint (courses/README.md) at
   once when online, later when not. No deps. */
(function () {
  "use strict";
  var root = document.getElementById("lesson");
  if (!root || !root.dataset.progressSyncUrl) return;
  var lessonId = +root.dataset.lesson;
  var outbox = window.maharatOffline && "indexedDB" in window ? window.maharatOffline : null;

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
  function queue(fields) {
    if (!outbox) return Promise.reject(new Error("no outbox"));
    return outbox.queueProgress(Object.assign({ lesson_id: lessonId }, fields));
  }

  /* Opened from the saved copy: the server did not see this visit. */
  if (!navigator.onLine) queue({ kind: "open" }).catch(function () {});

  /* The player dispatches maharat:video-progress {assetId, positionS, watchedS, durationS}. */
  document.addEventListener("maharat:video-progress", function (ev) {
    var d = ev.detail || {};
    queue({
      kind: "heartbeat", asset_id: d.assetId, watched_s: Math.floor(d.watchedS || 0),
      position_s: Math.floor(d.positionS || 0), duration_s: Math.round(d.durationS || 0)
    }).catch(function () {});
  });

  /* Resume each video where the trainee stopped. */
  var positions = JSON.parse((document.getElementById("video-positions") || {}).textContent || "{}");
  Array.prototype.forEach.call(root.querySelectorAll("[data-asset-id]"), function (fig) {
    var at = positions[fig.dataset.assetId], video = fig.querySelector("video");
    if (!at || !video) return;
    video.addEventListener("loadedmetadata", function () {
      if (video.currentTime < 1 && at < video.duration - 5) video.currentTime = at;
    }, { once: true });
  });

  /* Knowledge checks: answers are scored on the server; show the feedback inline.
     Without a connection the answers are queued and scored when it is back. */
  Array.prototype.forEach.call(root.querySelectorAll("form.kc"), function (form) {
    var score = form.querySelector(".score");
    function show(ok, data) {
      /* A refusal is the API's one error body {code, message, fields}. */
      if (!ok) { score.textContent = data.message || ""; score.dataset.code = data.code || ""; return; }
      data.results.forEach(function (q) {
        var fb = form.querySelector('fieldset[data-q="' + q.index + '"] .fb');
        fb.textContent = (q.correct ? "✔ " + form.dataset.ok : "✘ " + form.dataset.no) +
          (q.explanation ? " " + q.explanation : "");
        fb.className = "fb " + (q.correct ? "ok" : "no");
      });
      score.textContent = form.dataset.score.replace("{score}", data.score_pct) +
        (data.passed ? " — " + form.dataset.passed : "");
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var answers = {};
      Array.prototype.forEach.call(form.querySelectorAll("fieldset"), function (fs) {
        answers[fs.dataset.q] = Array.prototype.map.call(
          fs.querySelectorAll("input:checked"), function (i) { return +i.value; });
      });
      post(root.dataset.check + form.dataset.check + "/", { answers: answers }).then(
        function (r) {
          return r.json().then(function (j) { show(r.ok, j); }, function () { form.submit(); });
        },
        function () {
          queue({ kind: "answer", block_id: form.dataset.check, answers: answers }).then(
            function () { score.textContent = form.dataset.queued; },
            function () { form.submit(); });
        });
    });
  });
})();
