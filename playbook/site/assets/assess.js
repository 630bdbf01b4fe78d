/* Self-service risk assessment: the browser twin of playbook/classify.py.
   All thresholds come from the JSON the page embeds (framework/risk-tiers.yml). */
(function () {
  "use strict";

  var REVIEW_ORDER = ["none", "self-service", "fast-track", "central"];

  function holds(cond, answer) {
    if (answer === undefined || answer === null) return false;
    if (cond.equals !== undefined && cond.equals !== null) return answer === cond.equals;
    if (cond["in"] !== undefined && cond["in"] !== null) return cond["in"].indexOf(answer) >= 0;
    if (cond.any_of !== undefined && cond.any_of !== null) {
      return Array.isArray(answer) && answer.some(function (a) { return cond.any_of.indexOf(a) >= 0; });
    }
    if (cond.at_least !== undefined && cond.at_least !== null) return typeof answer === "number" && answer >= cond.at_least;
    return false;
  }

  /* Same contract as classify(): answers already typed; builtOn pattern ids; customParts bool. */
  function classify(data, answers, builtOn, customParts) {
    var order = {};
    data.tiers.forEach(function (t, i) { order[t.id] = i; });
    var fired = data.rules.filter(function (rule) {
      return rule.when.every(function (c) { return holds(c, answers[c.question]); });
    });
    fired.sort(function (a, b) {
      var x = order[a.tier] === undefined ? -1 : order[a.tier];
      var y = order[b.tier] === undefined ? -1 : order[b.tier];
      return y - x;
    });
    var tier = data.tiers[0];
    if (fired.length && order[fired[0].tier] !== undefined) tier = data.tiers[order[fired[0].tier]];
    var reasons = fired.map(function (r) {
      var used = {};
      r.when.forEach(function (c) { if (c.question in answers) used[c.question] = answers[c.question]; });
      return { rule: r.id, description: r.description, tier: r.tier, answers: used };
    });
    var review = tier.review, notes = [], fast = false;
    if (builtOn.length) {
      var byId = {};
      data.patterns.forEach(function (p) { byId[p.id] = p; });
      var blockers = [];
      builtOn.forEach(function (pid) {
        var p = byId[pid];
        if (!p) { blockers.push("'" + pid + "' is not a playbook pattern"); return; }
        if (p.status === "deprecated") {
          blockers.push("'" + pid + "' is deprecated" + (p.superseded_by ? "; use '" + p.superseded_by + "' instead" : ""));
        } else if (p.status !== "adopted") {
          blockers.push("'" + pid + "' is " + p.status + ", not adopted");
        }
        if (p.tiers.indexOf(tier.id) < 0) blockers.push("'" + pid + "' is not approved for tier '" + tier.id + "'");
      });
      if (customParts) blockers.push("parts of the solution are not playbook patterns");
      fired.forEach(function (r) {
        if (r.fast_track === false) blockers.push("threshold '" + r.id + "' always takes the full review");
      });
      if (!tier.fast_track || REVIEW_ORDER.indexOf(tier.fast_track) >= REVIEW_ORDER.indexOf(review)) {
        notes.push("tier '" + tier.id + "' has no lighter path for solutions built on patterns");
      } else if (blockers.length) {
        notes.push("no fast track: " + blockers.join("; "));
      } else {
        fast = true;
        review = tier.fast_track;
        notes.push("fast track: every part is an adopted pattern approved for tier '" + tier.id + "' (" +
          builtOn.join(", ") + "), so review drops from " + data.reviewLabels[tier.review].toLowerCase() +
          " to " + data.reviewLabels[review].toLowerCase());
      }
      var last = notes[notes.length - 1];
      blockers.forEach(function (b) { if (b.indexOf("deprecated") >= 0 && last.indexOf(b) < 0) notes.push(b); });
    }
    return { tier: tier, review: review, reasons: reasons, fast_track: fast, notes: notes };
  }

  function readAnswers(form, data) {
    var answers = {}, missing = [];
    data.questions.forEach(function (q) {
      var name = "q-" + q.id, value;
      if (q.type === "yes_no" || q.type === "choice") {
        var picked = form.querySelector('input[name="' + name + '"]:checked');
        if (picked) value = q.type === "yes_no" ? picked.value === "yes" : picked.value;
      } else if (q.type === "amount") {
        var raw = form.querySelector('input[name="' + name + '"]').value.trim();
        if (raw !== "" && !isNaN(Number(raw)) && Number(raw) >= 0) value = Number(raw);
      } else {
        var ticked = Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'),
          function (el) { return el.value; });
        /* "None of these" (value "") is an answer; nothing ticked is not. */
        if (ticked.indexOf("") >= 0) value = [];
        else if (ticked.length) value = ticked;
      }
      if (value === undefined) missing.push(q); else answers[q.id] = value;
    });
    var builtOn = Array.prototype.map.call(form.querySelectorAll('input[name="built-on"]:checked'),
      function (el) { return el.value; });
    var custom = form.querySelector('input[name="custom-parts"]').checked;
    return { answers: answers, missing: missing, builtOn: builtOn, customParts: custom };
  }

  function writeAnswers(form, data, answers, builtOn, customParts) {
    form.reset();
    data.questions.forEach(function (q) {
      var name = "q-" + q.id, value = answers[q.id];
      if (value === undefined) return;
      if (q.type === "amount") {
        form.querySelector('input[name="' + name + '"]').value = String(value);
      } else if (q.type === "multi_choice") {
        form.querySelectorAll('input[name="' + name + '"]').forEach(function (el) {
          el.checked = el.value === "" ? value.length === 0 : value.indexOf(el.value) >= 0;
        });
      } else {
        var want = q.type === "yes_no" ? (value ? "yes" : "no") : value;
        form.querySelectorAll('input[name="' + name + '"]').forEach(function (el) { el.checked = el.value === want; });
      }
    });
    form.querySelectorAll('input[name="built-on"]').forEach(function (el) { el.checked = builtOn.indexOf(el.value) >= 0; });
    form.querySelector('input[name="custom-parts"]').checked = !!customParts;
  }

  function fromQuery(data, search) {
    var params = new URLSearchParams(search), answers = {};
    data.questions.forEach(function (q) {
      if (!params.has(q.id)) return;
      var raw = params.get(q.id);
      if (q.type === "yes_no") answers[q.id] = raw === "yes";
      else if (q.type === "amount") answers[q.id] = Number(raw);
      else if (q.type === "multi_choice") answers[q.id] = raw ? raw.split(",") : [];
      else answers[q.id] = raw;
    });
    var builtOn = params.get("built-on") ? params.get("built-on").split(",") : [];
    return { answers: answers, builtOn: builtOn, customParts: params.get("custom-parts") === "yes", any: Array.from(params.keys()).length > 0 };
  }

  function toQuery(data, state) {
    var params = new URLSearchParams();
    data.questions.forEach(function (q) {
      var v = state.answers[q.id];
      if (v === undefined) return;
      params.set(q.id, q.type === "yes_no" ? (v ? "yes" : "no") : Array.isArray(v) ? v.join(",") : String(v));
    });
    if (state.builtOn.length) params.set("built-on", state.builtOn.join(","));
    if (state.customParts) params.set("custom-parts", "yes");
    return params.toString();
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function link(href, text) {
    var a = el("a", text);
    a.href = href;
    return a;
  }

  function describeAnswer(data, qid, value) {
    var q = data.questions.filter(function (x) { return x.id === qid; })[0];
    if (!q) return String(value);
    var label = function (v) {
      var o = q.options.filter(function (x) { return x.id === v; })[0];
      return o ? o.label : v;
    };
    if (q.type === "yes_no") return q.text + " " + (value ? "Yes" : "No");
    if (q.type === "amount") return q.text + " " + (q.currency ? q.currency + " " : "") + value.toLocaleString("en-US");
    if (q.type === "multi_choice") return q.text + " " + value.map(label).join(", ");
    return q.text + " " + label(value);
  }

  function resultObject(data, state, result) {
    var tierId = result.tier.id;
    return {
      tier: tierId,
      tier_name: result.tier.name,
      review: result.review,
      review_label: data.reviewLabels[result.review],
      audit_sampling: result.tier.audit_sampling,
      turnaround: result.tier.turnaround,
      fast_track: result.fast_track,
      reasons: result.reasons,
      notes: result.notes,
      policies: data.policies.filter(function (p) { return p.tiers.indexOf(tierId) >= 0; }).map(function (p) { return p.id; }),
      patterns: data.patterns.filter(function (p) { return p.tiers.indexOf(tierId) >= 0 && p.status !== "deprecated"; })
        .map(function (p) { return p.id; }),
      answers: state.answers,
      built_on: state.builtOn,
      custom_parts: state.customParts
    };
  }

  function asMarkdown(data, obj) {
    var lines = ["## AI risk self-assessment", "", "- **Tier:** " + obj.tier_name + " (`" + obj.tier + "`)",
      "- **Review path:** " + obj.review_label, "- **Audit sampling:** " + Math.round(obj.audit_sampling * 1000) / 10 + "%", ""];
    lines.push("### Why");
    if (!obj.reasons.length) lines.push("- No threshold crossed");
    obj.reasons.forEach(function (r) { lines.push("- " + r.description + " (`" + r.rule + "`)"); });
    obj.notes.forEach(function (n) { lines.push("- " + n); });
    lines.push("", "### Answers");
    data.questions.forEach(function (q) {
      if (q.id in obj.answers) lines.push("- " + describeAnswer(data, q.id, obj.answers[q.id]));
    });
    if (obj.built_on.length) lines.push("- Built on: " + obj.built_on.join(", "));
    lines.push("", "Policies that apply: " + obj.policies.join(", "));
    return lines.join("\n") + "\n";
  }

  function render(root, data, state, result) {
    var panel = root.querySelector(".pb-result");
    panel.textContent = "";
    var complete = state.missing.length === 0;
    panel.dataset.tier = result.tier.id;
    panel.dataset.review = result.review;
    panel.dataset.complete = complete ? "yes" : "no";
    var head = el("h2", (complete ? "" : "So far: at least ") + result.tier.name, "pb-result-tier");
    panel.appendChild(head);
    if (!complete) {
      panel.appendChild(el("p", "Answered " + (data.questions.length - state.missing.length) + " of " +
        data.questions.length + " questions. Next: " + state.missing[0].text, "pb-result-missing"));
    }
    var facts = el("ul", undefined, "pb-result-facts");
    facts.appendChild(el("li", "Review path: " + data.reviewLabels[result.review], "pb-result-review"));
    facts.appendChild(el("li", "Audit sampling: " + Math.round(result.tier.audit_sampling * 1000) / 10 + "% of decisions"));
    facts.appendChild(el("li", "Target turnaround: " + result.tier.turnaround));
    panel.appendChild(facts);
    panel.appendChild(el("h3", "Why"));
    var why = el("ul", undefined, "pb-result-reasons");
    if (!result.reasons.length) why.appendChild(el("li", "No threshold crossed: the lowest tier applies."));
    result.reasons.forEach(function (r) {
      var tierName = data.tiers.filter(function (t) { return t.id === r.tier; })[0].name;
      var li = el("li", r.description + " → " + tierName + ". ");
      li.dataset.rule = r.rule;
      var parts = Object.keys(r.answers).map(function (q) { return describeAnswer(data, q, r.answers[q]); });
      li.appendChild(el("span", "Because: " + parts.join("; "), "pb-muted"));
      why.appendChild(li);
    });
    result.notes.forEach(function (n) { why.appendChild(el("li", n, "pb-result-note")); });
    panel.appendChild(why);
    var obj = resultObject(data, state, result);
    [["Policies that apply", obj.policies, data.policies], ["Patterns approved for this tier", obj.patterns, data.patterns]]
      .forEach(function (section) {
        panel.appendChild(el("h3", section[0]));
        var list = el("ul");
        section[1].forEach(function (id) {
          var item = section[2].filter(function (x) { return x.id === id; })[0];
          var li = el("li");
          li.appendChild(link(item.url, item.title));
          list.appendChild(li);
        });
        panel.appendChild(list);
      });
    return obj;
  }

  function copy(root, text, what) {
    var status = root.querySelector(".pb-share-status");
    var out = root.querySelector(".pb-share-out");
    out.hidden = false;
    out.value = text;
    var done = function () { status.textContent = what + " copied."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { out.select(); status.textContent = what + " is in the box below: copy it from there."; });
    } else {
      out.select();
      status.textContent = what + " is in the box below: copy it from there.";
    }
  }

  function init() {
    var root = document.querySelector(".pb-assess");
    var source = document.getElementById("pb-assess-data");
    if (!root || !source) return;
    var data = JSON.parse(source.textContent);
    var form = root.querySelector(".pb-assess-form");
    var current = null, state = null;

    function update() {
      state = readAnswers(form, data);
      var result = classify(data, state.answers, state.builtOn, state.customParts);
      current = render(root, data, state, result);
      var query = toQuery(data, state);
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    form.addEventListener("change", function (event) {
      var box = event.target;
      var fieldset = box.closest('[data-type="multi_choice"]');
      if (fieldset && box.checked) {
        /* "None of these" and the options exclude each other. */
        fieldset.querySelectorAll("input").forEach(function (other) {
          if (other !== box && (box.value === "" || other.value === "")) other.checked = false;
        });
      }
      update();
    });
    form.addEventListener("input", update);
    form.addEventListener("reset", function () { setTimeout(update, 0); });
    root.querySelector(".pb-example").addEventListener("change", function (event) {
      var example = data.examples.filter(function (e) { return e.id === event.target.value; })[0];
      if (!example) return;
      var answers = {};
      data.questions.forEach(function (q) {
        if (q.id in example.answers) answers[q.id] = q.type === "amount" ? Number(example.answers[q.id]) : example.answers[q.id];
      });
      var select = event.target.value;
      writeAnswers(form, data, answers, example.patterns || [], false);
      root.querySelector(".pb-example").value = select;
      update();
    });
    root.querySelector(".pb-copy-link").addEventListener("click", function () { copy(root, location.href, "Link"); });
    root.querySelector(".pb-copy-md").addEventListener("click", function () { copy(root, asMarkdown(data, current), "Markdown"); });
    root.querySelector(".pb-copy-json").addEventListener("click", function () { copy(root, JSON.stringify(current, null, 2), "JSON"); });
    root.querySelector(".pb-print").addEventListener("click", function () { window.print(); });

    var initial = fromQuery(data, location.search);
    if (initial.any) writeAnswers(form, data, initial.answers, initial.builtOn, initial.customParts);
    var known = data.patterns.map(function (p) { return p.id; });
    var unknown = initial.builtOn.filter(function (id) { return known.indexOf(id) < 0; });
    if (unknown.length) {
      root.querySelector(".pb-share-status").textContent = "The link names patterns this playbook does not have, " +
        "left out: " + unknown.join(", ") + ".";
    }
    update();
    window.playbookAssessment = { classify: function (answers, builtOn, customParts) {
      var r = classify(data, answers, builtOn || [], !!customParts);
      return resultObject(data, { answers: answers, builtOn: builtOn || [], customParts: !!customParts }, r);
    }, current: function () { return current; } };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
