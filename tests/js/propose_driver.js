/* Runs propose.js on the inputs Python gives and prints what it writes, for tests/js/test_propose_js.py:
   node propose_driver.js INPUT.json MESSAGES.js. The input holds the form's data, candidate ids, and text
   for the YAML writer; the output holds each id's refusal (or "") and each text as quote, scalar and block. */
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const [inputFile, messagesFile] = process.argv.slice(2);
const page = { window: {} };
vm.runInNewContext(fs.readFileSync(messagesFile, "utf8"), page);
global.window = page.window;
const propose = require(path.join(__dirname, "..", "..", "playbook", "site", "assets", "propose.js"));

const input = JSON.parse(fs.readFileSync(inputFile, "utf8"));
const output = {
  ids: input.ids.map((id) => propose.idProblem(input.data, id)),
  texts: input.texts.map((text) => ({
    quote: propose.quote(text), scalar: propose.scalar(text), block: propose.block(text),
  })),
  months: input.months.map(([day, months]) => propose.addMonths(day, months)),
};
process.stdout.write(JSON.stringify(output));
