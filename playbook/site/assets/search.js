/* The header's search box: sends what is typed and the chosen facets to search-worker.js, shows the
   results with kind, status and highlighted summary, and drives them from the keyboard.
   Words come from messages.js (window.playbookMessages.say); this script has none of its own. */
(function () {
  "use strict";

  var PAGE = 20;

  function init() {
    var root = document.querySelector("[data-playbook-search]");
    if (!root || !window.Worker) return;
    var input = root.querySelector("[data-playbook-search-input]");
    var list = root.querySelector("[data-playbook-search-results]");
    var meta = root.querySelector(".pb-search-meta");
    var more = root.querySelector(".pb-search-more");
    var reset = root.querySelector(".pb-search-reset");
    var facets = Array.prototype.slice.call(root.querySelectorAll("select[data-facet]"));
    var toggle = document.getElementById("__search");
    var say = window.playbookMessages.say;

    function absolute(path) { return path ? new URL(path, document.baseURI).href : ""; }
    var siteRoot = absolute(root.dataset.root);

    var worker = new Worker(absolute(root.dataset.worker), { type: "module" });
    var state = { ready: false, failed: false, seq: 0, inFlight: false, queued: null, limit: PAGE, shown: null, focusAt: null };
    worker.postMessage({ type: "load", url: absolute(root.dataset.index), stemmer: absolute(root.dataset.stemmer) });

    function chosenFacets() {
      var out = {};
      facets.forEach(function (select) { if (select.value) out[select.dataset.facet] = select.value; });
      return out;
    }
    function active() { return input.value.trim() !== "" || facets.some(function (s) { return s.value; }); }

    /* One query in flight at a time; while it runs only the newest query waits, so results never trail typing. */
    function search(keepLimit) {
      if (!keepLimit) state.limit = PAGE;
      state.seq += 1;
      var query = { type: "query", seq: state.seq, query: input.value, facets: chosenFacets(), limit: state.limit };
      if (!active()) { state.queued = null; show(null); return; }
      if (state.failed) return;
      if (!state.ready) { meta.textContent = say("search.loading"); }
      if (state.inFlight) { state.queued = query; return; }
      state.inFlight = true;
      worker.postMessage(query);
    }

    worker.onmessage = function (event) {
      var message = event.data;
      if (message.type === "ready") {
        state.ready = true;
      } else if (message.type === "indexed") {
        root.dataset.indexed = message.ms.map(Math.round).join(" ");
      } else if (message.type === "error") {
        state.failed = true;
        meta.textContent = say("search.failed");
      } else if (message.type === "results") {
        state.inFlight = false;
        if (state.queued) {
          var next = state.queued;
          state.queued = null;
          state.inFlight = true;
          worker.postMessage(next);
        }
        if (message.seq === state.seq) show(message);
      }
    };

    function marked(text, ranges) {
      var fragment = document.createDocumentFragment();
      var at = 0;
      ranges.forEach(function (range) {
        if (range[0] > at) fragment.appendChild(document.createTextNode(text.slice(at, range[0])));
        var mark = document.createElement("mark");
        mark.textContent = text.slice(range[0], range[1]);
        fragment.appendChild(mark);
        at = range[1];
      });
      if (at < text.length) fragment.appendChild(document.createTextNode(text.slice(at)));
      return fragment;
    }

    function element(tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text) node.textContent = text;
      return node;
    }

    function item(result) {
      var li = element("li", "md-search-result__item pb-search-item");
      var link = element("a", "md-search-result__link pb-search-link");
      link.href = new URL(result.url, siteRoot).href;
      link.dataset.kind = result.kind;
      link.dataset.id = result.id;
      var article = element("article", "md-search-result__article md-typeset");
      var line = element("div", "pb-search-kinds");
      line.appendChild(element("span", "pb-search-kind", say("kind." + result.kind)));
      if (result.status) {
        line.appendChild(document.createTextNode(" "));
        line.appendChild(element("span", "pb-badge pb-status-" + result.status, say("status." + result.status)));
      }
      article.appendChild(line);
      var title = element("div", "pb-search-title");
      title.appendChild(marked(result.title, result.titleMarks));
      article.appendChild(title);
      if (result.summary) {
        var summary = element("p", "pb-search-summary");
        summary.appendChild(marked(result.summary, result.summaryMarks));
        article.appendChild(summary);
      }
      link.appendChild(article);
      li.appendChild(link);
      return li;
    }

    function show(message) {
      state.shown = message;
      list.textContent = "";
      // What the list answers: a test or benchmark waits for the results of the query it typed.
      list.dataset.query = message ? message.query : "";
      more.hidden = true;
      if (!message) {
        meta.textContent = state.failed ? say("search.failed") : say("search.hint");
        return;
      }
      var total = message.total;
      meta.textContent = total === 0 ? say("search.none") : total === 1 ? say("search.one") : say("search.other", { count: total });
      var fragment = document.createDocumentFragment();
      message.results.forEach(function (result) { fragment.appendChild(item(result)); });
      list.appendChild(fragment);
      if (state.focusAt !== null) {
        var all = links();
        if (all[state.focusAt]) all[state.focusAt].focus();
        state.focusAt = null;
      }
      var left = total - message.results.length;
      if (left > 0) {
        more.hidden = false;
        more.textContent = say("search.more", { count: Math.min(left, PAGE) });
      }
    }

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
    /* Closed, the theme only fades the panel out; hidden, its links also leave the tab order. */
    var panel = root.querySelector(".pb-search-panel");
    function sync() { panel.hidden = !!toggle && !toggle.checked; }
    function open() { if (toggle && !toggle.checked) toggle.checked = true; sync(); }
    function close() {
      if (toggle) toggle.checked = false;
      sync();
      if (root.contains(document.activeElement)) document.activeElement.blur();
    }

    input.addEventListener("input", function () { search(false); });
    input.addEventListener("focus", function () { open(); if (!state.shown) show(null); });
    facets.forEach(function (select) { select.addEventListener("change", function () { search(false); }); });
    more.addEventListener("click", function () {
      // Keep the reader's place: the first new result takes the focus once it is drawn.
      state.focusAt = links().length;
      state.limit += PAGE;
      search(true);
    });
    if (reset) {
      reset.addEventListener("click", function () {
        input.value = "";
        facets.forEach(function (select) { select.value = ""; });
        search(false);
        input.focus();
      });
    }
    root.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      var first = links()[0];
      if (first) first.click();
    });
    // Tabbing on past the search closes it: left open, its panel and the overlay cover the page the
    // focus moved to. A click elsewhere (no element takes the focus) is the theme's to handle.
    root.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (next && !root.contains(next)) { if (toggle) toggle.checked = false; sync(); }
    });
    if (toggle) {
      // The theme's header button (phone width) ticks the toggle: bring the cursor to the box.
      toggle.addEventListener("change", function () { sync(); if (toggle.checked) input.focus(); });
    }

    root.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (event.key === "ArrowDown" && (event.target === input || at >= 0)) {
        event.preventDefault();
        if (all.length) all[Math.min(at + 1, all.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at === 0) input.focus(); else all[at - 1].focus();
      }
    });

    function typing(target) {
      return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ||
        target instanceof HTMLSelectElement || (target && target.isContentEditable);
    }
    // Buttons in pages (the home page's search button) open the box, as "/" does.
    Array.prototype.forEach.call(document.querySelectorAll("[data-playbook-search-open]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        open();
        input.focus();
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (event.key === "/" || event.key === "s") {
        event.preventDefault();
        open();
        input.focus();
        input.select();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
