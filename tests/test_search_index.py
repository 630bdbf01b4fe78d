"""The search index the site publishes (playbook/search.py): every item, its facets and the pages, from a build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from playbook.check.validate import check
from playbook.site.search import COMMON_MIN_RECORDS, Record, common_words, lead, plain
from sitebuild import REPO, assemble, build

SMALL = REPO / "tests" / "fixtures" / "valid" / "small"


def records_of(site: Path) -> dict[tuple[str, str], dict[str, Any]]:
    index = json.loads((site / "search" / "playbook-index.json").read_text(encoding="utf-8"))
    assert index["version"] == 1
    rows = [dict(zip(index["fields"], r, strict=True)) for r in index["records"]]
    keyed = {(r["kind"], r["id"]): r for r in rows}
    assert len(keyed) == len(rows), "two records share a kind and id"
    return keyed


def test_every_item_is_in_the_index_with_its_facets(default_site: Path) -> None:
    playbook, _problems, _count = check(REPO)
    records = records_of(default_site)
    for pattern in playbook.patterns.values():
        record = records[("pattern", pattern.id)]
        assert (record["title"], record["aliases"], record["summary"]) == (
            pattern.title, pattern.aliases, pattern.summary)
        assert (record["status"], record["tiers"], record["category"]) == (
            pattern.status.value, pattern.tiers, pattern.category)
        assert record["url"] == f"patterns/{pattern.id}/"
    for policy in playbook.policies.values():
        record = records[("policy", policy.id)]
        assert (record["title"], record["aliases"], record["tiers"]) == (policy.title, policy.aliases, policy.tiers)
        assert record["summary"] and record["summary"].split()[0] in policy.statement
        assert (record["status"], record["category"], record["url"]) == ("", "", f"policies/{policy.id}/")
    assert playbook.roadmap is not None
    for step in playbook.roadmap.steps:
        record = records[("step", step.id)]
        assert (record["title"], record["summary"], record["url"]) == (step.title, step.goal, f"rollout/{step.id}/")
    for tier in playbook.tiers:
        record = records[("tier", tier.id)]
        assert (record["title"], record["url"]) == (tier.name, f"risk-tiers/#tier-{tier.id}")
        soup = BeautifulSoup((default_site / "risk-tiers" / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert soup.find(id=f"tier-{tier.id}") is not None, f"no anchor for tier {tier.id}"
    assert playbook.learnings
    for learning in playbook.learnings.values():
        record = records[("learning", learning.id)]
        assert (record["title"], record["status"], record["url"]) == (
            learning.title, learning.status.value, f"learnings/{learning.id}/")
        assert record["summary"] and record["summary"].split()[0] in learning.what_happened
    items = (len(playbook.patterns) + len(playbook.policies) + len(playbook.roadmap.steps) + len(playbook.tiers)
             + len(playbook.learnings))
    assert sum(kind != "page" for kind, _id in records) == items


def test_hand_written_pages_are_found_by_title_and_headings(default_site: Path) -> None:
    records = records_of(default_site)
    tiers_page = records[("page", "risk-tiers")]
    assert tiers_page["title"] == "Risk tiers" and tiers_page["url"] == "risk-tiers/"
    assert "Thresholds" in tiers_page["body"] and "Worked examples" in tiers_page["body"]
    assert records[("page", "index")]["url"] == ""
    # The print page holds every item again and says so in its front matter (search: exclude).
    assert ("page", "print") not in records
    # The tags index is read once the tags plugin has filled it: its headings are tag names.
    assert "category: Capability" in records[("page", "tags")]["body"]


def test_only_the_site_language_stemmer_is_published(default_site: Path) -> None:
    stemmers = default_site / "assets" / "playbook" / "vendor" / "stemmers"
    assert sorted(p.name for p in stemmers.iterdir()) == ["LICENSE.txt", "en.js"]
    assert (default_site / "assets" / "playbook" / "vendor" / "minisearch" / "LICENSE.txt").is_file()
    soup = BeautifulSoup((default_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("[data-playbook-search]")["data-stemmer"] == "assets/playbook/vendor/stemmers/en.js"


@pytest.fixture(scope="module")
def dutch_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = assemble(SMALL, tmp_path_factory.mktemp("nl"))
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: nl"), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_a_dutch_site_searches_in_dutch(dutch_site: Path) -> None:
    index = json.loads((dutch_site / "search" / "playbook-index.json").read_text(encoding="utf-8"))
    assert index["language"] == "nl"
    soup = BeautifulSoup((dutch_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    search = soup.select_one("[data-playbook-search]")
    assert search["data-stemmer"] == "assets/playbook/vendor/stemmers/nl.js"
    assert (dutch_site / search["data-stemmer"]).read_text(encoding="utf-8").endswith('language="dutch";')
    box = search.select_one("[data-playbook-search-input]")
    assert box["placeholder"] == "Zoeken"
    facets = [label.get_text(" ", strip=True).split(" ")[0] for label in search.select(".pb-search-facets label")]
    assert facets == ["Soort", "Risiconiveau", "Status", "Categorie"]


def test_a_language_without_a_stemmer_searches_unstemmed(tmp_path: Path) -> None:
    root = assemble(SMALL, tmp_path)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["language"] == "en"
    text = (root / "mkdocs.yml").read_text(encoding="utf-8").replace("language: en", "language: ja")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("[data-playbook-search]")["data-stemmer"] == ""
    assert sorted(p.name for p in (site / "assets" / "playbook" / "vendor" / "stemmers").iterdir()) == ["LICENSE.txt"]
    # English words for a language the catalog lacks.
    assert soup.select_one("[data-playbook-search-input]")["placeholder"] == "Search"


def test_plain_text_drops_markdown_but_keeps_words() -> None:
    assert plain("Use the **[gateway](../patterns/llm-gateway.md)** and `pin` it.\n\n- one\n- two") == (
        "Use the gateway and pin it. one two")
    assert plain("1. first\n2. second <b>bold</b>") == "first second bold"


def test_lead_is_the_first_sentence_cut_at_a_word() -> None:
    assert lead("Teams must redact **personal** data. Then more.") == "Teams must redact personal data."
    long = "word " * 100
    cut = lead(long, limit=30)
    assert cut.endswith(" …") and len(cut) <= 32 and not cut.removesuffix(" …").endswith(" ")


def test_common_words_are_those_most_records_hold() -> None:
    def record(n: int, title: str) -> Record:
        return Record(kind="policy", id=f"p{n}", title=title, url=f"p{n}/")

    few = [record(n, "Redact data for the audit") for n in range(10)]
    assert common_words(few) == []
    many = [record(n, f"Redact data for topic{n}" if n % 2 else f"Pin models in Zürich{n}")
            for n in range(COMMON_MIN_RECORDS)]
    assert common_words(many) == ["data", "for", "in", "models", "pin", "redact"]
