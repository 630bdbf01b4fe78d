"""Problems are worded from their code and data by the catalog's ``problem.*`` strings, when reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from playbook.check.validate import check
from playbook.data.wording import ENGLISH, Wording, Words
from playbook.i18n import Messages, _catalog
from playbook.site.plugin import _problems_page

PACKAGE = Path(__file__).parent.parent / "playbook"
INVALID = Path(__file__).parent / "fixtures" / "invalid"
CONVERSIONS = ("hint", "join", "value.", "not-ascii.")
"""Strings the conversions themselves use ({x!h}, {x!l}, {x!d}, {x!u}), not a check."""


def keys_in_code() -> tuple[set[str], set[str]]:
    """The ``Words`` keys the package names literally, and the prefixes of those it builds (``f"type.{...}"``)."""
    source = "\n".join(path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py"))
    literal = set(re.findall(r'Words\(\s*"([^"]+)"', source))
    built = set(re.findall(r'Words\(\s*f"([^"{]+)\{', source))
    return literal, built


def catalog_keys() -> set[str]:
    return {key.removeprefix("problem.") for key in _catalog("en") if key.startswith("problem.")}


def test_every_key_the_engine_words_a_problem_with_is_in_the_english_catalog() -> None:
    literal, built = keys_in_code()
    assert len(literal) > 60, "the scan finds the checks' Words"
    assert sorted(literal - catalog_keys()) == []
    assert [prefix for prefix in built if not any(key.startswith(prefix) for key in catalog_keys())] == []


def test_every_problem_string_in_the_catalog_is_used() -> None:
    literal, built = keys_in_code()
    unused = [key for key in catalog_keys()
              if key not in literal and not key.startswith((*built, *CONVERSIONS))]
    assert unused == []


def test_a_value_is_described_and_a_hint_added_by_the_conversions() -> None:
    assert ENGLISH(Words("not-allowed", field="status", value=3, expected="draft, adopted")) == (
        "status: the number 3 is not allowed; expected one of: draft, adopted")
    assert ENGLISH(Words("unknown-field", name="sumary", suggestion="summary")) == (
        "unknown field 'sumary' (did you mean 'summary'?)")
    assert ENGLISH(Words("unknown-field", name="xyz", suggestion=None)) == "unknown field 'xyz'"
    assert ENGLISH(Words("bad-id", field="id", value="gаteway")).endswith(
        "; it contains U+0430 (CYRILLIC SMALL LETTER A), which is not ASCII")


def test_a_nested_wording_is_worded_in_place() -> None:
    answer = Words("answer.missing", question="pii", text="Personal data?",
                   allowed=Words("allowed.yes-no"))
    assert ENGLISH(Words("bad-answer", subject=Words("subject.example", id="chatbot"), answer=answer)) == (
        "example 'chatbot': no answer to 'pii' (Personal data?); expected yes or no")


@pytest.mark.parametrize("case", sorted(p.name for p in INVALID.iterdir() if (p / "expected.txt").is_file()))
def test_every_problem_of_the_invalid_fixtures_is_worded_in_each_shipped_language(case: str) -> None:
    _playbook, problems, _count = check(INVALID / case)
    assert problems
    for language in ("nl", "de", "fr"):
        # The shipped catalogs word problems in English; a language's own strings would take their place.
        assert [Wording(Messages(language))(p.words) for p in problems] == [p.message for p in problems]


def test_the_serve_problems_page_is_in_the_site_language_and_takes_a_playbook_s_own_wording() -> None:
    _playbook, problems, _count = check(INVALID / "unknown-field")
    messages = Messages("nl", {"problem.unknown-field": "onbekend veld '{name}'{suggestion!h}",
                               "problem.hint": " (bedoelt u '{suggestion}'?)"})
    page = _problems_page(problems, messages)
    assert "title: \"Het playbook bevat fouten\"" in page
    assert "# Het playbook bevat fouten" in page
    assert "Herstel de fout en sla op" in page
    listed = BeautifulSoup(page.split("---\n", 2)[2], "html.parser").select_one("pre.playbook-problems")
    assert listed is not None
    assert listed.get_text() == (
        "patterns/llm-gateway.yml:3:1: error: onbekend veld 'sumary' (bedoelt u 'summary'?) [unknown-field]")
