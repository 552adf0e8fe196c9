// Copy the verification link: progressive enhancement over a read-only input.
(function () {
  "use strict";
  var script = document.currentScript;
  var copied = (script && script.dataset.copied) || "Copied";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var input = document.getElementById(button.dataset.copy);
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = copied;
      });
    });
  });
})();
