/* Behaviour every page shares, wired from data-* attributes.
 *
 * The Content-Security-Policy (kks_portal/settings.py) runs no inline handlers (onchange="…")
 * and applies no style="…" attributes, so pages say what they want in data-* attributes and
 * this file does it:
 *   data-autosubmit           on a select or checkbox: submit its form when it changes
 *   data-reload-param="siklus" on a select: reload the page with ?siklus=<its value>, keeping
 *                             the values of the form's fields marked data-reload-keep (by name),
 *                             for a form whose choices follow that select
 *   data-width-percent="42"   on a progress bar: its width (set through the CSSOM, which the
 *                             policy does not govern)
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.form && field.hasAttribute("data-autosubmit")) {
      field.form.submit();
    }
    if (field.hasAttribute("data-reload-param")) {
      var params = new URLSearchParams(window.location.search);
      params.set(field.getAttribute("data-reload-param"), field.value);
      if (field.form) {
        field.form.querySelectorAll("[data-reload-keep]").forEach(function (kept) {
          params.set(kept.name, kept.value);
        });
      }
      window.location.search = params.toString();
    }
  });

  document.querySelectorAll("[data-width-percent]").forEach(function (bar) {
    var value = parseFloat(bar.getAttribute("data-width-percent"));
    if (!isNaN(value)) {
      bar.style.width = Math.max(0, Math.min(100, value)) + "%";
    }
  });
})();
