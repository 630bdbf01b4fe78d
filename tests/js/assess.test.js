/* assess.js against the golden vectors Python wrote (tests/js/vectors.py), without a browser:
   PLAYBOOK_VECTORS=vectors.json node --test tests/js/assess.test.js */
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const test = require("node:test");

const assess = require(path.join(__dirname, "..", "..", "playbook", "site", "assets", "assess.js"));

const file = process.env.PLAYBOOK_VECTORS;
if (!file) throw new Error("set PLAYBOOK_VECTORS to the file tests/js/vectors.py writes");
const vectors = JSON.parse(fs.readFileSync(file, "utf8"));

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
    assert.deepStrictEqual(Object.keys(playbook.catalogs).sort(), ["de", "en", "fr", "nl"]);
  }
});

for (const playbook of vectors.playbooks) {
  test(`assess.js classifies and words as Python does: ${playbook.name}`, () => {
    const wrong = [];
    for (const vector of playbook.cases) {
      const diff = differences(playbook.data, playbook.catalogs, vector);
      if (diff.length) wrong.push(`${vector.name} ${JSON.stringify(vector.answers)} built on ${vector.built_on}` +
        ` custom ${vector.custom_parts}:\n    ${diff.join("\n    ")}`);
    }
    assert.equal(wrong.length, 0, `${wrong.length} of ${playbook.cases.length} cases differ; the first ones:\n` +
      wrong.slice(0, 5).join("\n"));
  });
}

test("a template's placeholders and doubled braces read as Python's str.format reads them", () => {
  assert.equal(assess.format("{a} of {b} {{literal}} {missing}", { a: "1", b: "2" }), "1 of 2 {literal} {missing}");
});
