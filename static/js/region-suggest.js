/* Region inputs with data-suggest-url (accounts.forms.RegionSuggestInput): suggest regions from
 * the API as the superuser types, into the input's <datalist> (no list of 90,000 regions in the
 * page). The widget includes this file once per input; each input is wired once. */
(function () {
  "use strict";
  if (!window.fetch) return;
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
    var list = input.list;
    if (!list || input.hasAttribute("data-suggest-ready")) return;
    input.setAttribute("data-suggest-ready", "");
    var url = input.getAttribute("data-suggest-url");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) return;
      timer = setTimeout(function () {
        fetch(url + "?search=" + encodeURIComponent(text), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            list.replaceChildren();
            (data.results || []).slice(0, 20).forEach(function (region) {
              var option = document.createElement("option");
              option.value = region.code;
              option.textContent = region.code + " – " + (region.kind_label || "") + " " + region.name;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 250);
    });
  });
})();
