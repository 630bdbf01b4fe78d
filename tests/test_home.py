"""The home page's front door: a card per reader's task, each on its page, and key figures from the data."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from playbook.check.validate import check
from playbook.data.model.items import Status
from playbook.i18n import Messages
from playbook.register.key_figures import key_figures
from playbook.register.metrics import business_days
from playbook.site.pages.home import task_cards
from sitebuild import REPO

PLAYBOOK = check(REPO)[0]
CARD_PAGES = {
    "build": "assessment.md", "find": "standards.md", "pilot": "rollout/index.md", "team": "contributing.md",
}


def expected_figures(today: dt.date) -> tuple[int, int, int, float | None]:
    """Adopted patterns, cases requested in today's quarter, and the median business days to a decision,
    worked out here from the YAML."""
    quarter = (today.month - 1) // 3
    this_quarter = [c for c in PLAYBOOK.usecases.values()
                    if c.requested.year == today.year and (c.requested.month - 1) // 3 == quarter]
    decided = [business_days(c.requested, c.decided) for c in PLAYBOOK.usecases.values() if c.decided is not None]
    adopted = sum(p.status is Status.adopted for p in PLAYBOOK.patterns.values())
    return adopted, len(PLAYBOOK.patterns), len(this_quarter), statistics.median(decided) if decided else None


@pytest.mark.parametrize("today", [dt.date(2026, 8, 20), dt.date(2026, 10, 1), dt.date(2027, 1, 2)])
def test_key_figures_count_from_the_register(today: dt.date) -> None:
    figures = key_figures(PLAYBOOK, today)
    adopted, patterns, this_quarter, median = expected_figures(today)
    assert (figures.adopted, figures.patterns, figures.this_quarter, figures.median_days) == \
        (adopted, patterns, this_quarter, median)
    assert figures.quarter == (today.month - 1) // 3 + 1 and figures.year == today.year


def test_the_shipped_register_fills_this_quarter() -> None:
    """The example register has cases in the quarter the test cases above look at, so the counts mean something."""
    assert key_figures(PLAYBOOK, dt.date(2026, 10, 1)).this_quarter > 0
    assert key_figures(PLAYBOOK, dt.date(2027, 1, 2)).this_quarter == 0


def cards(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {li["data-playbook-task"]: li.select_one(".pb-task-title a")["href"]
            for li in soup.select("[data-playbook-tasks] li[data-playbook-task]")}


def test_the_whats_new_card_shows_once_its_page_is_built() -> None:
    built = {"assessment.md", "standards.md", "rollout/index.md", "contributing.md"}

    def url_of(pages: set[str]) -> object:
        return lambda src: f"../{src}" if src in pages else None

    assert cards(task_cards(Messages("en"), url_of(built))) == {k: f"../{p}" for k, p in CARD_PAGES.items()}
    for page in ("whats-new.md", "whats-new/index.md"):
        shown = cards(task_cards(Messages("en"), url_of(built | {page})))
        assert shown["news"] == f"../{page}"
    # A playbook without a rollout page has no pilot card, rather than a broken link.
    assert "pilot" not in cards(task_cards(Messages("en"), url_of(built - {"rollout/index.md"})))


def test_home_page_routes_each_reader_and_shows_the_figures(default_site: Path) -> None:
    soup = BeautifulSoup((default_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    found = {li["data-playbook-task"]: li.select_one("a")["href"]
             for li in soup.select("[data-playbook-tasks] li[data-playbook-task]")}
    # The built site has no page of recent changes yet: its card is left out.
    news = (default_site / "whats-new" / "index.html").exists()
    assert set(found) == set(CARD_PAGES) | ({"news"} if news else set())
    for key, page in CARD_PAGES.items():
        target = page.removesuffix(".md").removesuffix("index").rstrip("/") + "/"
        assert found[key] == target, key
        assert (default_site / target / "index.html").is_file()
    assert soup.select_one("[data-playbook-search-open]") is not None
    figures = {li["data-playbook-figure"]: li.select_one(".pb-figure-value").get_text()
               for li in soup.select("[data-playbook-figures] li")}
    adopted, _patterns, this_quarter, median = expected_figures(dt.date.today())
    assert figures["adopted"] == str(adopted)
    assert figures["quarter"] == str(this_quarter)
    assert figures["median"] == ("—" if median is None else f"{median:g} day" + ("" if median == 1 else "s"))
