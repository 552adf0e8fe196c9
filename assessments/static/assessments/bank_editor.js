/* The question editor's live preview: after each pause in typing, the form is sent
   to the preview endpoint, which renders the trainee's own question partial (it
   saves nothing); the answer replaces the preview. No library. */
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var target = document.getElementById("preview");
  if (!form || !target || !window.fetch || !window.FormData) return;
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var sent = 0;

  function refresh() {
    var body = new FormData(form);
    body.delete("action");
    var mine = ++sent;
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && mine === sent) target.innerHTML = html;
    }).catch(function () { /* offline: the last preview stays */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  var button = form.querySelector('button[value="preview"]');
  if (button) button.hidden = true;
})();
