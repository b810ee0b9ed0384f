// Progressive enhancement of the registration form: show only the sections that apply.
// Without JavaScript every section stays visible and the server validates everything.
(function () {
  "use strict";
  function currentValue(form, name) {
    const inputs = form.querySelectorAll('[name="' + name + '"]');
    for (const input of inputs) {
      if (input.type === "checkbox") return input.checked ? "on" : "";
      if (input.type === "radio") { if (input.checked) return input.value; continue; }
      return input.value;
    }
    return "";
  }
  function refresh(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (block) {
      const rule = block.getAttribute("data-show-when");
      const parts = rule.split("=");
      const value = currentValue(form, parts[0]);
      const visible = parts.length === 2 ? value === parts[1] : value !== "";
      block.hidden = !visible;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("registration-form");
    if (!form) return;
    form.addEventListener("change", function () { refresh(form); });
    refresh(form);
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();
