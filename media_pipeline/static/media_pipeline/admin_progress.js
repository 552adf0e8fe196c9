/* Wagtail admin: poll the progress of running videos and update their bars. */
(function () {
  "use strict";
  function tick() {
    var cells = document.querySelectorAll('[data-media-progress][data-running="1"]');
    if (!cells.length) return;
    var ids = Array.prototype.map.call(cells, function (c) { return c.dataset.mediaProgress; });
    fetch(cells[0].dataset.url + "?ids=" + ids.join(","), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { assets: [] }; })
      .then(function (data) {
        var finished = false;
        data.assets.forEach(function (a) {
          var cell = document.querySelector('[data-media-progress="' + a.id + '"]');
          if (!cell) return;
          var bar = cell.querySelector("[data-media-bar]");
          var pct = cell.querySelector("[data-media-percent]");
          cell.querySelector("[data-media-status]").textContent = a.status_label;
          if (bar) bar.value = a.percent;
          if (pct) pct.textContent = Math.round(a.percent) + "%" + (a.speed ? " · " + a.speed + "×" : "");
          if (["ready", "failed", "cancelled"].indexOf(a.status) >= 0) {
            cell.dataset.running = "0";
            finished = true;
          }
        });
        if (finished) window.location.reload();  // show the retry button / final state
      })
      .catch(function () {});
  }
  setInterval(tick, 2000);
})();
