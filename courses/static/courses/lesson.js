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
      headers: { "Content-Type": "application/json", "Accept-Language": document.documentElement.lang || "ar", "X-CSRFToken": csrf() },
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

  /* Knowledge checks: answers are scored on the server, which also counts the tries
     and decides whether to say which answers were right (the check's policy); the
     answers are positions in the order of the try the form shows (data-attempt).
     After a try the form shows the next try's order and the hints earned. Without a
     connection the answers are queued and scored when it is back. */
  function text(tag, value) {
    var el = document.createElement(tag);
    el.textContent = value;
    el.dir = "auto";
    return el;
  }
  Array.prototype.forEach.call(root.querySelectorAll("form.kc"), function (form) {
    var score = form.querySelector(".score");
    function fieldset(index) { return form.querySelector('fieldset[data-q="' + index + '"]'); }
    function showHints(fs, hints) {
      var list = fs.querySelector(".hints");
      if (!list) return;
      list.textContent = "";
      (hints || []).forEach(function (h) { list.appendChild(text("li", form.dataset.hint + ": " + h)); });
    }
    function showNext(next) {
      /* The next try: its own order (positions 0..n-1 keep their places). */
      if (!next) return;
      form.dataset.attempt = next.attempt;
      var hidden = form.querySelector('input[name="attempt"]');
      if (hidden) hidden.value = next.attempt;
      next.questions.forEach(function (q) {
        var fs = fieldset(q.index);
        if (!fs) return;
        var labels = fs.querySelectorAll("label");
        q.choices.forEach(function (c, i) {
          var label = labels[i];
          if (!label) return;
          var input = label.querySelector("input");
          input.value = c.position;
          input.checked = false;
          label.querySelector("span").textContent = c.text;
        });
        showHints(fs, q.hints);
      });
    }
    function show(ok, data) {
      /* A refusal is the API's one error body {code, message, fields}. */
      if (!ok) { score.textContent = data.message || ""; score.dataset.code = data.code || ""; return; }
      data.results.forEach(function (q) {
        var fs = fieldset(q.index);
        if (!fs) return;
        var fb = fs.querySelector(".fb");
        var verdict = q.correct === true ? "✔ " + form.dataset.ok + " " :
          q.correct === false ? "✘ " + form.dataset.no + " " : "";
        fb.textContent = verdict + (q.explanation || "") + " " + (q.feedback || []).join(" ");
        fb.className = "fb" + (q.correct === true ? " ok" : q.correct === false ? " no" : "");
      });
      if (data.score_pct === null || data.score_pct === undefined) {
        score.textContent = data.passed ? form.dataset.passed : form.dataset.notPassed;
      } else {
        score.textContent = form.dataset.score.replace("{score}", data.score_pct) +
          (data.passed ? " — " + form.dataset.passed : "");
      }
      showNext(data.next);
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var answers = {};
      Array.prototype.forEach.call(form.querySelectorAll("fieldset"), function (fs) {
        answers[fs.dataset.q] = Array.prototype.map.call(
          fs.querySelectorAll("input:checked"), function (i) { return +i.value; });
      });
      var body = { answers: answers };
      if (form.dataset.attempt !== undefined) body.attempt = +form.dataset.attempt;
      post(root.dataset.check + form.dataset.check + "/", body).then(
        function (r) {
          return r.json().then(function (j) { show(r.ok, j); }, function () { form.submit(); });
        },
        function () {
          queue(Object.assign({ kind: "answer", block_id: form.dataset.check }, body)).then(
            function () { score.textContent = form.dataset.queued; },
            function () { form.submit(); });
        });
    });
  });
})();
