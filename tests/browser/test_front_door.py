"""The home page as a new reader meets it: search and a card per task above the fold, each card one tap away."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .pages import Site, heading
from .shipped import PLAYBOOK, cited_pattern

pytestmark = pytest.mark.browser

FOLD = 900
"""The bottom of the first screen at 1280 x 900."""


def test_search_and_every_task_card_are_above_the_fold(page: Page, site: Site) -> None:
    page.goto(site.url())
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll(
        '[data-playbook-search-open], [data-playbook-task]')).map(el => {
          const r = el.getBoundingClientRect();
          return [el.dataset.playbookTask || 'search', r.top + scrollY, r.bottom + scrollY, r.width, r.height];
        })""")
    names = [name for name, *_ in boxes]
    assert names[0] == "search" and {"build", "find", "pilot", "team"} <= set(names[1:]), names
    below = [f"{name} at {top:.0f}-{bottom:.0f}" for name, top, bottom, width, height in boxes
             if bottom > FOLD or width < 1 or height < 1]
    assert not below, f"not whole on the first screen (0-{FOLD} px): {below}"


@pytest.mark.parametrize(("task", "path"), [("build", "assessment/"), ("find", "standards/"), ("pilot", "rollout/"),
                                            ("team", "contributing/")])
def test_a_tap_anywhere_on_a_card_opens_its_page(page: Page, site: Site, task: str, path: str) -> None:
    page.goto(site.url())
    card = page.locator(f"[data-playbook-task={task}]")
    # Below the title, on the card's own text: the title's link covers the whole card.
    box = card.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] - 6)
    expect(page).to_have_url(site.url(path))


def test_the_search_button_opens_the_search(page: Page, site: Site) -> None:
    pattern, _policy = cited_pattern()
    page.goto(site.url())
    page.locator("[data-playbook-search-open]").click()
    box = page.locator("[data-playbook-search-input]")
    expect(box).to_be_focused()
    box.press_sequentially(pattern.title)
    first = page.locator("[data-playbook-search-results] a").first
    expect(first).to_have_attribute("href", site.url(f"patterns/{pattern.id}/"))
    first.click()
    assert heading(page) == pattern.title


def test_the_search_button_opens_the_search_on_a_phone(phone_page: Page, site: Site) -> None:
    phone_page.goto(site.url())
    box = phone_page.locator("[data-playbook-search-input]")
    expect(box).not_to_be_in_viewport()
    phone_page.locator("[data-playbook-search-open]").click()
    expect(box).to_be_in_viewport()
    expect(box).to_be_focused()
    phone_page.keyboard.press("Escape")


def test_key_figures_link_to_where_they_come_from(page: Page, site: Site) -> None:
    page.goto(site.url())
    links = page.locator("[data-playbook-figures] a")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert PLAYBOOK.usecases, "the shipped playbook has a register"
    assert hrefs == ["standards/", "usecases/", "metrics/"]
    links.nth(1).click()
    assert heading(page) == "Use-case register"
