"""assess.js in Node against golden vectors the Python classifier writes, and the scripts' words in every language."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from vectors import write

from playbook.i18n import Messages, languages

NODE_TEST = Path(__file__).with_name("assess.test.js")
SCRIPT_PREFIXES = ("js.", "assess.")
SAME_IN_EVERY_LANGUAGE = {
    "js.share.markdown", "js.share.json", "js.assess.answer", "js.assess.reason", "assess.join.patterns",
    "assess.join.blockers", "js.assess.join.answers", "js.assess.join.options", "js.assess.money",
}
"""Strings that are only placeholders, punctuation or names: they may read as in English."""
ALSO_IN = {"de": {"js.share.link", "js.checklist.team"}, "nl": {"js.share.link", "js.checklist.team"}, "fr": set()}
"""Words that the language spells as English does."""


def missing_tool(message: str) -> None:
    """A missing Node skips on a workstation and fails in CI, where the test must run (as the browser suite does)."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def test_assess_js_classifies_and_words_the_golden_vectors_as_python(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        missing_tool("node not installed (the assess.js vectors run in it): apt-get install nodejs")
    assert node is not None
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    major = int(re.match(r"v(\d+)", version).group(1)) if re.match(r"v(\d+)", version) else 0  # type: ignore[union-attr]
    if major < 20:
        missing_tool(f"node {version} is too old for `node --test`; 20 or later is needed")
    vectors = tmp_path / "vectors.json"
    written = write(vectors)
    # Every note the classifier can give is among the vectors, so none goes unchecked.
    codes = {
        code
        for playbook in written["playbooks"]
        for case in playbook["cases"]
        for note in case["expected"]["notes"]
        for code in [note["code"], *(b["code"] for b in note["params"].get("blockers", []))]
    }
    catalog_codes = {key.removeprefix("assess.note.") for key in Messages().subset("assess.note.")}
    assert codes == catalog_codes
    result = subprocess.run(
        [node, "--test", str(NODE_TEST)], env={**os.environ, "PLAYBOOK_VECTORS": str(vectors)},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"node --test failed:\n{result.stdout}\n{result.stderr}"
    assert re.search(r"^# pass [1-9]", result.stdout, re.MULTILINE) and re.search(r"^# fail 0$", result.stdout,
                                                                                  re.MULTILINE), result.stdout


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


@pytest.mark.parametrize("language", [lang for lang in languages() if lang != "en"])
def test_every_script_string_is_translated_with_the_same_placeholders(language: str) -> None:
    english = {k: v for k, v in Messages("en").strings.items() if k.startswith(SCRIPT_PREFIXES)}
    # A string the language lacks falls back to English, so it shows here as untranslated.
    translated = {k: v for k, v in Messages(language).strings.items() if k.startswith(SCRIPT_PREFIXES)}
    untranslated = [k for k, v in translated.items() if v == english[k]]
    assert set(untranslated) <= SAME_IN_EVERY_LANGUAGE | ALSO_IN[language], language
    for key, text in english.items():
        # A translation may leave out an id the English names, when it names the same thing by its label.
        assert placeholders(translated[key]) <= placeholders(text) | {"tier_name", "status_label"}, key
