// Poll the import job's status every 2 s and move the progress bar; stops when done.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || !window.fetch) return;
  var bar = box.querySelector("progress");
  function set(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el && name !== "status") el.textContent = value;
  }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.value = data.percent;
        ["percent", "processed_rows", "total_rows", "inserted", "updated", "unchanged", "rejected"]
          .forEach(function (k) { set(k, data[k]); });
        if (data.status === "queued" || data.status === "running") {
          setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  if (box.dataset.status === "queued" || box.dataset.status === "running") poll();
})();
