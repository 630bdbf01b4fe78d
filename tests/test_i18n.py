"""The site in the organisation's language: a Dutch playbook's site carries no English word of ours.

The fixture ``tests/fixtures/site-nl`` is a playbook written in Dutch whose pages call every macro, so
any English label on its site can only come from the engine.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import string
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree

from pagetext import read_page, words
from playbook.check.validate import check
from playbook.export.formats import export_csv_files
from playbook.i18n import Messages, _catalog
from playbook.site.generated import site_exports
from sitebuild import REPO, build

FIXTURE = REPO / "tests" / "fixtures" / "site-nl"
SHIPPED = ("nl", "de", "fr")
OURS = ("site.", "kind.", "status.", "review.", "control.", "whatsnew.", "home.", "standards.")
"""The keys this suite holds to the rule; the browser scripts' words (js.*, assess.*) are tested with them."""
OVERRIDE = ("site.pattern.when_to_use", "Wanneer inzetten")
"""A string the fixture's mkdocs.yml overrides under the playbook plugin's ``strings:``."""
ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
"""Attributes whose text a reader meets: screen readers speak them, browsers show them."""


def playbook_in(language: str, target: Path) -> Path:
    """The Dutch fixture at ``target`` with ``theme.language`` set to ``language``."""
    shutil.copytree(FIXTURE, target)
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  language: nl\n" in text
    config.write_text(text.replace("  language: nl\n", f"  language: {language}\n"), encoding="utf-8")
    return target


def built(language: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = playbook_in(language, tmp_path_factory.mktemp(f"site-{language}") / "pb")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def dutch_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built("nl", tmp_path_factory)


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same Dutch content with the engine's words in English: proof that the detector below finds them."""
    return built("en", tmp_path_factory)


def ours(language: str) -> dict[str, str]:
    return {key: text for key, text in Messages(language).strings.items() if key.startswith(OURS)}


def placeholders(text: str) -> set[str]:
    return {field for _literal, field, _spec, _conversion in string.Formatter().parse(text) if field}


@pytest.mark.parametrize("language", SHIPPED)
def test_each_language_words_every_string_of_ours_with_the_same_placeholders(language: str) -> None:
    english = {k: v for k, v in _catalog("en").items() if k.startswith(OURS)}
    translated = _catalog(language)
    assert sorted(set(english) - set(translated)) == []
    assert sorted(k for k in translated if k.startswith(OURS) and k not in english) == []
    assert [k for k in english if placeholders(english[k]) != placeholders(translated[k])] == []


def english_fragments(language: str) -> dict[str, str]:
    """Pieces of our English strings that a page in ``language`` must not show: fragment -> its key.

    A string whose translation is the same word (Status, Filter) cannot be told apart and is left out, and
    so are fragments shorter than four characters between placeholders (" of " is a Dutch word too).
    """
    english, translated = ours("en"), ours(language)
    fragments = {}
    for key, text in english.items():
        if key.startswith("site.csv.") or translated[key] == text:
            continue
        literals = [literal.strip(" :;,.()") for literal, *_rest in string.Formatter().parse(text)]
        for literal in literals:
            if len(literal) >= 4 or (literal and literal == text):
                fragments[literal] = key
    return fragments


def reader_text(page: Path) -> str:
    """Everything a reader sees or hears on a page: its text, title and the attributes read out."""
    document = read_page(page)
    spoken = [value for element in document.iter(etree.Element) if element.tag not in ("script", "style")
              for name, value in element.attrib.items() if name in ATTRIBUTES]
    return " ".join([*words(document), *spoken])


def labels_on(site: Path, fragments: dict[str, str]) -> dict[str, list[str]]:
    """Page -> the English fragments it shows, matched as whole words."""
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(fragments, key=len, reverse=True))) + r")(?!\w)")
    found = {}
    for page in sorted(site.rglob("*.html")):
        hits = sorted(set(pattern.findall(reader_text(page))))
        if hits:
            found[page.relative_to(site).as_posix()] = hits
    return found


def test_a_dutch_site_shows_no_english_label_of_ours(dutch_site: Path) -> None:
    fragments = english_fragments("nl")
    assert len(fragments) > 120
    assert labels_on(dutch_site, fragments) == {}


def test_the_detector_finds_our_english_labels_on_the_same_content_in_english(english_site: Path) -> None:
    found = labels_on(english_site, english_fragments("nl"))
    every = {hit for hits in found.values() for hit in hits}
    assert {"When not to use", "Policies that cite this pattern", "Exceptions", "Review path", "Copy as pilot YAML",
            "Decisions that stay central", "Start from a worked example", "Outcome metrics"} <= every
    assert {"patterns/llm-gateway/index.html", "print/index.html", "assessment/index.html"} <= set(found)


def test_the_dutch_site_says_it_is_dutch(dutch_site: Path) -> None:
    for page in ("index.html", "patterns/llm-gateway/index.html", "rollout/fundament/index.html"):
        soup = BeautifulSoup((dutch_site / page).read_text(encoding="utf-8"), "html.parser")
        assert soup.html is not None and soup.html.get("lang") == "nl", page


def article_text(site: Path, page: str) -> str:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    for permalink in soup.select("a.headerlink"):
        permalink.decompose()
    article = soup.select_one("article")
    assert article is not None
    return " ".join(article.get_text(" ").split())


def test_the_dutch_site_is_worded_in_dutch_around_the_content_as_written(dutch_site: Path) -> None:
    pattern = article_text(dutch_site, "patterns/llm-gateway/index.html")
    for wording in ("Goedgekeurd voor", "Wanneer niet te gebruiken", "Beleidsregels die naar dit patroon verwijzen",
                  "Persoonsgegevens maskeren voordat ze het bedrijf verlaten", "Eén toegang tot elk taalmodel"):
        assert wording in pattern
    step = article_text(dutch_site, "rollout/fundament/index.html")
    assert "Stap 1: Fundament" in step and "Eigenaar: Hoofd AI" in step
    pilots = article_text(dutch_site, "pilots/index.html")
    assert "Let op: voorbij de einddatum (2025-04-04)" in pilots
    assert "achter: volgens de data hoort de pilot bij stap 3 (Opschalen), hij is bij stap 1" in pilots
    deprecated = article_text(dutch_site, "patterns/direct-api/index.html")
    assert "Begin geen nieuw werk met dit patroon. Gebruik in plaats daarvan LLM-gateway" in deprecated


def test_amounts_take_the_languages_digit_groups(dutch_site: Path, english_site: Path) -> None:
    """The threshold of 50000 euro, as each language writes the number."""
    assert "ten minste EUR 50.000" in article_text(dutch_site, "risk-tiers/index.html")
    assert "at least EUR 50,000" in article_text(english_site, "risk-tiers/index.html")


def test_a_playbook_overrides_any_string_in_its_config(dutch_site: Path) -> None:
    key, text = OVERRIDE
    assert Messages("nl")(key) != text
    config = yaml.safe_load((FIXTURE / "mkdocs.yml").read_text(encoding="utf-8"))
    assert {"playbook": {"strings": {key: text}}} in config["plugins"]
    page = article_text(dutch_site, "patterns/llm-gateway/index.html")
    assert text in page and Messages("nl")(key) not in page


def test_a_string_missing_in_a_language_falls_back_to_english_alone() -> None:
    messages = Messages("nl-BE", {"site.fact.owner": "Baas"})
    assert messages("site.fact.owner") == "Baas"
    assert messages("site.fact.category") == "Categorie"
    assert Messages("xx")("site.fact.category") == "Category"


@pytest.mark.parametrize(("language", "one", "two", "zero"), [
    ("en", "1 business day", "2 business days", "0 business days"),
    ("nl", "1 werkdag", "2 werkdagen", "0 werkdagen"),
    ("de", "1 Arbeitstag", "2 Arbeitstage", "0 Arbeitstage"),
    ("fr", "1 jour ouvré", "2 jours ouvrés", "0 jour ouvré"),
])
def test_a_count_of_one_takes_the_singular_in_each_language(language: str, one: str, two: str, zero: str) -> None:
    messages = Messages(language)
    said = [messages(messages.counted("usecase.metrics.days", n), days=n) for n in (1, 2, 0)]
    assert said == [one, two, zero]


def test_an_organisations_own_wording_is_not_undone_by_our_singular() -> None:
    """A playbook that words the plural itself keeps its words for one too, until it words the singular."""
    own = Messages("en", {"usecase.metrics.days": "{days} working day(s)"})
    assert own(own.counted("usecase.metrics.days", 1), days=1) == "1 working day(s)"
    both = Messages("en", {"usecase.metrics.days": "{days} workdays", "usecase.metrics.days.one": "{days} workday"})
    assert both(both.counted("usecase.metrics.days", 1), days=1) == "1 workday"
    # A language the catalogs lack is English throughout, its singular too.
    assert Messages("xx").counted("usecase.metrics.days", 1) == "usecase.metrics.days.one"


def test_the_published_csv_files_are_headed_in_the_site_language(dutch_site: Path) -> None:
    playbook, _problems, _count = check(FIXTURE)
    cli = export_csv_files(playbook)
    for name, english in cli.items():
        published = (dutch_site / "exports" / name).read_text(encoding="utf-8")
        header, *rows = list(csv.reader(io.StringIO(published)))
        fields, *cli_rows = list(csv.reader(io.StringIO(english)))
        assert header == [Messages("nl")(f"site.csv.{field}") for field in fields], name
        assert rows == cli_rows, name
    assert "titel" in (dutch_site / "exports" / "patterns.csv").read_text(encoding="utf-8").splitlines()[0]
    # An English site publishes the very bytes `playbook export` writes.
    english_exports = site_exports(playbook, Messages("en"))
    assert {name: english_exports[f"exports/{name}"] for name in cli} == cli
