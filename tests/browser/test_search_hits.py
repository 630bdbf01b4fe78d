"""Findability: an item's exact title, its id or an alias it alone has puts it in the first results.

Through the search's test hooks only (``data-playbook-search-input``, ``data-playbook-search-results``),
on a synthetic 1,000 patterns + 2,000 policies playbook and the Dutch and German fixtures. On the shipped playbook
every one of these names must find its item (test_search_and_navigation.py). These tests count hits;
benchmarks/search.py measures speed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from findability import HOOKS, TOP, Query, answered, each_answered, matches, open_box, queries, spread
from playbook.check.validate import check

from .conftest import checked_page
from .pages import Site
from .shipped import REPO

pytestmark = pytest.mark.browser

HIT_RATE = 0.98
"""The share of queries that must find their item in the first TOP results (issue 15)."""
SYNTHETIC_QUERIES = 40
"""Queries spread over the large synthetic playbook: enough to see a failing ranking, few enough to stay quick."""
CAP_MS = 8_000
"""How long a query may take to show results at all."""
FIXTURES = REPO / "tests" / "fixtures" / "valid"


def hits(page: Page, site: Site, cases: list[Query]) -> tuple[list[Query], list[str]]:
    """The queries whose item was in the first TOP results, and a line for each that was not."""
    page.goto(site.url())
    box = open_box(page, HOOKS)
    # The first query typed through Playwright, the rest in one script in the page, as Playwright types them.
    first = answered(page, box, HOOKS.results, cases[0].text, CAP_MS) if cases else None
    answers = [first, *each_answered(page, HOOKS, [case.text for case in cases[1:]], CAP_MS)]
    found, misses = [], []
    for case, links in zip(cases, answers, strict=True):
        if links is None:
            misses.append(f"{case.label()}: no results within {CAP_MS} ms")
        elif any(matches(href, site.base, case.target) for href in links[:TOP]):
            found.append(case)
        else:
            shown = ", ".join(link.removeprefix(site.base) for link in links[:TOP]) or "no results"
            misses.append(f"{case.label()}: wanted {case.target}, first {TOP}: {shown}")
    return found, misses


def assert_hit_rate(cases: list[Query], found: list[Query], misses: list[str]) -> None:
    assert cases, "no queries: the playbook has no items"
    rate = len(found) / len(cases)
    assert rate >= HIT_RATE, (
        f"{len(found)} of {len(cases)} queries ({rate:.1%}) found their item in the first {TOP} results; "
        f"at least {HIT_RATE:.0%} must:\n  " + "\n  ".join(misses)
    )


@pytest.fixture(scope="session")
def synthetic_large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic playbook of 1,000 patterns and 2,000 policies, written once a session."""
    out = tmp_path_factory.mktemp("synthetic") / "synthetic-1000-2000"
    subprocess.run([sys.executable, "-m", "playbook", "synth", "--patterns", "1000", "--policies", "2000",
                    "--out", str(out)], check=True, capture_output=True)
    return out


def test_a_sample_of_a_large_synthetic_playbook(synthetic_large: Path, other_sites: Callable[[Path], Site],
                                               browser: Browser) -> None:
    playbook, _problems, _count = check(synthetic_large)
    cases = spread(queries(playbook), SYNTHETIC_QUERIES)
    site = other_sites(synthetic_large)
    with checked_page(browser, site) as page:
        found, misses = hits(page, site, cases)
    assert_hit_rate(cases, found, misses)


@pytest.mark.parametrize("language", ["nl", "de"])
def test_every_item_of_a_fixture_in_its_language(language: str, other_sites: Callable[[Path], Site],
                                                 browser: Browser) -> None:
    data = FIXTURES / language
    playbook, problems, _count = check(data)
    assert not [p for p in problems if p.severity == "error"], problems
    cases = queries(playbook)
    site = other_sites(data)
    with checked_page(browser, site) as page:
        assert page.goto(site.url()) is not None
        assert page.locator("html").get_attribute("lang") == language
        found, misses = hits(page, site, cases)
    assert_hit_rate(cases, found, misses)
