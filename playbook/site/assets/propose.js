/* Proposing a new file in one click: "Report a learning", "Propose a pattern", and what "Register this
   use case" (register.js) shares with them. Each form's page embeds its data: the model's id rules, the ids
   already taken, the teams, and the repository's new-file editor. The script writes a file playbook check
   accepts as it is, refuses a wrong id or team as it is typed, and opens the host's editor with the file
   filled in, or offers it as a download with where it goes. Every word comes from messages.js. */
(function (factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else api.start();
})(function () {
  "use strict";

  /* Node runs the id rules and the YAML writer against Python's vectors with a global window of its own. */
  function say(key, values) { return window.playbookMessages.say(key, values); }

  /* A YAML double-quoted scalar. JSON's string syntax is one, once the characters YAML reads as line
     breaks or refuses (NEL, the Unicode separators, other non-printables) are escaped too. Half a surrogate
     pair, which no YAML file can hold, becomes the replacement character. */
  function quote(text) {
    var whole = String(text).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
    return JSON.stringify(whole).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  /* Words YAML 1.1 (PyYAML) reads as booleans or null when left unquoted. */
  var RESERVED_WORDS = /^(y|n|yes|no|on|off|true|false|null)$/;

  /* An id starting with a letter stays plain, as people write ids; anything else is quoted, so that no
     id reads back as a number (0x1f), a date or a boolean. */
  function scalar(value) {
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") return String(value);
    if (Array.isArray(value)) return "[" + value.map(scalar).join(", ") + "]";
    return /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(value) && !RESERVED_WORDS.test(value) ? value : quote(value);
  }

  /* Markdown over several lines as a literal block, which keeps it readable; the indentation indicator
     lets the first line start with spaces. Text with characters a block cannot hold is quoted instead. */
  function block(text) {
    text = String(text).replace(/\r\n?/g, "\n");
    if (text.indexOf("\n") < 0 || /[^\t\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd]/.test(text)) return quote(text);
    return "|2-\n" + text.split("\n").map(function (line) { return line ? "  " + line : ""; }).join("\n");
  }

  /* A list of text, one entry a line. */
  function lines(key, values) {
    return [key + ":"].concat(values.map(function (value) { return "  - " + quote(value); }));
  }

  function iso(date) {
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  function today() { return iso(new Date()); }

  /* The day ``months`` later, kept to the last day of a shorter month, as playbook new does. */
  function addMonths(day, months) {
    var parts = day.split("-").map(Number);
    var index = parts[1] - 1 + months;
    var year = parts[0] + Math.floor(index / 12);
    var month = index % 12;
    var last = new Date(year, month + 1, 0).getDate();
    return iso(new Date(year, month, Math.min(parts[2], last)));
  }

  /* The form's embedded data: what the id must be, the ids taken, where a new file goes. */
  function dataOf(root) {
    var element = root.querySelector("script[data-playbook-propose-data]");
    return JSON.parse(element.textContent);
  }

  function pathOf(data, id) { return data.folder + "/" + id + ".yml"; }

  /* Why ``id`` cannot name a new file of the form's kind, or "" when it can: the rules of playbook check
     and playbook new, in the same order (the section's own page, the format, a file already there). */
  function idProblem(data, id, taken) {
    var rule = data.rule;
    if (!id) return say("js.propose.id.empty");
    if (Object.prototype.hasOwnProperty.call(rule.reserved, id)) {
      return say("js.propose.id.reserved", { id: id, page: rule.reserved[id] });
    }
    if (id.length < rule.min || id.length > rule.max || !new RegExp(rule.pattern).test(id)) {
      return say("js.propose.id.bad", { id: id, min: rule.min, max: rule.max });
    }
    if ((taken || data.ids).indexOf(id) >= 0) return say("js.propose.id.taken", { path: pathOf(data, id) });
    return "";
  }

  /* The ids of the registered use cases, read once from the register's published rows (the first value of
     each row is its id); a promise, resolved with [] when the playbook has none. */
  var usecaseIds = {};
  function knownUsecases(data) {
    var src = data.usecases;
    if (!src) return Promise.resolve([]);
    if (!usecaseIds[src]) {
      usecaseIds[src] = fetch(src).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + src);
        return response.json();
      }).then(function (register) {
        return register.rows.map(function (row) { return row[0]; });
      });
    }
    return usecaseIds[src];
  }

  /* Marks a field as refused, with the reason read out beside it, or clears it. */
  function mark(field, problem) {
    if (!field) return;
    if (problem) field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid");
  }

  /* The file, shown in the box and offered three ways: the host's editor with the file filled in (when the
     repository is on a host whose editor takes it, and the link stays under its length limit), a download,
     and a copy. The note says what happens next and where the file goes. */
  function present(root, data, id, text) {
    var out = root.querySelector("[data-playbook-propose-file]");
    var links = root.querySelector("[data-playbook-propose-links]");
    var link = root.querySelector("a[data-playbook-propose]");
    var download = root.querySelector("[data-playbook-propose-download]");
    var note = root.querySelector("[data-playbook-propose-note]");
    var path = pathOf(data, id);
    var target = data.target;
    out.value = text;
    out.hidden = false;
    links.hidden = false;
    var old = download.getAttribute("href");
    if (old) URL.revokeObjectURL(old);
    download.setAttribute("href", URL.createObjectURL(new Blob([text], { type: "application/x-yaml" })));
    download.setAttribute("download", id + ".yml");
    var url = target ? target.base + "?" + target.name + "=" + encodeURIComponent(id + ".yml") + "&" +
      target.content + "=" + encodeURIComponent(text) : "";
    var fits = target && url.length <= target.limit;
    if (link) {
      link.hidden = !fits;
      if (fits) link.setAttribute("href", url); else link.removeAttribute("href");
      link.dataset.host = target ? target.host : "";
    }
    if (fits) {
      note.textContent = say(target.host === "GitLab" ? "js.propose.ready.gitlab" : "js.propose.ready.link",
        { path: path, host: target.host });
    } else if (target) {
      note.textContent = say("js.propose.too_long", { path: path, host: target.host, length: url.length,
        limit: target.limit });
    } else {
      note.textContent = say("js.propose.ready.download", { path: path });
    }
    root.dataset.id = id;
    return { id: id, text: text, url: fits ? url : "" };
  }

  function hide(root) {
    root.querySelector("[data-playbook-propose-file]").hidden = true;
    root.querySelector("[data-playbook-propose-links]").hidden = true;
  }

  function copy(root) {
    var out = root.querySelector("[data-playbook-propose-file]");
    var note = root.querySelector("[data-playbook-propose-note]");
    var failed = function () { out.select(); note.textContent = say("js.propose.copy_failed"); };
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(out.value).then(function () {
        note.textContent = say("js.propose.copied");
      }, failed);
    }
    failed();
    return Promise.resolve();
  }

  /* The buttons every form shares: copy, and on GitLab, whose editor may open empty, copy on the way out. */
  function bindActions(root) {
    root.querySelector("[data-playbook-propose-copy]").addEventListener("click", function () { copy(root); });
    var link = root.querySelector("a[data-playbook-propose]");
    if (link) {
      link.addEventListener("click", function () {
        if (link.dataset.host === "GitLab" && navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(root.querySelector("[data-playbook-propose-file]").value);
        }
      });
    }
  }

  function value(form, name) {
    var field = form.elements[name];
    return field ? field.value.trim() : "";
  }

  function ticked(form, name) {
    return Array.prototype.slice.call(form.querySelectorAll("input[name='" + name + "']:checked"))
      .map(function (box) { return box.value; });
  }

  /* The ids chosen for a list: the boxes ticked, or, where the playbook has too many to offer as boxes,
     the ids typed into the field. */
  function chosen(form, name) {
    var field = form.elements[name];
    return field && field.type === "text" ? ids(field.value) : ticked(form, name);
  }

  function entries(text) {
    return text.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
  }

  function ids(text) {
    return text.split(/[\s,]+/).filter(Boolean);
  }

  /* The first field of ``required`` left empty, as [field, its label's words], or null. */
  function firstEmpty(form, required) {
    for (var i = 0; i < required.length; i++) {
      var field = form.elements[required[i]];
      if (field && !field.value.trim()) return field;
    }
    return null;
  }

  function labelOf(form, field) {
    var label = form.querySelector("label[for='" + field.id + "']");
    return label ? label.textContent.trim() : field.name;
  }

  var WRITERS = {
    /* The file playbook new learning would write, with what the reader typed. */
    learning: {
      required: ["title", "date", "what_happened", "impact"],
      check: function (form, data, usecases) {
        if (!value(form, "team")) return [form.elements.team, say("js.propose.team")];
        if (value(form, "date") > today()) return [form.elements.date, say("js.propose.future",
          { date: value(form, "date") })];
        if (value(form, "status") === "addressed" && !value(form, "what_changed")) {
          return [form.elements.what_changed, say("js.propose.changed")];
        }
        var named = Object.keys(data.known || {}).map(function (name) {
          var missing = chosen(form, name).filter(function (id) { return data.known[name].indexOf(id) < 0; });
          return missing.length ? [form.elements[name], say("js.propose.unknown",
            { field: labelOf(form, form.elements[name]), id: missing[0] })] : null;
        }).filter(Boolean)[0];
        if (named) return named;
        var unknown = ids(value(form, "usecases")).filter(function (id) { return usecases.indexOf(id) < 0; });
        if (unknown.length) return [form.elements.usecases, say("js.propose.usecase", { id: unknown[0] })];
        return null;
      },
      yaml: function (form, data, id) {
        var out = ["# yaml-language-server: $schema=" + data.schema];
        out.push("id: " + scalar(id));
        out.push("title: " + quote(value(form, "title")));
        out.push("date: " + value(form, "date"));
        out.push("team: " + scalar(value(form, "team")));
        out.push("status: " + scalar(value(form, "status")));
        out.push("what_happened: " + block(value(form, "what_happened")));
        out.push("impact: " + block(value(form, "impact")));
        out.push("patterns: " + scalar(chosen(form, "patterns")));
        out.push("policies: " + scalar(chosen(form, "policies")));
        out.push("usecases: " + scalar(ids(value(form, "usecases"))));
        if (value(form, "what_changed")) out.push("what_changed: " + block(value(form, "what_changed")));
        return out.join("\n") + "\n";
      }
    },
    /* The file playbook new pattern would write: proposed, due for review in the playbook's months. */
    pattern: {
      required: ["title", "summary", "category", "owner", "control_text", "when_to_use", "when_not_to_use",
        "how_it_works"],
      check: function (form, data) {
        if (!ticked(form, "tiers").length) return [form.querySelector("input[name='tiers']"), say("js.propose.tiers")];
        var limits = data.entries;
        var crowded = ["when_to_use", "when_not_to_use"].filter(function (name) {
          var found = entries(value(form, name));
          return found.length > limits.count || found.some(function (line) { return line.length > limits.max; });
        })[0];
        if (crowded) {
          return [form.elements[crowded], say("js.propose.entries", { field: labelOf(form, form.elements[crowded]),
            count: limits.count, max: limits.max })];
        }
        return null;
      },
      yaml: function (form, data, id) {
        var out = ["# yaml-language-server: $schema=" + data.schema];
        out.push("id: " + scalar(id));
        out.push("title: " + quote(value(form, "title")));
        out.push("summary: " + quote(value(form, "summary")));
        out.push("status: proposed");
        out.push("category: " + quote(value(form, "category")));
        out.push("owner: " + quote(value(form, "owner")));
        out.push("tiers: " + scalar(ticked(form, "tiers")));
        out.push("controls:");
        out.push("  - kind: " + scalar(value(form, "control_kind")));
        out.push("    text: " + quote(value(form, "control_text")));
        out = out.concat(lines("when_to_use", entries(value(form, "when_to_use"))));
        out = out.concat(lines("when_not_to_use", entries(value(form, "when_not_to_use"))));
        out.push("how_it_works: " + block(value(form, "how_it_works")));
        out.push("review_by: " + addMonths(today(), data.reviewMonths));
        return out.join("\n") + "\n";
      }
    }
  };

  /* A "Report a learning" or "Propose a pattern" form: the id refused as it is typed, the rest when the
     file is asked for, and the file rewritten as the reader goes on typing once it is shown. */
  function bindForm(root) {
    var data = dataOf(root);
    var writer = WRITERS[data.kind];
    var form = root.querySelector("form");
    var idNote = root.querySelector("[data-playbook-propose-id-note]");
    var note = root.querySelector("[data-playbook-propose-note]");
    var shown = false;

    function checkId() {
      var id = value(form, "id");
      var problem = id ? idProblem(data, id) : "";
      idNote.textContent = problem;
      mark(form.elements.id, problem);
      return problem;
    }

    /* Every problem of the form, the first one focused and said; the file when there is none. */
    function write(focus) {
      var usecasesNeeded = form.elements.usecases && value(form, "usecases");
      var loading = usecasesNeeded ? knownUsecases(data) : Promise.resolve([]);
      return loading.then(function (usecases) {
        var problem = idProblem(data, value(form, "id"));
        var field = form.elements.id;
        if (!problem) {
          field = firstEmpty(form, writer.required);
          problem = field ? say("js.propose.missing", { field: labelOf(form, field) }) : "";
        }
        if (!problem) {
          var found = writer.check(form, data, usecases);
          if (found) { field = found[0]; problem = found[1]; }
        }
        Array.prototype.forEach.call(form.elements, function (element) {
          if (element.name !== "id") mark(element, element === field && problem);
        });
        idNote.textContent = field === form.elements.id ? problem : "";
        mark(form.elements.id, field === form.elements.id && problem);
        if (problem) {
          hide(root);
          note.textContent = problem;
          if (focus && field) field.focus();
          root.dataset.ready = "no";
          return null;
        }
        var id = value(form, "id");
        var file = present(root, data, id, writer.yaml(form, data, id));
        root.dataset.ready = "yes";
        return file;
      }, function () {
        note.textContent = say("js.propose.usecases_unavailable");
        return null;
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      shown = true;
      write(true);
    });
    form.elements.id.addEventListener("input", checkId);
    form.addEventListener("input", function (event) {
      if (event.target !== form.elements.id) mark(event.target, "");
      if (shown) write(false);
    });
    form.addEventListener("change", function () { if (shown) write(false); });
    if (form.elements.usecases) {
      form.elements.usecases.addEventListener("focus", function () { knownUsecases(data).catch(function () {}); });
    }
    bindActions(root);
    prefill(form);
    root.dataset.bound = "yes";
  }

  /* A link from a pattern's or a policy's page names it (?pattern=llm-gateway), and a team's (?team=x). */
  function prefill(form) {
    var params = new URLSearchParams(window.location.search);
    ["pattern", "policy"].forEach(function (name) {
      var given = params.getAll(name);
      var field = form.elements[name + "s"];
      if (field && field.type === "text" && given.length) field.value = given.join(", ");
      given.forEach(function (id) {
        var box = form.querySelector("input[name='" + name + "s'][value='" + CSS.escape(id) + "']");
        if (box) box.checked = true;
      });
    });
    var team = params.get("team");
    if (team && form.elements.team && form.querySelector("option[value='" + CSS.escape(team) + "']")) {
      form.elements.team.value = team;
    }
    if (form.elements.date && !form.elements.date.value) {
      form.elements.date.value = today();
      form.elements.date.max = today();
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-playbook-propose-form]"), function (root) {
      if (WRITERS[root.dataset.playbookProposeForm]) bindForm(root);
    });
  }

  var api = {
    quote: quote, scalar: scalar, block: block, today: today, addMonths: addMonths, dataOf: dataOf,
    idProblem: idProblem, knownUsecases: knownUsecases, mark: mark, present: present, hide: hide,
    bindActions: bindActions,
    start: function () {
      window.playbookPropose = api;
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
    }
  };
  return api;
});
