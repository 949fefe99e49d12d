/* The user form: show the password fields only when the admin chose to type a password. */
(function () {
  "use strict";
  var box = document.getElementById("password-fields");
  var radios = document.querySelectorAll("input[name=password_mode]");
  if (!box || !radios.length) return;
  function sync() {
    var checked = document.querySelector("input[name=password_mode]:checked");
    box.hidden = !checked || checked.value !== "set";
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", sync);
  });
  sync();
})();
