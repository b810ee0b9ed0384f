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
    const form = document.getElementById("registration-form") ||
      document.getElementById("step-form");
    if (!form) return;
    form.addEventListener("change", function () { refresh(form); });
    refresh(form);
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();

// Documents step: each chosen file is uploaded at once (with a progress bar) to the draft; the
// server checks type and size with the same checker. Without JavaScript "Tiếp tục" uploads.
(function () {
  "use strict";
  const gettext = window.gettext || ((text) => text);  // Django's JavaScript catalogue
  const failed = (form) => form.dataset.failedLabel ||
    gettext("Không tải lên được tệp; vui lòng thử lại.");
  function csrf(form) {
    const input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }
  function addRow(list, file, removeLabel, form) {
    const empty = document.getElementById("no-uploads");
    if (empty) empty.remove();
    const li = document.createElement("li");
    li.dataset.uploadId = file.id;
    const name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn secondary small";
    button.textContent = removeLabel;
    button.setAttribute("aria-label", removeLabel + " " + file.name);
    button.addEventListener("click", function () { removeFile(form, li, file.id); });
    li.append(name, " ", button);
    list.appendChild(li);
  }
  function removeFile(form, li, id) {
    const body = new FormData();
    body.append("id", id);
    fetch(form.dataset.removeUrl, { method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(form) } }).then(function (response) {
      if (response.ok) li.remove();
    });
  }
  // One file after another: kinder to a weak connection, and the first upload starts the
  // draft that the next ones join.
  function upload(form, file, status, list, done) {
    const row = document.createElement("p");
    const label = document.createElement("span");
    label.textContent = file.name + " ";
    const bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    row.append(label, bar);
    status.appendChild(row);
    const body = new FormData();
    body.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.uploadUrl);
    xhr.setRequestHeader("X-CSRFToken", csrf(form));
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) bar.value = Math.round(100 * event.loaded / event.total);
    });
    xhr.addEventListener("load", function () {
      let data = {};
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
      if (xhr.status === 201) {
        row.remove();
        addRow(list, data, form.dataset.removeLabel || gettext("Xóa"), form);
      } else {
        row.className = "errorlist upload-error";
        row.setAttribute("role", "alert");
        row.textContent = data.error || failed(form);
      }
      done();
    });
    xhr.addEventListener("error", function () {
      row.className = "errorlist upload-error";
      row.textContent = failed(form);
      done();
    });
    xhr.send(body);
  }
  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("step-form");
    if (!form || !form.dataset.uploadUrl) return;
    const input = form.querySelector('input[type="file"]');
    const status = document.getElementById("upload-status");
    const list = document.getElementById("uploads");
    input.addEventListener("change", function () {
      status.querySelectorAll(".upload-error").forEach(function (e) { e.remove(); });
      const queue = Array.from(input.files);
      input.value = "";
      (function next() {
        const file = queue.shift();
        if (file) upload(form, file, status, list, next);
      })();
    });
  });
})();
