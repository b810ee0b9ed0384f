// Behaviour every page shares, kept out of the markup (the Content-Security-Policy allows no
// inline script or event handler).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // The language selector submits itself; without JavaScript its button does.
    const language = document.getElementById("lang-select");
    if (language) {
      language.addEventListener("change", function () { language.form.submit(); });
    }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
