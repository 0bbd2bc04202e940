// The progress of an import's commit (templates/imports/preview.html).
//
// The form is submitted as usual: the browser waits for the server, which writes the whole
// import and then answers with the report (without JavaScript the page works the same, only
// without the bar). Meanwhile this script asks the progress address (JSON: done, total) every
// 700 ms and moves the bar; another worker of the server answers, the commit's progress being
// kept in the database. Text goes through textContent only.
(function () {
  "use strict";

  var PERIOD_MS = 700;

  function attach(form) {
    var url = form.getAttribute("data-progress");
    var box = form.querySelector(".import-progress");
    if (!url || !box) return;
    var bar = box.querySelector("progress");
    var text = box.querySelector(".hint");
    var started = false;

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (state && state.total) {
            bar.max = state.total;
            bar.value = state.done;
            text.textContent = "Enregistrement en cours : lot " + state.done + " sur " + state.total + "…";
          }
        })
        .catch(function () { /* the next poll tries again */ })
        .then(function () { window.setTimeout(poll, PERIOD_MS); });
    }

    form.addEventListener("submit", function () {
      if (started) return;
      started = true;
      box.hidden = false;
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        window.setTimeout(function () { b.disabled = true; }, 0);  // after the submission left
      });
      window.setTimeout(poll, PERIOD_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-progress]").forEach(attach);
  });
})();
