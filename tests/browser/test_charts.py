"""The register's charts on a phone: every chart fits the screen, and so does the table beside it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .geometry import sideways_scroll
from .pages import Site

pytestmark = pytest.mark.browser

CHART_PAGES = ["metrics/", "pilots/"]


@pytest.mark.parametrize("path", CHART_PAGES)
def test_charts_fit_a_phone_screen(phone_page: Page, site: Site, path: str) -> None:
    phone_page.goto(site.url(path))
    # Each pilot's trend is folded: unfold it, as a reader does, to measure its charts.
    phone_page.evaluate("() => document.querySelectorAll('details[data-playbook-pilot-trend]')"
                        ".forEach(d => d.open = true)")
    width = phone_page.viewport_size["width"] if phone_page.viewport_size else 0
    assert width == 390
    boxes = phone_page.evaluate("""() => Array.from(document.querySelectorAll('[data-playbook-chart]')).map(figure => {
        const svg = figure.querySelector('svg').getBoundingClientRect();
        const table = figure.querySelector('table').closest('[role=region]').getBoundingClientRect();
        return {key: figure.dataset.playbookChart, left: svg.left, right: svg.right, width: svg.width,
                height: svg.height, tableLeft: table.left, tableRight: table.right};
    })""")
    assert boxes, f"{path} shows no chart"
    wrong = [b for b in boxes if b["left"] < 0 or b["right"] > width or b["tableLeft"] < 0 or b["tableRight"] > width]
    assert not wrong, f"charts or their tables wider than the {width} px screen: {wrong}"
    # Scaled to the screen, not shrunk to nothing: a chart keeps most of the screen's width and its proportions.
    small = [b for b in boxes if b["width"] < 0.7 * width or b["height"] < 0.3 * b["width"]]
    assert not small, f"charts drawn too small to read: {small}"
    assert sideways_scroll(phone_page) <= 0
