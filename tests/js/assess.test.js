/* assess.js against the golden vectors Python wrote (tests/js/vectors.py), without a browser:
   PLAYBOOK_VECTORS=vectors.json node --test tests/js/assess.test.js */
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const test = require("node:test");
const vm = require("node:vm");

const assess = require(path.join(__dirname, "..", "..", "playbook", "site", "assets", "assess.js"));

const file = process.env.PLAYBOOK_VECTORS;
if (!file) throw new Error("set PLAYBOOK_VECTORS to the file tests/js/vectors.py writes");
const vectors = JSON.parse(fs.readFileSync(file, "utf8"));

/* A language's messages.js as the site serves it, run on its own: window.playbookMessages, with its say. */
function messagesOf(source) {
  const page = { window: {} };
  vm.runInNewContext(source, page);
  return page.window.playbookMessages;
}

/* Each way the script's result differs from Python's, named by field. */
function differences(data, catalogs, vector) {
  const want = vector.expected;
  const result = assess.classify(data, vector.answers, vector.built_on, vector.custom_parts);
  const got = {
    tier: result.tier.id,
    review: result.review,
    rules: result.reasons.map((r) => r.rule),
    fast_track: result.fast_track,
    note_codes: result.notes.map((n) => n.code),
    notes: result.notes,
  };
  const out = [];
  for (const key of Object.keys(got)) {
    try {
      assert.deepStrictEqual(got[key], want[key]);
    } catch (error) {
      out.push(`${key}: script ${JSON.stringify(got[key])} != python ${JSON.stringify(want[key])}`);
    }
  }
  for (const [language, messages] of Object.entries(catalogs)) {
    const worded = assess.describe({ ...data, messages }, result);
    try {
      assert.deepStrictEqual(worded, want.worded[language]);
    } catch (error) {
      out.push(`${language}: script ${JSON.stringify(worded)} != python ${JSON.stringify(want.worded[language])}`);
    }
  }
  return out;
}

test("the vectors cover every language and a few hundred cases", () => {
  assert.ok(vectors.playbooks.length > 0);
  for (const playbook of vectors.playbooks) {
    assert.ok(playbook.cases.length >= 200, `${playbook.name}: ${playbook.cases.length} cases`);
    assert.deepStrictEqual(Object.keys(playbook.messages_js).sort(), ["de", "en", "fr", "nl"]);
  }
});

for (const playbook of vectors.playbooks) {
  test(`assess.js classifies and words as Python does: ${playbook.name}`, () => {
    const catalogs = Object.fromEntries(Object.entries(playbook.messages_js).map(([language, source]) =>
      [language, messagesOf(source)]));
    const wrong = [];
    for (const vector of playbook.cases) {
      const diff = differences(playbook.data, catalogs, vector);
      if (diff.length) wrong.push(`${vector.name} ${JSON.stringify(vector.answers)} built on ${vector.built_on}` +
        ` custom ${vector.custom_parts}:\n    ${diff.join("\n    ")}`);
    }
    assert.equal(wrong.length, 0, `${wrong.length} of ${playbook.cases.length} cases differ; the first ones:\n` +
      wrong.slice(0, 5).join("\n"));
  });
}

test("say reads placeholders and doubled braces as Python's str.format does, and shows a missing key as itself", () => {
  const messages = messagesOf(vectors.playbooks[0].messages_js.en);
  messages.strings["test.template"] = "{a} of {b} {{literal}} {missing}";
  assert.equal(messages.say("test.template", { a: "1", b: 2 }), "1 of 2 {literal} {missing}");
  assert.equal(messages.say("test.template"), "{a} of {b} {literal} {missing}");
  assert.equal(messages.say("test.no-such-key", { a: "1" }), "test.no-such-key");
});
