/* The evidence upload widget (forms marked data-evidence-upload).
 *
 * Files chosen, photographed or dropped are queued; "Unggah" sends them one after the other, each
 * in its own request (XMLHttpRequest, so that upload.onprogress can draw a progress bar), and shows
 * the server's verdict for each: stored, linked as a duplicate, or refused with the reason. One
 * at a time suits a phone on a slow connection: each file finishes instead of all crawling, and a
 * file lost to a dropped connection can be retried on its own.
 *
 * Without this script the form is an ordinary multipart POST and the server answers with messages.
 * Texts come from the page (json_script "evidence-upload-messages"), translated there.
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

  function Uploader(form) {
    this.form = form;
    this.list = form.querySelector(".evidence-progress");
    this.submit = form.querySelector("[type=submit]");
    this.kind = form.querySelector("[name=kind]");
    this.title = form.querySelector("[name=title]");
    this.maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    this.entries = [];
    this.busy = false;
    this.summary = null;

    var self = this;
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
    for (var i = 0; i < files.length; i += 1) {
      this.entries.push(this.render(files[i]));
    }
  };

  Uploader.prototype.render = function (file) {
    var self = this;
    var entry = { file: file, state: "queued", kind: "", title: "" };
    var item = element("li");
    item.setAttribute("data-state", "queued");
    var head = element("div", "d-flex justify-content-between gap-2");
    head.appendChild(element("span", "text-break evidence-name", file.name));
    head.appendChild(element("span", "text-muted text-nowrap", sizeText(file.size)));
    var progress = element("div", "progress");
    progress.setAttribute("role", "progressbar");
    progress.setAttribute("aria-valuemin", "0");
    progress.setAttribute("aria-valuemax", "100");
    progress.setAttribute("aria-valuenow", "0");
    progress.setAttribute("aria-label", file.name);
    var bar = element("div", "progress-bar bg-success");
    bar.style.width = "0%";
    progress.appendChild(bar);
    var verdict = element("div", "evidence-verdict", text("queued"));
    var actions = element("div", "d-flex gap-2");
    var cancel = element("button", "btn btn-link btn-sm p-0", text("remove"));
    cancel.type = "button";
    cancel.addEventListener("click", function () {
      if (entry.state === "queued") {
        self.entries.splice(self.entries.indexOf(entry), 1);
        item.remove();
      }
    });
    actions.appendChild(cancel);
    item.appendChild(head);
    item.appendChild(progress);
    item.appendChild(verdict);
    item.appendChild(actions);
    this.list.appendChild(item);
    entry.item = item;
    entry.bar = bar;
    entry.progress = progress;
    entry.verdict = verdict;
    entry.actions = actions;
    if (this.maxBytes && file.size > this.maxBytes) {
      this.settle(entry, "refused", text("too_large", { limit: Math.round(this.maxBytes / (1024 * 1024)) }));
    }
    return entry;
  };

  Uploader.prototype.settle = function (entry, state, message, link) {
    entry.state = state;
    entry.item.setAttribute("data-state", state);
    entry.verdict.textContent = message;
    if (link && link.url) {
      entry.verdict.appendChild(document.createTextNode(" "));
      var anchor = element("a", "", link.label);
      anchor.href = link.url;
      entry.verdict.appendChild(anchor);
    }
    entry.actions.textContent = "";
    if (state === "failed") {
      var self = this;
      var retry = element("button", "btn btn-outline-primary btn-sm", text("retry"));
      retry.type = "button";
      retry.addEventListener("click", function () {
        entry.state = "queued";
        entry.item.setAttribute("data-state", "queued");
        entry.verdict.textContent = text("queued");
        entry.actions.textContent = "";
        self.start();
      });
      entry.actions.appendChild(retry);
    }
    var done = state === "stored" || state === "duplicate" || state === "already";
    entry.bar.style.width = done || state === "refused" ? "100%" : entry.bar.style.width;
    entry.bar.className = "progress-bar " + (done ? "bg-success" : "bg-danger");
  };

  Uploader.prototype.start = function () {
    if (this.busy) {
      return;
    }
    var kind = this.kind ? this.kind.value : "";
    var waiting = this.entries.filter(function (entry) {
      return entry.state === "queued";
    });
    if (!waiting.length) {
      this.say(text("no_files"), true);
      return;
    }
    if (!kind) {
      this.say(text("no_kind"), true);
      if (this.kind && this.kind.focus) {
        this.kind.focus();
      }
      return;
    }
    var title = this.title ? this.title.value : "";
    waiting.forEach(function (entry) {
      if (!entry.kind) {
        entry.kind = kind;
        entry.title = title;
      }
    });
    this.busy = true;
    if (this.submit) {
      this.submit.disabled = true;
    }
    this.say("", false);
    this.next();
  };

  Uploader.prototype.next = function () {
    var entry = this.entries.filter(function (candidate) {
      return candidate.state === "queued" && candidate.kind;
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
    entry.item.setAttribute("data-state", "sending");
    entry.actions.textContent = "";
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
      var link = row.duplicate_of ? { url: row.duplicate_of.url, label: "↗" } : null;
      this.settle(entry, row.status, row.message, link);
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

  Uploader.prototype.finish = function () {
    this.busy = false;
    if (this.submit) {
      this.submit.disabled = false;
    }
    var ok = 0;
    var bad = 0;
    this.entries.forEach(function (entry) {
      if (entry.state === "stored" || entry.state === "duplicate" || entry.state === "already") {
        ok += 1;
      } else if (entry.state === "refused" || entry.state === "failed") {
        bad += 1;
      }
    });
    this.say(text("done", { ok: ok, bad: bad }), false);
    if (ok && !this.form.querySelector(".evidence-reload")) {
      var reload = element("button", "btn btn-outline-success btn-sm mt-2 evidence-reload", text("reload"));
      reload.type = "button";
      reload.addEventListener("click", function () {
        window.location.reload();
      });
      this.summary.appendChild(document.createElement("br"));
      this.summary.appendChild(reload);
    }
  };

  Uploader.prototype.say = function (message, warning) {
    if (!this.summary) {
      this.summary = element("div", "small mt-2 evidence-summary");
      this.summary.setAttribute("role", "status");
      this.list.parentNode.insertBefore(this.summary, this.list.nextSibling);
    }
    this.summary.textContent = message;
    this.summary.classList.toggle("text-danger", Boolean(warning));
  };

  Array.prototype.forEach.call(document.querySelectorAll("form[data-evidence-upload]"), function (form) {
    if (window.FormData && window.XMLHttpRequest) {
      form.uploader = new Uploader(form);
    }
  });
})();
