/* The page that assigns indicator entries to an OPD (indicators/requests/assign.html):
   "Pilih semua" / "Kosongkan" for every tatanan and for the whole list, a filter by indicator
   text and the count of ticked entries, all in the browser without a reload, so nothing typed
   or ticked is lost. Without JavaScript the checkboxes still submit; these tools stay hidden. */
(function () {
  "use strict";
  var form = document.getElementById("assign-form");
  if (!form) return;
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=entries]"));
  var groups = Array.prototype.slice.call(form.querySelectorAll("details[data-tatanan]"));
  var filter = document.getElementById("entry-filter");
  var empty = document.getElementById("filter-empty");
  var total = form.querySelector("[data-selected-count]");

  function ticked(scope) {
    return scope.querySelectorAll("input[name=entries]:checked").length;
  }

  function count() {
    if (total) total.textContent = String(ticked(form));
    groups.forEach(function (group) {
      var out = group.querySelector("[data-group-count]");
      if (out) out.textContent = String(ticked(group));
    });
  }

  // Ticks or unticks the entries of a tatanan (or of all) that the filter shows.
  function pick(scope, on) {
    scope.querySelectorAll("input[name=entries]").forEach(function (box) {
      if (!box.closest("tr").hidden) box.checked = on;
    });
    count();
  }

  function applyFilter() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    groups.forEach(function (group) {
      var matches = 0;
      group.querySelectorAll("tr[data-search]").forEach(function (row) {
        var text = row.getAttribute("data-search").toLowerCase();
        var match = words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
        row.hidden = !match;
        if (match) matches += 1;
      });
      group.hidden = matches === 0;
      if (words.length && matches) group.open = true;
      shown += matches;
    });
    if (empty) empty.hidden = shown > 0;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick]");
    if (!button) return;
    event.preventDefault();
    pick(button.closest("details[data-tatanan]") || form, button.getAttribute("data-pick") === "all");
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "entries") count();
  });
  if (filter) {
    filter.addEventListener("input", applyFilter);
    // Enter in the filter box filters; it must not submit the form.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    applyFilter(); // the browser may have restored the box's text (back button)
  }
  form.querySelectorAll("[data-needs-js]").forEach(function (element) {
    element.hidden = false;
  });
  count();
})();
