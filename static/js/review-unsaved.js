/* The review page (ruang verifikasi): warn before leaving a tatanan tab while scores, notes or
 * comment text typed on it are not saved yet (another tab, the return or approve buttons, a link).
 * Sending the scores form itself ("Simpan nilai", "Kirim komentar", "Balas") saves all of it, so it
 * never warns. Without JavaScript sending a comment loses nothing either: the comment boxes belong
 * to the scores form and the server saves the scores with the comment. A page that came back with
 * an error (data-unsaved="1") holds typed values not saved yet. */
(function () {
  "use strict";
  var form = document.getElementById("scores-form");
  if (!form) return;
  var dirty = form.getAttribute("data-unsaved") === "1";

  function mark(event) {
    if (event.target && event.target.form === form) dirty = true;
  }

  document.addEventListener("input", mark);
  document.addEventListener("change", mark);
  form.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
