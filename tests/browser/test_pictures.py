"""Pictures of the pages people would rather look at than read about, at desktop and phone width.

Every run saves the first screen of each to test-results/screenshots/<page>-<width>.png. With
PLAYBOOK_README_PICTURES=1 (``make screenshots``) the ones the README shows are also written, small
(a 128-colour palette PNG), to screenshots/ in the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from .geometry import sideways_scroll
from .pages import Site, assessment_result
from .shipped import REPO, cited_pattern, highest_example

pytestmark = pytest.mark.browser

PICTURES = {
    "home": "",
    "pattern": f"patterns/{cited_pattern()[0].id}/",
    "assessment": f"assessment/?{highest_example().query()}",
    "register": "usecases/",
    "metrics": "metrics/",
}
README = REPO / "screenshots"
"""Where the README's pictures are kept."""
IN_README = {("home", 1280), ("assessment", 1280), ("register", 390)}
"""The pictures the README shows."""


def small_png(source: Path, target: Path) -> None:
    """The screenshot as a 128-colour palette PNG: a tenth to a half of its size, its text as sharp."""
    with Image.open(source) as image:
        palette = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        palette.save(target, optimize=True)


@pytest.mark.parametrize("name", list(PICTURES))
def test_picture_of_the_first_screen(request: pytest.FixtureRequest, site: Site, screenshots: Path, name: str) -> None:
    for fixture, width in (("page", 1280), ("phone_page", 390)):
        page: Page = request.getfixturevalue(fixture)
        page.goto(site.url(PICTURES[name]))
        expect(page.locator("article h1").first).to_be_visible()
        if name == "assessment":
            # The answers came with the address: the picture shows the result they give.
            result = page.locator(".pb-result")
            if width < 800:
                # On a phone the result follows the questions: the picture starts at its heading.
                result.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 60)")
            expect(result).to_be_in_viewport()
            assert assessment_result(page)["complete"] == "yes"
        if name == "register":
            expect(page.locator("[data-ready=yes]")).to_have_count(1)
        assert sideways_scroll(page) == 0, f"{name} scrolls sideways at {width} px"
        shot = screenshots / f"{name}-{width}.png"
        page.screenshot(path=str(shot), animations="disabled")
        with Image.open(shot) as image:
            assert image.width == width
        if os.environ.get("PLAYBOOK_README_PICTURES") == "1" and (name, width) in IN_README:
            README.mkdir(exist_ok=True)
            small_png(shot, README / f"{name}-{width}.png")
