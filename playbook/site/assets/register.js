/* "Register this use case", at the end of the assessment: the YAML file of a new use case with the
   current answers filled in, to copy or download. It reads the result assess.js computes
   (window.playbookAssessment.current()) and never classifies anything itself. */
(function () {
  "use strict";

  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

  /* A YAML double-quoted scalar. JSON's string syntax is one, once the characters YAML reads as
     line breaks or refuses (NEL, the Unicode separators, other non-printables) are escaped too. */
  function quote(text) {
    return JSON.stringify(String(text)).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  /* Words YAML 1.1 (PyYAML) reads as booleans or null when left unquoted. */
  var RESERVED = /^(y|n|yes|no|on|off|true|false|null)$/;

  /* Ids stay plain, as people write them; anything else is quoted. */
  function scalar(value) {
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") return String(value);
    if (Array.isArray(value)) return "[" + value.map(scalar).join(", ") + "]";
    return ID.test(value) && !RESERVED.test(value) && !/^[0-9-]+$/.test(value) ? value : quote(value);
  }

  /* Markdown over several lines as a literal block, which keeps it readable; the indentation
     indicator lets the first line start with spaces. */
  function block(text) {
    text = text.replace(/\r\n?/g, "\n");
    if (text.indexOf("\n") < 0 || /[^\t\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd]/.test(text)) return quote(text);
    return "|2-\n" + text.split("\n").map(function (line) { return line ? "  " + line : ""; }).join("\n");
  }

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /* The file `playbook new usecase` would write, with what the reader typed and the assessment's answers. */
  function usecaseYaml(fields, result, schema) {
    var lines = ["# yaml-language-server: $schema=" + schema];
    lines.push("id: " + scalar(fields.id));
    lines.push("title: " + quote(fields.title));
    lines.push("team: " + scalar(fields.team));
    lines.push("owner: " + quote(fields.owner));
    lines.push("description: " + block(fields.description));
    lines.push("status: " + scalar(fields.status));
    lines.push("answers:");
    Object.keys(result.answers).forEach(function (qid) {
      lines.push("  " + scalar(qid) + ": " + scalar(result.answers[qid]));
    });
    lines.push("patterns: " + scalar(result.built_on));
    if (result.custom_parts) lines.push("custom_parts: true");
    lines.push("tier: " + scalar(result.tier));
    lines.push("requested: " + today());
    return lines.join("\n") + "\n";
  }

  function init() {
    var root = document.querySelector(".pb-register-usecase");
    var assessment = document.querySelector(".pb-assess");
    if (!root || !assessment) return;
    var say = window.playbookMessages.say;
    var form = root.querySelector("form");
    var out = root.querySelector(".pb-register-out");
    var note = root.querySelector(".pb-register-note");
    var download = root.querySelector(".pb-register-download");
    var copyButton = root.querySelector(".pb-register-copy");

    function fields() {
      var value = function (name) { return form.elements[name].value.trim(); };
      return {
        id: value("id"),
        title: value("title") || say("usecase.js.todo", { what: form.elements.title.dataset.what }),
        team: value("team"),
        owner: value("owner") || say("usecase.js.todo", { what: form.elements.owner.dataset.what }),
        description: value("description") || say("usecase.js.todo", { what: form.elements.description.dataset.what }),
        status: value("status")
      };
    }

    /* The YAML for the current answers, or null with the reason shown when there is none yet. */
    function current() {
      var api = window.playbookAssessment;
      var result = api && api.current();
      var panel = assessment.querySelector(".pb-result");
      if (!result || (panel && panel.dataset.complete !== "yes")) {
        var missing = assessment.querySelectorAll(".pb-question[data-question]").length -
          Object.keys(result ? result.answers : {}).length;
        note.textContent = say("usecase.js.incomplete", { count: missing });
        return null;
      }
      var f = fields();
      if (!ID.test(f.id)) {
        note.textContent = say("usecase.js.bad_id");
        form.elements.id.focus();
        return null;
      }
      note.textContent = say("usecase.js.header", { id: f.id });
      return { id: f.id, text: usecaseYaml(f, result, root.dataset.schema) };
    }

    function show() {
      var file = current();
      out.hidden = !file;
      download.hidden = !file;
      copyButton.hidden = !file;
      if (!file) return null;
      out.value = file.text;
      root.dataset.id = file.id;
      var old = download.getAttribute("href");
      if (old) URL.revokeObjectURL(old);
      download.setAttribute("href", URL.createObjectURL(new Blob([file.text], { type: "application/x-yaml" })));
      download.setAttribute("download", file.id + ".yml");
      return file;
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); show(); });
    form.addEventListener("input", function () { if (!out.hidden) show(); });
    assessment.querySelector(".pb-assess-form").addEventListener("change", function () { if (!out.hidden) show(); });
    copyButton.addEventListener("click", function () {
      var file = show();
      if (!file) return;
      var failed = function () { out.select(); note.textContent = say("usecase.js.copy_failed"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(file.text).then(function () { note.textContent = say("usecase.js.copied"); }, failed);
      } else {
        failed();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
