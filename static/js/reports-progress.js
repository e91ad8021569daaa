// Polls a report run's (or batch's) JSON status and updates the page in place, without reloading.
// The element carrying data-progress-url holds: [data-field=…] texts, [data-field=progress_bar],
// and [data-show-when=done|failed] blocks that appear when the run ends. CSP: no inline script.
// A run page opened by a click on 生成 (data-auto-download) hands over the PDF as soon as the run is
// done: at once when the report was ready, else when its render finishes.
(function () {
  "use strict";
  var POLL_MS = 1500;
  var MAX_POLL_MS = 10000;

  /* One unit's row of a batch: its state, stage, edition and PDF link as they are now. The row is
     found by its unit: a unit whose data had not changed gets an earlier edition in place of its run. */
  function updateRow(box, run) {
    var row = (run.unit && box.querySelector('tr[data-unit-id="' + run.unit + '"]')) ||
      box.querySelector('tr[data-run-id="' + run.id + '"]');
    if (!row) { return; }
    row.setAttribute("data-run-id", run.id);
    row.setAttribute("data-status", run.status);
    var detail = row.querySelector('[data-field="detail"]');
    if (detail && run.detail_url) { detail.setAttribute("href", run.detail_url); }
    ["status_label", "stage", "edition_number"].forEach(function (name) {
      var el = row.querySelector('[data-field="' + name + '"]');
      if (el && typeof run[name] === "string") { el.textContent = run[name]; }
    });
    var link = row.querySelector('[data-field="download"]');
    if (link) {
      if (run.download_url) { link.setAttribute("href", run.download_url); }
      link.classList.toggle("d-none", !run.download_url);
    }
  }

  function update(box, data) {
    ["status_label", "stage", "error", "edition_label", "edition_number", "finished_at", "summary", "sha256"].forEach(function (name) {
      if (typeof data[name] !== "string") { return; }
      box.querySelectorAll('[data-field="' + name + '"]').forEach(function (el) {
        if (!el.closest("[data-run-id]")) { el.textContent = data[name]; }
      });
    });
    (data.runs || []).forEach(function (run) { updateRow(box, run); });
    var bar = box.querySelector('[data-field="progress_bar"]');
    if (bar && typeof data.progress === "number") {
      bar.style.width = data.progress + "%";
      bar.textContent = data.progress + "%";
      bar.parentElement.setAttribute("aria-valuenow", String(data.progress));
    }
    if (data.is_finished) {
      var state = data.status === "failed" ? "failed" : "done";
      if (state === "done" && data.download_url) { download(box, data.download_url); }
      box.querySelectorAll("[data-show-when]").forEach(function (el) {
        el.classList.toggle("d-none", el.getAttribute("data-show-when") !== state);
      });
    }
  }

  function download(box, url) {
    if (!box.hasAttribute("data-auto-download")) { return; }
    box.removeAttribute("data-auto-download");  // once per click
    window.location.assign(url);
  }

  function poll(box, delay) {
    fetch(box.getAttribute("data-progress-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (data) {
        update(box, data);
        if (!data.is_finished) { window.setTimeout(function () { poll(box, POLL_MS); }, POLL_MS); }
      })
      .catch(function () {
        var next = Math.min(delay * 2, MAX_POLL_MS);  // back off while the server is unreachable
        window.setTimeout(function () { poll(box, next); }, next);
      });
  }

  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    var status = box.getAttribute("data-status");
    if (status === "queued" || status === "running") { poll(box, POLL_MS); }
    if (status === "done" && box.getAttribute("data-auto-download")) { download(box, box.getAttribute("data-auto-download")); }
  });
})();
