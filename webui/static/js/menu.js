// Folds the main navigation behind the "Menu" button on narrow screens (see tansiq.css).
// Without this script the button stays hidden and the navigation simply wraps.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var header = document.querySelector(".topbar");
    var button = header && header.querySelector(".menu-toggle");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;

    function show(open) {
      header.classList.toggle("menu-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }

    header.classList.add("js-menu");
    show(false);
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        show(false);
        button.focus();
      }
    });
  });
})();
