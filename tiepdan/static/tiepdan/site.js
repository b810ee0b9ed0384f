// Behaviour every page shares, kept out of the markup (the Content-Security-Policy allows no
// inline script or event handler).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
