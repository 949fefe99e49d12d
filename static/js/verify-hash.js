/* The public verification page (/dossier/verifikasi/): the chosen PDF is hashed here, in the
 * visitor's browser, with Web Crypto, and only its SHA-256 is sent, so checking a 250 MB dossier
 * costs the portal 64 characters instead of 250 MB. The messages come from the form's data-*
 * attributes (translated by the template). Without JavaScript, or where Web Crypto is missing
 * (a page not served over HTTPS), the browser uploads the file as before and the server hashes it
 * (within its size limit and per-address throttle). */
(function () {
  "use strict";
  var box = document.getElementById("verify-hash");
  var form = document.getElementById("verify-form");
  if (!box || !form) return;
  var fileInput = form.querySelector("input[type=file][name=file]");
  var hashInput = form.querySelector("input[name=sha256]");
  var status = document.getElementById("verify-hash-status");
  var subtle = window.crypto && window.crypto.subtle;
  if (!fileInput || !hashInput || !subtle || !window.Blob || !Blob.prototype.arrayBuffer) return;
  box.setAttribute("data-mode", "browser");

  function say(text, kind) {
    status.hidden = false;
    status.className = "alert py-2 small alert-" + kind;
    status.textContent = text;
  }

  function hex(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  var busy = false;
  var upload = false; // set when hashing here failed: the next submit sends the file itself
  form.addEventListener("submit", function (event) {
    var file = fileInput.files && fileInput.files[0];
    if (!file || upload) return; // a pasted SHA-256 goes as typed
    event.preventDefault();
    if (busy) return;
    busy = true;
    var buttons = form.querySelectorAll("[type=submit]");
    buttons.forEach(function (button) { button.disabled = true; });
    say(box.getAttribute("data-hashing").replace("{name}", file.name), "info");
    file
      .arrayBuffer()
      .then(function (buffer) { return subtle.digest("SHA-256", buffer); })
      .then(function (digest) {
        hashInput.value = hex(digest);
        // The file input is emptied so the form carries the hash alone. The prototype's submit()
        // (the form's own `submit` is its button, named so by the form) fires no submit event, so
        // this handler does not run again; the button's name and value are not sent with it.
        fileInput.value = "";
        say(box.getAttribute("data-sending"), "info");
        HTMLFormElement.prototype.submit.call(form);
      })
      .catch(function (error) {
        if (window.console) console.warn("verify-hash:", error);
        // Too large for this device's memory, or the read failed: say so; the next click sends
        // the file to the server instead (or the visitor pastes the hash).
        busy = false;
        upload = true;
        buttons.forEach(function (button) { button.disabled = false; });
        say(box.getAttribute("data-failed"), "warning");
      });
  });
})();
