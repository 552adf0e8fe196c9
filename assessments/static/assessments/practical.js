/* Practical scoring sheet: each level chosen (and each note) is saved as a draft at
   once, so a dropped tablet loses nothing; the buttons still work without it. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var state = form.querySelector(".save-state");

  function save() {
    var body = new FormData(form);
    body.append("save", "1");
    fetch(location.href, {
      method: "POST", credentials: "same-origin", body: body,
      headers: {"X-Autosave": "1"}
    }).then(function (r) {
      return r.json().then(function (answer) {
        if (state) { state.textContent = answer.message || ""; }
      });
    }).catch(function () { /* offline: the save button remains */ });
  }

  form.addEventListener("change", save);
})();
