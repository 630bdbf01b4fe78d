/* The use-case register: filters and pages through the rows published in usecases/register.json,
   50 at a time, so the page stays small whatever the number of use cases. The filters live in the
   address (?team=...&tier=...), which is how pilot pages link to their team's use cases. */
(function () {
  "use strict";

  var FILTERS = ["team", "tier", "status", "outcome"];

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function init() {
    var root = document.querySelector(".pb-register");
    if (!root) return;
    var say = window.playbookMessages.say;
    var form = root.querySelector(".pb-register-filter");
    var status = root.querySelector(".pb-register-status");
    var body = root.querySelector(".pb-register-rows");
    var pager = root.querySelector(".pb-register-pager");
    var fallbackNote = root.querySelector(".pb-register-fallback-note");
    var data = null, page = 1;

    function readQuery() {
      var params = new URLSearchParams(location.search);
      FILTERS.forEach(function (name) {
        var select = form.elements[name];
        var want = params.get(name) || "";
        select.value = Array.prototype.some.call(select.options, function (o) { return o.value === want; }) ? want : "";
      });
      form.elements.q.value = params.get("q") || "";
      page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
    }

    function writeQuery() {
      var params = new URLSearchParams();
      FILTERS.forEach(function (name) { if (form.elements[name].value) params.set(name, form.elements[name].value); });
      if (form.elements.q.value.trim()) params.set("q", form.elements.q.value.trim());
      if (page > 1) params.set("page", String(page));
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function matching() {
      var want = {};
      FILTERS.forEach(function (name) { want[name] = form.elements[name].value; });
      var terms = form.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
      return data.rows.filter(function (row) {
        if (want.team && data.teams[row[2]].id !== want.team) return false;
        if (want.tier && data.tiers[row[3]].id !== want.tier) return false;
        if (want.status && data.statuses[row[4]].id !== want.status) return false;
        if (want.outcome && data.outcomes[row[5]].id !== want.outcome) return false;
        if (terms.length) {
          var text = (row[0] + " " + row[1]).toLowerCase();
          return terms.every(function (term) { return text.indexOf(term) >= 0; });
        }
        return true;
      });
    }

    /* Each value carries its column's name: on a phone the rows stack as cards (layout.css). */
    var labels = Array.prototype.map.call(root.querySelectorAll(".pb-register-table thead th"), function (th) {
      return th.textContent.trim();
    });
    function cell(text, at) {
      var td = el("td", text);
      if (labels[at]) td.dataset.label = labels[at];
      return td;
    }

    function render() {
      var rows = matching();
      var pages = Math.max(1, Math.ceil(rows.length / data.pageSize));
      page = Math.min(page, pages);
      var start = (page - 1) * data.pageSize, shown = rows.slice(start, start + data.pageSize);
      body.textContent = "";
      shown.forEach(function (row) {
        var tr = el("tr");
        tr.dataset.id = row[0];
        var name = el("td"), a = el("a", row[1]);
        a.href = root.dataset.hrefPrefix + row[0] + root.dataset.hrefSuffix;
        name.appendChild(a);
        tr.appendChild(name);
        tr.appendChild(cell(data.teams[row[2]].name, 1));
        tr.appendChild(cell(data.tiers[row[3]].name, 2));
        tr.appendChild(cell(data.statuses[row[4]].name, 3));
        tr.appendChild(cell(data.outcomes[row[5]].name, 4));
        tr.appendChild(cell(row[6], 5));
        tr.appendChild(cell(row[7] || "—", 6));
        body.appendChild(tr);
      });
      status.textContent = rows.length
        ? say("usecase.js.showing", { from: start + 1, to: start + shown.length, total: rows.length })
        : say("usecase.js.none");
      pager.querySelector(".pb-register-page").textContent = say("usecase.js.page", { page: page, pages: pages });
      pager.querySelector(".pb-register-prev").disabled = page <= 1;
      pager.querySelector(".pb-register-next").disabled = page >= pages;
      root.dataset.matching = String(rows.length);
      root.dataset.page = String(page);
      writeQuery();
    }

    function loaded(json) {
      data = json;
      readQuery();
      form.hidden = false;
      pager.hidden = false;
      if (fallbackNote) fallbackNote.hidden = true;
      root.dataset.ready = "yes";
      render();
    }

    form.addEventListener("input", function () { page = 1; render(); });
    form.addEventListener("change", function () { page = 1; render(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    pager.querySelector(".pb-register-prev").addEventListener("click", function () { page -= 1; render(); });
    pager.querySelector(".pb-register-next").addEventListener("click", function () { page += 1; render(); });

    fetch(root.dataset.src).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.json();
    }).then(loaded, function () {
      status.textContent = say("usecase.js.unavailable");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
