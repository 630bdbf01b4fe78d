/* "Register this use case", at the end of the assessment: the file of a new use case with the current
   answers filled in, proposed in one click as the other forms' files are (propose.js). It reads the result
   assess.js computes (window.playbookAssessment.current()) and never classifies anything itself. */
(function () {
  "use strict";

  /* The file `playbook new usecase` would write, with what the reader typed and the assessment's answers. */
  function usecaseYaml(propose, fields, result, schema) {
    var scalar = propose.scalar;
    var lines = ["# yaml-language-server: $schema=" + schema];
    lines.push("id: " + scalar(fields.id));
    lines.push("title: " + propose.quote(fields.title));
    lines.push("team: " + scalar(fields.team));
    lines.push("owner: " + propose.quote(fields.owner));
    lines.push("description: " + propose.block(fields.description));
    lines.push("status: " + scalar(fields.status));
    lines.push("answers:");
    Object.keys(result.answers).forEach(function (qid) {
      lines.push("  " + scalar(qid) + ": " + scalar(result.answers[qid]));
    });
    lines.push("patterns: " + scalar(result.built_on));
    /* custom_parts is derived from built: the file names the part built itself, a TODO for the team to fill. */
    if (result.custom_parts) lines.push("built:", "  - capability: TODO");
    lines.push("tier: " + scalar(result.tier));
    lines.push("requested: " + propose.today());
    return lines.join("\n") + "\n";
  }

  function init() {
    var root = document.querySelector(".pb-register-usecase");
    var assessment = document.querySelector(".pb-assess");
    var propose = window.playbookPropose;
    if (!root || !assessment || !propose) return;
    var say = window.playbookMessages.say;
    var data = propose.dataOf(root);
    var form = root.querySelector("form");
    var note = root.querySelector("[data-playbook-propose-note]");
    var idNote = root.querySelector("[data-playbook-propose-id-note]");
    var shown = false;
    var taken = null;

    /* The registered ids, once the register's rows are read; [] until then. */
    function known() {
      if (taken === null) {
        taken = [];
        propose.knownUsecases(data).then(function (ids) { taken = ids; checkId(); }, function () {});
      }
      return taken;
    }

    function value(name) { return form.elements[name].value.trim(); }

    function checkId() {
      var id = value("id");
      var problem = id ? propose.idProblem(data, id, known()) : "";
      idNote.textContent = problem;
      propose.mark(form.elements.id, problem);
      return problem;
    }

    function label(field) {
      var found = form.querySelector("label[for='" + field.id + "']");
      return found ? found.textContent.trim() : field.name;
    }

    /* The file for the current answers, or null with the first reason there is none shown and focused. */
    function current(focus) {
      var api = window.playbookAssessment;
      var result = api && api.current();
      var panel = assessment.querySelector(".pb-result");
      var problem = "";
      var field = null;
      if (!result || (panel && panel.dataset.complete !== "yes")) {
        var missing = assessment.querySelectorAll(".pb-question[data-question]").length -
          Object.keys(result ? result.answers : {}).length;
        problem = say("usecase.js.incomplete", { count: missing });
      } else {
        problem = propose.idProblem(data, value("id"), known());
        field = problem ? form.elements.id : null;
        ["title", "team", "owner", "description"].some(function (name) {
          if (problem || value(name)) return false;
          field = form.elements[name];
          problem = name === "team" ? say("js.propose.team") : say("js.propose.missing", { field: label(field) });
          return true;
        });
      }
      idNote.textContent = field === form.elements.id ? problem : "";
      Array.prototype.forEach.call(form.elements, function (element) {
        propose.mark(element, element === field && problem);
      });
      if (problem) {
        propose.hide(root);
        note.textContent = problem;
        if (focus && field) field.focus();
        root.dataset.ready = "no";
        return null;
      }
      var fields = { id: value("id"), title: value("title"), team: value("team"), owner: value("owner"),
        description: value("description"), status: value("status") };
      root.dataset.ready = "yes";
      return propose.present(root, data, fields.id, usecaseYaml(propose, fields, result, data.schema));
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); shown = true; current(true); });
    form.elements.id.addEventListener("focus", known);
    form.elements.id.addEventListener("input", checkId);
    form.addEventListener("input", function (event) {
      if (event.target !== form.elements.id) propose.mark(event.target, "");
      if (shown) current(false);
    });
    assessment.querySelector(".pb-assess-form").addEventListener("change", function () { if (shown) current(false); });
    propose.bindActions(root);
    root.dataset.bound = "yes";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
