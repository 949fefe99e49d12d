/* The evidence upload widget (forms marked data-evidence-upload).
 *
 * Files chosen, photographed or dropped are queued, each on a row of its own. Where the form has
 * a kind select (the owner's upload widget), every row gets its own copy of it, pre-set by a guess
 * from the file's name and type (a photo is "foto", "absen.pdf" a daftar hadir) and changeable, so
 * an activity's four papers go in one pass (issue 12). "Kirim" sends the rows one after the other,
 * each in its own request (XMLHttpRequest, so that upload.onprogress can draw a progress bar), and
 * shows the server's verdict on the file's row: stored, linked as a duplicate, already there, or
 * refused with the reason. One at a time suits a phone on a slow connection: each file finishes
 * instead of all crawling, and a file lost to a dropped connection can be retried on its own.
 *
 * A row without a kind is not sent: it says so, keeps its select, and its own button sends only
 * that file once a kind is chosen (the server refuses a kind it does not take in the same way,
 * code bad_kind). Choosing the same file again does not add a second row.
 *
 * After each accepted file the widget asks the owner's page for the part an upload changes
 * (data-refresh-url: the activity's completeness badge and checklist, the file list) and puts each
 * element in place of the page's element with the same id: no reload.
 *
 * Without this script the form is an ordinary multipart POST (one kind for every file) and the
 * server answers with messages. Texts come from the page (json_script "evidence-upload-messages"),
 * translated there.
 */
(function () {
  "use strict";

  var texts = {};
  var source = document.getElementById("evidence-upload-messages");
  if (source) {
    try {
      texts = JSON.parse(source.textContent);
    } catch (error) {
      texts = {};
    }
  }

  // Words in a file's name that tell its kind; the first that the owner takes wins. Then an
  // image is a photo. The kinds are EvidenceFile.Kind's values (evidence/models.py).
  var GUESSES = [
    [/undangan/, "undangan"],
    [/daftar ?hadir|absen|presensi/, "daftar_hadir"],
    [/notulen|notula|risalah/, "notulen"],
    [/berita ?acara/, "berita_acara"],
    [/surat ?pernyataan/, "surat_pernyataan"],
    [/tangkapan ?layar|screenshot|screen ?shot/, "tangkapan_layar"],
    [/laporan/, "laporan"],
    [/(^| )sk( |$)/, "sk"],
    [/foto|photo|dokumentasi/, "foto"],
  ];
  var ACCEPTED = ["stored", "duplicate", "already"];

  function text(key, params) {
    var value = texts[key] || key;
    Object.keys(params || {}).forEach(function (name) {
      value = value.split("%(" + name + ")s").join(String(params[name]));
    });
    return value;
  }

  function csrfToken(form) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var field = form.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function sizeText(bytes) {
    if (bytes >= 1024 * 1024) {
      return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + " MB";
    }
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content !== undefined) {
      node.textContent = content;
    }
    return node;
  }

  function guessKind(file, offered) {
    var name = String(file.name || "")
      .toLowerCase()
      .replace(/[_\-.+()]+/g, " ");
    for (var i = 0; i < GUESSES.length; i += 1) {
      if (GUESSES[i][0].test(name) && offered.indexOf(GUESSES[i][1]) >= 0) {
        return GUESSES[i][1];
      }
    }
    if (/^image\//.test(file.type || "") && offered.indexOf("foto") >= 0) {
      return "foto";
    }
    return offered.length === 1 ? offered[0] : "";
  }

  var rowCount = 0;

  function Uploader(form) {
    this.form = form;
    this.list = form.querySelector(".evidence-progress");
    this.submit = form.querySelector("[type=submit]");
    // The owner's widget has a kind select: each row gets its own copy and the form's is hidden.
    this.kindSelect = form.querySelector("select[name=kind]");
    this.kindField = form.querySelector("input[name=kind]");
    this.title = form.querySelector("[name=title]");
    this.hint = form.querySelector("[data-row-kinds-hint]");
    this.maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    this.refreshUrl = form.getAttribute("data-refresh-url") || "";
    this.entries = [];
    this.busy = false;
    this.summary = null;
    this.refreshing = false;
    this.refreshAgain = false;
    this.offered = [];

    var self = this;
    if (this.kindSelect) {
      this.offered = Array.prototype.map
        .call(this.kindSelect.options, function (option) {
          return option.value;
        })
        .filter(Boolean);
      var batch = form.querySelector("[data-batch-kind]");
      this.kindSelect.required = false;
      this.kindSelect.disabled = true; // the rows carry the kinds now
      if (batch) {
        batch.hidden = true;
      }
    }
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      input.addEventListener("change", function () {
        self.add(input.files);
        input.value = "";
        input.required = false; // the queue holds the files now
      });
      if (input.files && input.files.length) {
        self.add(input.files);
        input.value = "";
      }
    });
    var drop = form.querySelector("[data-drop]");
    if (drop) {
      ["dragenter", "dragover"].forEach(function (name) {
        drop.addEventListener(name, function (event) {
          event.preventDefault();
          drop.classList.add("is-dragover");
        });
      });
      ["dragleave", "dragend"].forEach(function (name) {
        drop.addEventListener(name, function () {
          drop.classList.remove("is-dragover");
        });
      });
      drop.addEventListener("drop", function (event) {
        event.preventDefault();
        drop.classList.remove("is-dragover");
        if (event.dataTransfer && event.dataTransfer.files) {
          self.add(event.dataTransfer.files);
        }
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.start();
    });
  }

  Uploader.prototype.pending = function () {
    return this.busy || this.entries.some(function (entry) {
      return entry.state === "queued" || entry.state === "needs-kind";
    });
  };

  Uploader.prototype.add = function (files) {
    var single = !this.form.querySelector("input[type=file][multiple]");
    if (single) {
      // A replacement takes one file: the newest choice replaces what was queued.
      this.entries = this.entries.filter(function (entry) {
        if (entry.state === "queued") {
          entry.item.remove();
          return false;
        }
        return true;
      });
    }
    var self = this;
    Array.prototype.forEach.call(files, function (file) {
      var same = self.entries.filter(function (entry) {
        return (
          entry.file.name === file.name &&
          entry.file.size === file.size &&
          entry.state !== "refused"
        );
      })[0];
      if (same) {
        // Chosen again (perhaps to fix it): the row it has already is the one to use.
        self.say(text("in_list", { name: file.name }), true);
        if (same.kindSelect && !same.kindSelect.disabled) {
          same.kindSelect.focus();
        }
        return;
      }
      self.entries.push(self.render(file));
    });
    if (this.hint && this.kindSelect && this.entries.length) {
      this.hint.hidden = false;
    }
  };

  Uploader.prototype.render = function (file) {
    var self = this;
    var entry = { file: file, state: "queued", kind: "", title: "", armed: false };
    var item = element("li", "evidence-row");
    item.setAttribute("data-state", "queued");
    var head = element("div", "d-flex justify-content-between gap-2");
    head.appendChild(element("span", "text-break evidence-name", file.name));
    head.appendChild(element("span", "text-muted text-nowrap", sizeText(file.size)));
    item.appendChild(head);
    if (this.kindSelect) {
      rowCount += 1;
      var select = this.kindSelect.cloneNode(true);
      select.removeAttribute("name"); // the form's own kind is not sent; each row's is
      select.removeAttribute("required");
      select.disabled = false;
      select.id = "evidence-row-kind-" + rowCount;
      select.className = "form-select evidence-row-kind mt-1";
      select.setAttribute("aria-label", text("kind_for", { name: file.name }));
      select.value = guessKind(file, this.offered);
      select.addEventListener("change", function () {
        select.classList.remove("is-invalid");
        item.setAttribute("data-kind", select.value);
      });
      item.setAttribute("data-kind", select.value);
      item.appendChild(select);
      entry.kindSelect = select;
    }
    var progress = element("div", "progress");
    progress.setAttribute("role", "progressbar");
    progress.setAttribute("aria-valuemin", "0");
    progress.setAttribute("aria-valuemax", "100");
    progress.setAttribute("aria-valuenow", "0");
    progress.setAttribute("aria-label", file.name);
    var bar = element("div", "progress-bar bg-success");
    bar.style.width = "0%";
    progress.appendChild(bar);
    var verdict = element("div", "evidence-verdict flex-grow-1", text("queued"));
    var actions = element("div", "d-flex gap-2 flex-shrink-0");
    // The verdict and the row's buttons share a line: a phone shows more rows at once.
    var foot = element("div", "d-flex flex-wrap align-items-center gap-2");
    foot.appendChild(verdict);
    foot.appendChild(actions);
    item.appendChild(progress);
    item.appendChild(foot);
    this.list.appendChild(item);
    entry.item = item;
    entry.bar = bar;
    entry.progress = progress;
    entry.verdict = verdict;
    entry.actions = actions;
    this.offerCancel(entry);
    if (this.maxBytes && file.size > this.maxBytes) {
      this.settle(entry, "refused", text("too_large", { limit: Math.round(this.maxBytes / (1024 * 1024)) }));
    }
    return entry;
  };

  Uploader.prototype.button = function (entry, className, label, onClick) {
    var button = element("button", "btn btn-sm " + className, label);
    button.type = "button";
    button.addEventListener("click", onClick);
    entry.actions.appendChild(button);
    return button;
  };

  Uploader.prototype.offerCancel = function (entry) {
    var self = this;
    this.button(entry, "btn-outline-secondary evidence-cancel", text("remove"), function () {
      if (entry.state === "queued" || entry.state === "needs-kind") {
        self.entries.splice(self.entries.indexOf(entry), 1);
        entry.item.remove();
      }
    });
  };

  Uploader.prototype.kindOf = function (entry) {
    if (entry.kindSelect) {
      return entry.kindSelect.value;
    }
    if (this.kindField) {
      return this.kindField.value; // a replacement keeps the kind of the file it replaces
    }
    return "";
  };

  Uploader.prototype.needsKind = function (entry, message) {
    this.settle(entry, "needs-kind", message || text("no_kind"));
  };

  Uploader.prototype.settle = function (entry, state, message, link) {
    var self = this;
    entry.state = state;
    entry.armed = false;
    entry.item.setAttribute("data-state", state);
    entry.verdict.textContent = message;
    if (link && link.url) {
      entry.verdict.appendChild(document.createTextNode(" "));
      var anchor = element("a", "", link.label);
      anchor.href = link.url;
      entry.verdict.appendChild(anchor);
    }
    entry.actions.textContent = "";
    var done = ACCEPTED.indexOf(state) >= 0;
    if (entry.kindSelect) {
      entry.kindSelect.disabled = done || state === "refused";
      entry.kindSelect.classList.toggle("is-invalid", state === "needs-kind");
    }
    if (state === "needs-kind") {
      // Fixed on this row: choose the kind, then send only this file.
      this.button(entry, "btn-primary evidence-send-one", text("send_one"), function () {
        self.sendOne(entry);
      });
      this.offerCancel(entry);
    } else if (state === "failed") {
      this.button(entry, "btn-outline-primary evidence-retry", text("retry"), function () {
        self.sendOne(entry);
      });
    }
    entry.bar.style.width = done || state === "refused" ? "100%" : state === "needs-kind" ? "0%" : entry.bar.style.width;
    entry.bar.className = "progress-bar " + (done ? "bg-success" : "bg-danger");
  };

  // Arm ``entry`` to be sent, or tell on its row what it lacks; true when armed.
  Uploader.prototype.arm = function (entry, title) {
    if (!this.kindOf(entry)) {
      this.needsKind(entry);
      return false;
    }
    entry.kind = this.kindOf(entry);
    entry.title = title;
    entry.state = "queued";
    entry.armed = true;
    entry.item.setAttribute("data-state", "queued");
    entry.verdict.textContent = text("queued");
    if (entry.kindSelect) {
      entry.kindSelect.classList.remove("is-invalid");
    }
    return true;
  };

  Uploader.prototype.sendOne = function (entry) {
    if (!this.arm(entry, this.title ? this.title.value : "")) {
      if (entry.kindSelect) {
        entry.kindSelect.focus();
      }
      return;
    }
    entry.actions.textContent = "";
    this.go();
  };

  Uploader.prototype.start = function () {
    if (this.busy) {
      return;
    }
    var waiting = this.entries.filter(function (entry) {
      return entry.state === "queued" || entry.state === "needs-kind";
    });
    if (!waiting.length) {
      this.say(text("no_files"), true);
      return;
    }
    var self = this;
    var title = this.title ? this.title.value : "";
    var unkinded = waiting.filter(function (entry) {
      return !self.arm(entry, title);
    });
    if (unkinded.length && unkinded[0].kindSelect) {
      unkinded[0].kindSelect.focus();
    }
    if (unkinded.length === waiting.length) {
      this.say(text("no_kind"), true);
      return;
    }
    this.go();
  };

  Uploader.prototype.go = function () {
    if (this.busy) {
      return; // the running pass picks up what was armed
    }
    this.busy = true;
    if (this.submit) {
      this.submit.disabled = true;
    }
    this.next();
  };

  Uploader.prototype.next = function () {
    var entry = this.entries.filter(function (candidate) {
      return candidate.state === "queued" && candidate.armed;
    })[0];
    if (entry) {
      this.send(entry);
    } else {
      this.finish();
    }
  };

  Uploader.prototype.send = function (entry) {
    var self = this;
    var data = new FormData();
    Array.prototype.forEach.call(this.form.elements, function (field) {
      if (!field.name || field.disabled || field.type === "file" || field.type === "submit") {
        return;
      }
      if (field.name !== "kind" && field.name !== "title") {
        data.append(field.name, field.value);
      }
    });
    data.append("kind", entry.kind);
    data.append("title", entry.title);
    data.append("files", entry.file, entry.file.name);

    entry.state = "sending";
    entry.armed = false;
    entry.item.setAttribute("data-state", "sending");
    entry.actions.textContent = "";
    if (entry.kindSelect) {
      entry.kindSelect.disabled = true;
    }
    entry.verdict.textContent = text("sending", { percent: 0 });
    entry.bar.className = "progress-bar progress-bar-striped progress-bar-animated bg-success";

    var request = new XMLHttpRequest();
    request.open("POST", this.form.action);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.setRequestHeader("X-CSRFToken", csrfToken(this.form));
    request.upload.onprogress = function (event) {
      if (!event.lengthComputable) {
        return;
      }
      var percent = Math.round((event.loaded / event.total) * 100);
      entry.bar.style.width = percent + "%";
      entry.progress.setAttribute("aria-valuenow", String(percent));
      entry.verdict.textContent = percent < 100 ? text("sending", { percent: percent }) : text("checking");
    };
    request.upload.onload = function () {
      entry.bar.style.width = "100%";
      entry.verdict.textContent = text("checking");
    };
    request.onload = function () {
      self.judge(entry, request);
      if (ACCEPTED.indexOf(entry.state) >= 0) {
        self.refresh();
      }
      self.next();
    };
    request.onerror = request.ontimeout = function () {
      self.settle(entry, "failed", text("network"));
      self.next();
    };
    request.send(data);
  };

  Uploader.prototype.judge = function (entry, request) {
    var answer = null;
    if ((request.getResponseHeader("Content-Type") || "").indexOf("application/json") === 0) {
      try {
        answer = JSON.parse(request.responseText);
      } catch (error) {
        answer = null;
      }
    }
    if (answer && answer.files && answer.files.length) {
      var row = answer.files[0];
      if (row.status === "refused" && row.code === "bad_kind" && entry.kindSelect) {
        this.needsKind(entry, row.message);
        return;
      }
      var link = row.duplicate_of ? { url: row.duplicate_of.url, label: "↗" } : null;
      this.settle(entry, row.status, row.message, link);
      return;
    }
    if (answer && answer.problems && answer.problems.kind && entry.kindSelect) {
      this.needsKind(entry, answer.problems.kind);
      return;
    }
    if (answer && answer.message) {
      this.settle(entry, "refused", answer.message);
      return;
    }
    if (request.status === 404) {
      this.settle(entry, "refused", text("not_found"));
    } else if (request.status === 413) {
      this.settle(entry, "refused", text("too_big_server"));
    } else if (request.status === 403 || (request.status >= 200 && request.status < 400)) {
      // A CSRF refusal, or the login page after an expired session.
      this.settle(entry, "failed", text("session"));
    } else {
      this.settle(entry, "failed", text("server", { status: request.status }));
    }
  };

  // Put the owner's new badge, checklist and file list in place (see the top of this file).
  Uploader.prototype.refresh = function () {
    if (!this.refreshUrl || !window.fetch || !window.DOMParser) {
      return;
    }
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    var self = this;
    this.refreshing = true;
    this.form.setAttribute("data-refreshing", "1");
    fetch(this.refreshUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (html) {
          swapFragment(html, self.form);
        }
      })
      .catch(function () {
        return null; // the page stays as it was; the rows still tell each file's outcome
      })
      .then(function () {
        self.refreshing = false;
        if (self.refreshAgain) {
          self.refreshAgain = false;
          self.refresh();
        } else {
          self.form.removeAttribute("data-refreshing");
        }
      });
  };

  Uploader.prototype.finish = function () {
    this.busy = false;
    if (this.submit) {
      this.submit.disabled = false;
    }
    var ok = 0;
    var bad = 0;
    this.entries.forEach(function (entry) {
      if (ACCEPTED.indexOf(entry.state) >= 0) {
        ok += 1;
      } else if (entry.state === "refused" || entry.state === "failed") {
        bad += 1;
      }
    });
    this.say(text("done", { ok: ok, bad: bad }), bad > 0);
  };

  Uploader.prototype.say = function (message, warning) {
    if (!this.summary) {
      this.summary = element("div", "small mt-2 mb-2 evidence-summary");
      this.summary.setAttribute("role", "status");
      this.list.parentNode.insertBefore(this.summary, this.list.nextSibling);
    }
    this.summary.textContent = message;
    this.summary.classList.toggle("text-danger", Boolean(warning));
  };

  // Each top-level element of ``html`` with an id replaces the page's element with that id; one
  // holding a widget still at work (a replacement being chosen or sent) is left as it is.
  function swapFragment(html, origin) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    Array.prototype.forEach.call(fresh.body.children, function (node) {
      var current = node.id ? document.getElementById(node.id) : null;
      if (!current || current.contains(origin)) {
        return;
      }
      var busy = Array.prototype.some.call(current.querySelectorAll("form[data-evidence-upload]"), function (form) {
        return form.uploader && form.uploader.pending();
      });
      if (busy) {
        return;
      }
      var replacement = document.importNode(node, true);
      current.replaceWith(replacement);
      wire(replacement);
    });
  }

  function wire(root) {
    Array.prototype.forEach.call(root.querySelectorAll("form[data-evidence-upload]"), function (form) {
      if (window.FormData && window.XMLHttpRequest && !form.uploader) {
        form.uploader = new Uploader(form);
      }
    });
  }

  wire(document);
})();
