"""What a reader sees in the first second, measured: the header at desktop width, every main page on a phone.

Geometry, not class names: boxes of visible elements, the page's width against the screen's, the
lines a word's text lands on, the size of each tap target.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .geometry import (
    header_defects,
    overflowing_cells,
    sideways_scroll,
    small_tap_targets,
    split_words,
    summary,
    tables_losing_first_column,
    visible_icons,
)
from .pages import Site
from .shipped import main_pages

pytestmark = pytest.mark.browser

PAGES = main_pages()
PHONE_WIDTHS = [360, 390]
"""The narrow end and the common width of phones held upright, in CSS pixels."""
CONTENT = "article"
HEADER = "[data-playbook-header]"


@pytest.mark.parametrize("width", [1280, 1024])
def test_header_search_shows_one_icon_and_nothing_sticks_out(page: Page, site: Site, width: int) -> None:
    """At desktop width the search box shows its magnifier and nothing else, and the header's items
    stay inside the header without covering each other (a stray back-arrow once hung under the box)."""
    page.set_viewport_size({"width": width, "height": 900})
    try:
        page.goto(site.url(PAGES["pattern"]))
        icons = visible_icons(page, "[data-playbook-search]")
        found = header_defects(page)
        if len(icons) != 1:
            found.insert(0, f"the search box shows {len(icons)} icons before typing: " + "; ".join(icons))
        assert not found, f"at {width} px:\n  " + summary(found)
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_header_fits_a_phone(phone_page: Page, site: Site) -> None:
    phone_page.goto(site.url(PAGES["pattern"]))
    for width in PHONE_WIDTHS:
        phone_page.set_viewport_size({"width": width, "height": 844})
        found = header_defects(phone_page)
        assert not found, f"at {width} px:\n  " + summary(found)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_reads_on_a_phone(phone_page: Page, site: Site, name: str) -> None:
    """No sideways scrolling, no word split over two lines, wide tables scroll in their own box with
    the first column in view, and every tap target at least 24 x 24 px (WCAG 2.2, 2.5.8)."""
    phone_page.goto(site.url(PAGES[name]))
    problems = []
    for width in PHONE_WIDTHS:
        phone_page.set_viewport_size({"width": width, "height": 844})
        wider = sideways_scroll(phone_page)
        if wider > 0:
            problems.append(f"at {width} px the page scrolls sideways by {wider} px")
        for check in (split_words, overflowing_cells, tables_losing_first_column):
            problems += [f"at {width} px {found}" for found in check(phone_page, CONTENT)]
        problems += [f"at {width} px {found}" for found in small_tap_targets(phone_page, f":is({CONTENT}, {HEADER})")]
    phone_page.set_viewport_size({"width": 390, "height": 844})
    assert not problems, f"{name} ({PAGES[name]}):\n  " + summary(problems, 20)
