/* The indicator picker of the activity form (evidence/templates/evidence/activity_form.html).
 *
 * The form lists every indicator of the catalogue as a checkbox that names its tatanan
 * (data-tatanan, evidence.forms.IndicatorCheckboxes): 136 of them in 2025. On a phone that is a
 * wall, so this script shows only the indicators of the tatanan ticked above, or, with no tatanan
 * ticked, only those a search finds; an indicator already ticked stays in view whatever the filter
 * so that nothing chosen is hidden. The server keeps the rule (an indicator of a tatanan not
 * ticked is refused); without this script the whole list shows.
 *
 * Texts come from the data-* attributes of [data-indicator-picker], translated in the template.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-indicator-picker]");
  var form = document.getElementById("activity-form");
  if (!box || !form) {
    return;
  }
  var indicators = Array.prototype.slice.call(form.querySelectorAll("input[name=indicators]"));
  if (!indicators.length) {
    return;
  }
  var tatanan = Array.prototype.slice.call(form.querySelectorAll("input[name=tatanan]"));
  var list = indicators[0].closest(".form-check").parentNode;
  list.classList.add("indicator-picker-list");
  list.id = "indicator-picker-list";

  function words(value) {
    return String(value || "")
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean);
  }

  var rows = indicators.map(function (input) {
    var row = input.closest(".form-check");
    var label = row.querySelector("label");
    return {
      input: input,
      row: row,
      tatanan: input.getAttribute("data-tatanan") || "",
      text: (label ? label.textContent : "").toLowerCase(),
    };
  });

  // The search field and the line that says why the list is empty.
  var search = document.createElement("input");
  search.type = "search";
  search.id = "indicator-search";
  search.className = "form-control mb-2";
  search.placeholder = box.getAttribute("data-search-placeholder") || "";
  search.setAttribute("autocomplete", "off");
  var searchLabel = document.createElement("label");
  searchLabel.className = "form-label small mb-1";
  searchLabel.htmlFor = search.id;
  searchLabel.textContent = box.getAttribute("data-search-label") || "";
  var note = document.createElement("p");
  note.className = "small text-muted mb-2";
  note.id = "indicator-picker-note";
  note.setAttribute("role", "status");
  list.parentNode.insertBefore(searchLabel, list);
  list.parentNode.insertBefore(search, list);
  list.parentNode.insertBefore(note, list);

  function update() {
    var chosen = tatanan
      .filter(function (input) {
        return input.checked;
      })
      .map(function (input) {
        return input.value;
      });
    var wanted = words(search.value);
    var shown = 0;
    rows.forEach(function (entry) {
      var matches = wanted.every(function (word) {
        return entry.text.indexOf(word) >= 0;
      });
      var inTatanan = chosen.length ? chosen.indexOf(entry.tatanan) >= 0 : wanted.length > 0;
      var visible = entry.input.checked || (inTatanan && matches);
      entry.row.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    if (!chosen.length && !wanted.length) {
      note.textContent = box.getAttribute("data-choose-tatanan") || "";
    } else if (!shown) {
      note.textContent = box.getAttribute("data-no-match") || "";
    } else {
      note.textContent = "";
    }
    note.hidden = !note.textContent;
    list.hidden = !shown;
  }

  tatanan.forEach(function (input) {
    input.addEventListener("change", update);
  });
  search.addEventListener("input", update);
  // Enter in the search box filters; it must not submit the activity half filled in.
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
    }
  });
  update();
})();
