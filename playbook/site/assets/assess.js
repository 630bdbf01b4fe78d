/* Self-service risk assessment: the browser twin of playbook/assess/classify.py and playbook/assess/explain.py.
   Thresholds and the review order come from the JSON the page embeds (framework/risk-tiers.yml), every word
   from messages.js (the catalog in the site's language, and its say). Node loads the same file to check
   Python's golden vectors, each language's messages.js beside it. */
(function (factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else api.start();
})(function () {
  "use strict";

  function number(data, value) {
    return Number(value).toLocaleString(data.messages.language);
  }

  function share(data, fraction) {
    return new Intl.NumberFormat(data.messages.language, { style: "percent", maximumFractionDigits: 1 }).format(fraction);
  }

  function lighter(data, path, than) {
    return data.reviewOrder.indexOf(path) < data.reviewOrder.indexOf(than);
  }

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

  function note(code, params) { return { code: code, params: params || {} }; }

  function blockersOf(data, tier, fired, builtOn, customParts) {
    var byId = {}, blockers = [];
    data.patterns.forEach(function (p) { byId[p.id] = p; });
    builtOn.forEach(function (pid) {
      var p = byId[pid];
      if (!p) { blockers.push(note("unknown-pattern", { pattern: pid })); return; }
      if (p.status === "deprecated") {
        blockers.push(p.superseded_by ? note("deprecated-for", { pattern: pid, successor: p.superseded_by })
          : note("deprecated", { pattern: pid }));
      } else if (p.status !== "adopted") {
        blockers.push(note("not-adopted", { pattern: pid, status: p.status }));
      }
      if (p.tiers.indexOf(tier.id) < 0) blockers.push(note("not-approved", { pattern: pid, tier: tier.id, tier_name: tier.name }));
    });
    if (customParts) blockers.push(note("custom-parts"));
    fired.forEach(function (r) { if (r.fast_track === false) blockers.push(note("full-review", { rule: r.id })); });
    return blockers;
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
      var blockers = blockersOf(data, tier, fired, builtOn, customParts);
      if (!tier.fast_track || !lighter(data, tier.fast_track, review)) {
        notes.push(note("no-lighter-path", { tier: tier.id, tier_name: tier.name }));
        /* The fast track is moot, but a deprecated part still needs its successor named. */
        blockers.forEach(function (b) { if (b.code === "deprecated" || b.code === "deprecated-for") notes.push(b); });
      } else if (blockers.length) {
        notes.push(note("no-fast-track", { blockers: blockers }));
      } else {
        fast = true;
        notes.push(note("fast-track", { tier: tier.id, tier_name: tier.name, patterns: builtOn.slice(),
          from: tier.review, to: tier.fast_track }));
        review = tier.fast_track;
      }
    }
    return { tier: tier, review: review, reasons: reasons, fast_track: fast, notes: notes };
  }

  /* A note in the page's language: the twin of playbook/explain.py's note_text. */
  function noteText(data, item) {
    var say = data.messages.say;
    var wording = data.wording, values = {};
    Object.keys(item.params).forEach(function (name) {
      var value = item.params[name];
      if (Array.isArray(value)) {
        values[name] = value.map(function (v) { return typeof v === "string" ? v : noteText(data, v); })
          .join(say(wording.join + name));
      } else {
        values[name] = String(value);
        if (Object.prototype.hasOwnProperty.call(wording.labels, name)) {
          values[name + "_label"] = say(wording.labels[name] + value);
        }
      }
    });
    return say(wording.note + item.code, values);
  }

  /* The twin of playbook/explain.py's describe. */
  function describe(data, result) {
    return {
      review: data.messages.say("review." + result.review),
      notes: result.notes.map(function (n) { return noteText(data, n); })
    };
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
    var say = data.messages.say;
    var q = data.questions.filter(function (x) { return x.id === qid; })[0];
    if (!q) return String(value);
    var label = function (v) {
      var o = q.options.filter(function (x) { return x.id === v; })[0];
      return o ? o.label : v;
    };
    var shown;
    if (q.type === "yes_no") shown = say(value ? "js.assess.yes" : "js.assess.no");
    else if (q.type === "amount") {
      shown = q.currency ? say("js.assess.money", { currency: q.currency, amount: number(data, value) }) : number(data, value);
    } else if (q.type === "multi_choice") {
      shown = value.length ? value.map(label).join(say("js.assess.join.options")) : say("js.assess.none");
    } else shown = label(value);
    return say("js.assess.answer", { question: q.text, answer: shown });
  }

  function resultObject(data, state, result) {
    var tierId = result.tier.id, words = describe(data, result);
    return {
      tier: tierId,
      tier_name: result.tier.name,
      review: result.review,
      review_label: words.review,
      audit_sampling: result.tier.audit_sampling,
      turnaround: result.tier.turnaround,
      fast_track: result.fast_track,
      reasons: result.reasons,
      notes: words.notes,
      note_details: result.notes,
      policies: data.policies.filter(function (p) { return p.tiers.indexOf(tierId) >= 0; }).map(function (p) { return p.id; }),
      patterns: data.patterns.filter(function (p) { return p.tiers.indexOf(tierId) >= 0 && p.status !== "deprecated"; })
        .map(function (p) { return p.id; }),
      answers: state.answers,
      built_on: state.builtOn,
      custom_parts: state.customParts
    };
  }

  function asMarkdown(data, obj) {
    var say = data.messages.say;
    var lines = ["## " + say("js.assess.md.title"), "",
      "- " + say("js.assess.md.tier", { tier: obj.tier_name, id: obj.tier }),
      "- " + say("js.assess.md.review", { review: obj.review_label }),
      "- " + say("js.assess.md.sampling", { share: share(data, obj.audit_sampling) }), ""];
    lines.push("### " + say("js.assess.why"));
    if (!obj.reasons.length) lines.push("- " + say("js.assess.no-threshold"));
    obj.reasons.forEach(function (r) { lines.push("- " + r.description + " (`" + r.rule + "`)"); });
    obj.notes.forEach(function (n) { lines.push("- " + n); });
    lines.push("", "### " + say("js.assess.md.answers"));
    data.questions.forEach(function (q) {
      if (q.id in obj.answers) lines.push("- " + describeAnswer(data, q.id, obj.answers[q.id]));
    });
    if (obj.built_on.length) {
      lines.push("- " + say("js.assess.md.built-on", { patterns: obj.built_on.join(say("assess.join.patterns")) }));
    }
    lines.push("", say("js.assess.md.policies", { policies: obj.policies.join(say("assess.join.patterns")) }));
    return lines.join("\n") + "\n";
  }

  function render(root, data, state, result) {
    var say = data.messages.say;
    var panel = root.querySelector(".pb-result");
    panel.textContent = "";
    var complete = state.missing.length === 0;
    panel.dataset.tier = result.tier.id;
    panel.dataset.review = result.review;
    panel.dataset.complete = complete ? "yes" : "no";
    panel.appendChild(el("h2", complete ? result.tier.name : say("js.assess.so-far", { tier: result.tier.name }),
      "pb-result-tier"));
    if (!complete) {
      panel.appendChild(el("p", say("js.assess.answered", {
        answered: number(data, data.questions.length - state.missing.length),
        total: number(data, data.questions.length),
        next: state.missing[0].text
      }), "pb-result-missing"));
    }
    var obj = resultObject(data, state, result);
    var facts = el("ul", undefined, "pb-result-facts");
    facts.appendChild(el("li", say("js.assess.review", { review: obj.review_label }), "pb-result-review"));
    facts.appendChild(el("li", say("js.assess.sampling", { share: share(data, result.tier.audit_sampling) })));
    facts.appendChild(el("li", say("js.assess.turnaround", { turnaround: result.tier.turnaround })));
    panel.appendChild(facts);
    panel.appendChild(el("h3", say("js.assess.why")));
    var why = el("ul", undefined, "pb-result-reasons");
    if (!result.reasons.length) why.appendChild(el("li", say("js.assess.no-threshold")));
    result.reasons.forEach(function (r) {
      var tierName = data.tiers.filter(function (t) { return t.id === r.tier; })[0].name;
      var li = el("li", say("js.assess.reason", { description: r.description, tier: tierName }));
      li.dataset.rule = r.rule;
      var parts = Object.keys(r.answers).map(function (q) { return describeAnswer(data, q, r.answers[q]); });
      li.appendChild(el("span", say("js.assess.because", { answers: parts.join(say("js.assess.join.answers")) }),
        "pb-muted"));
      why.appendChild(li);
    });
    obj.notes.forEach(function (n) { why.appendChild(el("li", n, "pb-result-note")); });
    panel.appendChild(why);
    [["js.assess.policies", obj.policies, data.policies], ["js.assess.patterns", obj.patterns, data.patterns]]
      .forEach(function (section) {
        panel.appendChild(el("h3", say(section[0])));
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

  function copy(root, data, text, what) {
    var say = data.messages.say;
    var status = root.querySelector(".pb-share-status");
    var out = root.querySelector(".pb-share-out");
    var name = say(what);
    out.hidden = false;
    out.value = text;
    var fallback = function () { out.select(); status.textContent = say("js.share.fallback", { what: name }); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        status.textContent = say("js.share.copied", { what: name });
      }, fallback);
    } else {
      fallback();
    }
  }

  function init() {
    var root = document.querySelector(".pb-assess");
    var source = document.getElementById("pb-assess-data");
    if (!root || !source) return;
    var data = JSON.parse(source.textContent);
    /* The words and their filler: messages.js, which every page loads before the scripts. */
    data.messages = window.playbookMessages;
    var say = data.messages.say;
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
    root.querySelector(".pb-copy-link").addEventListener("click", function () {
      copy(root, data, location.href, "js.share.link");
    });
    root.querySelector(".pb-copy-md").addEventListener("click", function () {
      copy(root, data, asMarkdown(data, current), "js.share.markdown");
    });
    root.querySelector(".pb-copy-json").addEventListener("click", function () {
      copy(root, data, JSON.stringify(current, null, 2), "js.share.json");
    });
    root.querySelector(".pb-print").addEventListener("click", function () { window.print(); });

    var initial = fromQuery(data, location.search);
    if (initial.any) writeAnswers(form, data, initial.answers, initial.builtOn, initial.customParts);
    var known = data.patterns.map(function (p) { return p.id; });
    var unknown = initial.builtOn.filter(function (id) { return known.indexOf(id) < 0; });
    if (unknown.length) {
      root.querySelector(".pb-share-status").textContent = say("js.assess.unknown-patterns",
        { patterns: unknown.join(say("assess.join.patterns")) });
    }
    update();
    window.playbookAssessment = { classify: function (answers, builtOn, customParts) {
      var r = classify(data, answers, builtOn || [], !!customParts);
      return resultObject(data, { answers: answers, builtOn: builtOn || [], customParts: !!customParts }, r);
    }, current: function () { return current; } };
  }

  function start() {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
  }

  return { classify: classify, describe: describe, noteText: noteText, start: start };
});
