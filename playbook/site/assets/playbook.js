/* In-page filters for the catalog and policy index, the rollout checklist (ticks kept in
   localStorage, exported as pilot YAML or a Markdown task list), and a name for the theme's search dialog.
   Every word comes from window.playbookMessages.say (messages.js: the catalog in the site's language). */
(function () {
  "use strict";

  /* messages.js, which every page loads before the scripts. */
  var MESSAGES = window.playbookMessages;
  var say = MESSAGES.say;

  function number(value) {
    return Number(value).toLocaleString(MESSAGES.language);
  }

  /* Each cell gets its column's heading as data-label: on a phone, where the rows stack as cards
     (layout.css), the heading shows above each value. */
  function labelCells(tables) {
    Array.prototype.forEach.call(tables, function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, at) {
          if (heads[at] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[at]);
        });
      });
    });
  }

  function initFilter(box) {
    var text = box.querySelector(".pb-filter-text");
    var status = box.querySelector(".pb-filter-status");
    var tier = box.querySelector(".pb-filter-tier");
    var count = box.querySelector(".pb-filter-count");
    var article = box.closest("article") || document;
    var rows = Array.prototype.slice.call(article.querySelectorAll("table tbody tr"));
    labelCells(article.querySelectorAll("table"));
    function apply() {
      var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      var wantStatus = status ? status.value : "";
      var wantTier = tier.value;
      var shown = 0;
      rows.forEach(function (row) {
        var content = row.textContent.toLowerCase();
        var ok = words.every(function (w) { return content.indexOf(w) >= 0; });
        if (ok && wantStatus) ok = !!row.querySelector(".pb-status-" + wantStatus.toLowerCase());
        if (ok && wantTier) {
          ok = Array.prototype.some.call(row.querySelectorAll(".pb-tier"), function (a) { return a.textContent === wantTier; });
        }
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      article.querySelectorAll("table").forEach(function (table) {
        var visible = table.querySelectorAll("tbody tr:not([hidden])").length > 0;
        var wrapper = table.closest(".md-typeset__scrollwrap") || table;
        wrapper.hidden = !visible;
        var heading = wrapper.previousElementSibling;
        if (heading && /^H[23]$/.test(heading.tagName)) heading.hidden = !visible;
      });
      count.textContent = say("js.filter.count", { shown: number(shown), total: number(rows.length) });
    }
    [text, status, tier].forEach(function (control) { if (control) control.addEventListener("input", apply); });
    [status, tier].forEach(function (control) { if (control) control.addEventListener("change", apply); });
    apply();
  }

  var STORE = "playbook-checklist";

  function loadTicks() {
    try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch (e) { return {}; }
  }

  function saveTicks(ticks) {
    try { localStorage.setItem(STORE, JSON.stringify(ticks)); } catch (e) { /* private mode: ticks last the visit */ }
  }

  function initChecklist(root) {
    var steps = JSON.parse(root.querySelector("#pb-roadmap-data").textContent);
    var boxes = Array.prototype.slice.call(root.querySelectorAll(".pb-check"));
    var progress = root.querySelector(".pb-progress");
    var out = root.querySelector(".pb-export-out");
    var team = root.querySelector(".pb-team");
    var ticks = loadTicks();
    if (ticks.__team) team.value = ticks.__team;
    boxes.forEach(function (box) { box.checked = ticks[box.dataset.item] === true; });
    function refresh() {
      var done = boxes.filter(function (b) { return b.checked; }).length;
      progress.textContent = say("js.checklist.progress", { done: number(done), total: number(boxes.length) });
    }
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        ticks = loadTicks();
        ticks[box.dataset.item] = box.checked;
        saveTicks(ticks);
        refresh();
      });
    });
    team.addEventListener("input", function () { ticks = loadTicks(); ticks.__team = team.value; saveTicks(ticks); });
    function show(text) { out.hidden = false; out.value = text; out.select(); }
    root.querySelector(".pb-export-yaml").addEventListener("click", function () {
      ticks = loadTicks();
      var lines = ["# " + say("js.checklist.paste", { team: team.value || say("js.checklist.team") }), "checklist:"];
      steps.forEach(function (step) {
        lines.push("  # " + step.title);
        step.items.forEach(function (item) { lines.push("  " + item.id + ": " + (ticks[item.id] === true ? "true" : "false")); });
      });
      show(lines.join("\n") + "\n");
    });
    root.querySelector(".pb-export-md").addEventListener("click", function () {
      ticks = loadTicks();
      var lines = [];
      steps.forEach(function (step) {
        lines.push("### " + step.title);
        step.items.forEach(function (item) { lines.push("- [" + (ticks[item.id] === true ? "x" : " ") + "] " + item.text); });
        lines.push("");
      });
      show(lines.join("\n"));
    });
    root.querySelector(".pb-reset").addEventListener("click", function () {
      ticks = loadTicks();
      boxes.forEach(function (box) { box.checked = false; delete ticks[box.dataset.item]; });
      saveTicks(ticks);
      refresh();
    });
    refresh();
  }

  /* mkdocs-material's search overlay has role="dialog" and no accessible name; give it the
     search field's own (translated) label so screen readers announce what opened. */
  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (!dialog || dialog.hasAttribute("aria-label") || dialog.hasAttribute("aria-labelledby")) return;
    var input = dialog.querySelector(".md-search__input");
    dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || say("js.search.dialog"));
  }

  function init() {
    nameSearchDialog();
    document.querySelectorAll(".pb-filter").forEach(initFilter);
    document.querySelectorAll(".pb-checklist").forEach(initChecklist);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
