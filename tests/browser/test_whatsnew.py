"""What's new in a real browser: the story's page (tests/gitstory.py) at desktop and phone width has no serious
accessibility problem, its links lead to the item's page and its history, and every page names the feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from gitstory import Story, needs_git, three_commits
from sitebuild import build

from .conftest import _served, checked_page
from .pages import Site
from .test_accessibility import describe, violations

REPO_URL = "https://git.example.com/acme/playbook"
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not needs_git, reason="git is not installed")]


@pytest.fixture(scope="module")
def story_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Story, Site]]:
    # Not github.com: for a GitHub repo_url, the theme asks api.github.com for the repository's stars.
    story = three_commits(tmp_path_factory.mktemp("whatsnew") / "playbook", repo_url=REPO_URL)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 10, tzinfo=dt.UTC).timestamp())))
        result = build(story.root)
    assert result.returncode == 0, result.stdout + result.stderr
    with _served(story.root) as site:
        yield story, site


@pytest.mark.parametrize("width", [1280, 390])
def test_whats_new_reads_well_and_leads_to_each_item(browser: Browser, story_site: tuple[Story, Site],
                                                    axe_script: Path, screenshots: Path, width: int) -> None:
    story, site = story_site
    with checked_page(browser, site) as page:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site.url("whats-new/"))
        page.screenshot(path=str(screenshots / f"whats-new-{width}.png"), full_page=True, animations="disabled")
        found = violations(page, axe_script)
        assert not found, f"whats-new at {width} px: axe found serious or critical problems:\n  {describe(found)}"
        # Nothing is wider than the page: the phone reader scrolls down, never sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        entry = page.locator('li[data-playbook-item="pattern:agent-guardrails"]')
        assert entry.locator("time").inner_text() == "2026-10-15"
        entry.get_by_role("link", name="Guardrails for AI agents that use tools").click()
        page.wait_for_url("**/patterns/agent-guardrails/")
        history = page.locator("[data-playbook-history]")
        assert history.inner_text().startswith("Adopted on 2026-10-15 (trial since 2026-09-01)")
        assert history.locator("a").get_attribute("href") == f"{REPO_URL}/commit/{story.adopted}"

        feed = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
        response = page.request.get(page.evaluate("href => new URL(href, location.href).href",
                                                  feed.get_attribute("href")))
        assert response.ok and response.text().startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed')
