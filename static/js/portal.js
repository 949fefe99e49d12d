/* Behaviour every page shares, wired from data-* attributes.
 *
 * The Content-Security-Policy (kks_portal/settings.py) runs no inline handlers (onchange="…")
 * and applies no style="…" attributes, so pages say what they want in data-* attributes and
 * this file does it:
 *   data-autosubmit           on a select or checkbox: submit its form when it changes
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
  });

  document.querySelectorAll("[data-width-percent]").forEach(function (bar) {
    var value = parseFloat(bar.getAttribute("data-width-percent"));
    if (!isNaN(value)) {
      bar.style.width = Math.max(0, Math.min(100, value)) + "%";
    }
  });
})();
