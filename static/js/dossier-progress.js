/* The dossier page's progress bar: while a version is being compiled, poll the status endpoint
 * (data-status-url) and move the bar; when the version is done or failed, reload the page so the
 * list of versions shows it. Without JavaScript the page still works: reload it by hand. */
(function () {
  "use strict";
  var box = document.getElementById("compile-progress");
  if (!box) return;
  var bar = document.getElementById("compile-progress-bar");
  var label = document.getElementById("compile-progress-label");
  var button = document.getElementById("compile-button");
  var url = box.getAttribute("data-status-url");
  var delay = 1000;

  function show(status) {
    var value = Math.max(0, Math.min(100, status.progress || 0));
    box.hidden = false;
    bar.style.width = value + "%";
    bar.textContent = value + " %";
    bar.parentNode.setAttribute("aria-valuenow", String(value));
    if (label && status.state_label) {
      label.textContent = (box.getAttribute("data-label") || "{version}: {state}")
        .replace("{version}", status.version)
        .replace("{state}", status.state_label)
        .replace("{done}", status.chapters_done || 0)
        .replace("{total}", status.chapters_total || 0);
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (status) {
        if (status.version === null) return;
        show(status);
        if (status.active) {
          delay = Math.min(delay * 1.2, 5000);
          window.setTimeout(poll, delay);
        } else {
          box.setAttribute("data-active", "0");
          if (button) button.disabled = false;
          window.location.reload();
        }
      })
      .catch(function () {
        // A network hiccup on a slow connection: try again a little later.
        window.setTimeout(poll, 5000);
      });
  }

  if (box.getAttribute("data-active") === "1") {
    window.setTimeout(poll, delay);
  }
})();
