// Admin venue import (members/import_views.py): the preview sends its ticked
// lines as one field (a file of 15,000 rows would exceed the form field
// limit), and the progress page polls the import's status until it ends.
(function () {
  "use strict";

  var preview = document.querySelector("[data-venue-import-preview]");
  if (preview) {
    preview.addEventListener("submit", function () {
      var boxes = preview.querySelectorAll('input[name="lines"]');
      var ticked = [];
      boxes.forEach(function (box) {
        if (box.checked) {
          ticked.push(box.value);
        }
        box.disabled = true; // not sent one by one
      });
      preview.querySelector('input[name="lines_csv"]').value = ticked.join(",");
    });
  }

  var panel = document.querySelector("[data-venue-import-status]");
  if (!panel) {
    return;
  }
  var url = panel.getAttribute("data-venue-import-status");
  var bar = panel.querySelector("[data-progress]");
  var text = panel.querySelector("[data-progress-text]");
  var label = panel.querySelector("[data-status-label]");
  var error = panel.querySelector("[data-error]");
  var report = panel.querySelector("[data-report]");

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    text.textContent = state.done + " / " + state.total;
    label.textContent = state.status_label;
    if (state.error) {
      error.textContent = state.error;
      error.hidden = false;
    }
    if (state.report_url) {
      report.hidden = false;
    }
    return state.status === "done" || state.status === "failed";
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(function (state) {
        if (!show(state)) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  poll();
})();
