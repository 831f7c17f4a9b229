// The main navigation folds behind a "Menu" button on narrow screens. Without
// script the links stay listed (the button stays hidden).
(function () {
  "use strict";
  var button = document.querySelector(".nav-toggle");
  var list = document.getElementById("site-nav-list");
  if (!button || !list) { return; }
  document.documentElement.classList.add("js-nav");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    list.classList.toggle("open", open);
  });
})();
