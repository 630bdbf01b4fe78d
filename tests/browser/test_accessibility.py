"""axe-core finds no WCAG 2.2 AA failure on any main page, at desktop and phone width, in the light and
the dark palette; a screenshot of each page's first screen is kept for review.

Screenshots go to test-results/screenshots/<page>.png (light scheme) and <page>-dark.png, 1280 x 900.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import AXE_URL, DESKTOP
from .pages import Site
from .shipped import main_pages

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
"""WCAG 2.0, 2.1 and 2.2 at levels A and AA, whatever the impact axe gives a failure."""
PAGES = main_pages()
WIDTHS = [1280, 390]

AXE_RUN = """async tags => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


def violations(page: Page, axe_script: Path) -> list[dict[str, Any]]:
    """Every WCAG A and AA failure axe finds in the page as it is now laid out (``axe_script``, the fixture, is
    served at ``AXE_URL``)."""
    assert axe_script.is_file()
    if not page.evaluate("() => typeof axe === 'object'"):
        page.add_script_tag(url=AXE_URL)
    return list(page.evaluate(AXE_RUN, WCAG_TAGS))


def describe(found: list[dict[str, Any]]) -> str:
    lines = []
    for v in found:
        targets = ", ".join(v["targets"][:5]) + (f" and {len(v['targets']) - 5} more" if len(v["targets"]) > 5 else "")
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}\n      at {targets}")
    return "\n  ".join(lines)


SCHEMES = {"light": "default", "dark": "slate"}
"""The palette each scheme shows: Material's data-md-color-scheme."""


@pytest.mark.parametrize("name", list(PAGES))
def test_page_meets_wcag_22_aa(page: Page, site: Site, axe_script: Path, screenshots: Path, name: str) -> None:
    """One load per page: light first, then dark through the header's switch, as a reader turns it (the page's
    palette is then the one a browser that prefers dark opens it in: test_a_browser_that_prefers_dark_...)."""
    page.goto(site.url(PAGES[name]))
    problems = []
    try:
        for scheme, palette in SCHEMES.items():
            if scheme == "dark":
                page.get_by_title("Switch to dark mode").click()
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", palette)
            suffix = "" if scheme == "light" else "-dark"
            page.screenshot(path=str(screenshots / f"{name}{suffix}.png"), animations="disabled")
            for width in WIDTHS:
                # One load, two layouts: the phone's is the same page reflowed, as a turned tablet shows it.
                page.set_viewport_size({"width": width, "height": 900 if width > 800 else 844})
                found = violations(page, axe_script)
                if found:
                    problems.append(f"{scheme}, at {width} px:\n  {describe(found)}")
            page.set_viewport_size(DESKTOP)
    finally:
        # The theme keeps the reader's choice for the next pages of the context: the session's page goes back to light.
        page.set_viewport_size(DESKTOP)
        if page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES["dark"]:
            page.get_by_title("Switch to light mode").click()
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES["light"])
    assert not problems, f"{name}: axe found WCAG 2.2 AA failures " + "\n".join(problems)


def test_a_browser_that_prefers_dark_opens_the_dark_palette(dark_page: Page, site: Site) -> None:
    """What a reader whose system is dark gets on their first page: the palette the accessibility tests check."""
    dark_page.goto(site.url())
    expect(dark_page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES["dark"])
