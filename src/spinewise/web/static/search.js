// Search as you type: a form marked data-live-search="#target" fetches its own GET
// URL with the "HX-Request: true" header (the htmx convention; the server answers with
// the results part alone) and swaps the target. Without script the form still works.
(function () {
  "use strict";
  document.querySelectorAll("form[data-live-search]").forEach(function (form) {
    var target = form.getAttribute("data-live-search");
    var timer = null;
    var latest = 0;
    function run() {
      var query = new URLSearchParams(new FormData(form)).toString();
      var url = form.getAttribute("action") + "?" + query;
      var mine = ++latest;
      fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null || mine !== latest) { return; }
          var old = document.querySelector(target);
          if (old) { old.outerHTML = html; }
          window.history.replaceState(null, "", url);
        });
    }
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, 300);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  });
})();
