"""Each engine's build of the generated tree, in Chromium: the item pages, search through its test hooks, the
assessment, a checklist and the register work, and no page asks another host for anything.

The sites are built once per session (tests/conftest.py, ``browsed_engine_site``): ProperDocs 1.6.7 with Material
9.8.1, and Zensical 0.0.73, each in a virtualenv without our package. MkDocs 1.6.1 builds ProperDocs' site byte for
byte but the generator line (tests/test_engines.py): its site is not driven again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from enginesites import EngineSite
from findability import HOOKS, TOP, answered, open_box, spread

from .conftest import _served, checked_page
from .pages import Site, assessment_result
from .shipped import PLAYBOOK, example_cases, highest_example

pytestmark = [pytest.mark.engines, pytest.mark.browser]

MAIN_PAGES = ["", "standards/", "policies/", "risk-tiers/", "assessment/", "decision-rights/", "rollout/", "pilots/",
              "usecases/", "metrics/", "tags/", "print/", "contributing/"]


@pytest.fixture(scope="session")
def engine_served(browsed_engine_site: EngineSite) -> Iterator[tuple[str, Site]]:
    """The engine's site on 127.0.0.1, with the engine's name."""
    with _served(browsed_engine_site.tree) as site:
        yield browsed_engine_site.engine, site


def test_an_item_page_opens_with_its_title(engine_served: tuple[str, Site], browser: Browser) -> None:
    """One item page as a reader opens it; tests/test_engines.py finds every item's page, with its title, in every
    engine's site."""
    engine, site = engine_served
    pattern = sorted(PLAYBOOK.patterns.values(), key=lambda p: p.id)[0]
    with checked_page(browser, site) as page:
        page.goto(site.url(f"patterns/{pattern.id}/"))
        expect(page.locator("article h1"), engine).to_contain_text(pattern.title)


def test_an_exact_title_is_in_the_first_results(engine_served: tuple[str, Site], browser: Browser) -> None:
    engine, site = engine_served
    patterns = sorted(PLAYBOOK.patterns.values(), key=lambda p: p.id)
    cases = [(p.title, f"patterns/{p.id}/") for p in spread(patterns, 3)]
    cases += [(p.title, f"policies/{p.id}/") for p in spread(sorted(PLAYBOOK.policies.values(), key=lambda p: p.id), 2)]
    with checked_page(browser, site) as page:
        page.goto(site.url())
        box = open_box(page, HOOKS)
        for title, target in cases:
            links = answered(page, box, HOOKS.results, title, 10_000)
            assert links is not None, f"{engine}: no results for {title!r}"
            assert site.url(target) in links[:TOP], f"{engine}: {title!r} wants {target}, first {TOP}: {links[:TOP]}"


@pytest.mark.parametrize("width", [390])
def test_search_opens_from_the_header_at_phone_width(engine_served: tuple[str, Site], browser: Browser,
                                                     width: int, screenshots: Path) -> None:
    engine, site = engine_served
    pattern = sorted(PLAYBOOK.patterns.values(), key=lambda p: p.id)[0]
    with checked_page(browser, site) as page:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site.url())
        box = page.locator("[data-playbook-search-input]")
        expect(box).not_to_be_in_viewport()
        page.locator("header label[for=__search]").first.click()
        expect(box).to_be_in_viewport()
        links = answered(page, box, HOOKS.results, pattern.title, 10_000)
        assert links is not None and site.url(f"patterns/{pattern.id}/") in links[:TOP], links
        first = page.locator("[data-playbook-search-results] a").first
        expect(first).to_be_in_viewport()
        page.screenshot(path=str(screenshots / f"engine-{engine}-search-{width}.png"))


def test_the_assessment_gives_each_worked_example_its_tier(engine_served: tuple[str, Site], browser: Browser) -> None:
    """Answers in the address, as a shared link brings them, then every worked example through the page's own
    chooser (tests/browser/test_assessment.py loads each one's address on the plugin's site)."""
    engine, site = engine_served
    examples = example_cases()
    assert examples, "the playbook has no worked example"
    highest = highest_example()
    wrong = []
    with checked_page(browser, site) as page:
        page.goto(site.url(f"assessment/?{highest.query()}"))
        from_address = assessment_result(page)
        expected = {case.name: tier for case, tier in examples}[highest.name]
        if (from_address["tier"], from_address["complete"]) != (expected, "yes"):
            wrong.append(f"{highest.name} from the address: {from_address}, not {expected}")
        for case, expected_tier in examples:
            page.locator("select.pb-example").select_option(case.name)
            result = assessment_result(page)
            if (result["tier"], result["complete"]) != (expected_tier, "yes"):
                wrong.append(f"{case.name}: {result}, not {expected_tier}")
    assert not wrong, f"{engine}: " + "; ".join(wrong)


def test_a_checklist_tick_survives_a_reload(engine_served: tuple[str, Site], browser: Browser) -> None:
    _engine, site = engine_served
    assert PLAYBOOK.roadmap is not None
    step = PLAYBOOK.roadmap.steps[0]
    with checked_page(browser, site) as page:
        page.goto(site.url(f"rollout/{step.id}/"))
        boxes = page.locator("input.pb-check")
        expect(boxes).to_have_count(len(step.checklist))
        item = step.checklist[0].id
        page.locator(f'input.pb-check[data-item="{item}"]').check()
        page.reload()
        expect(page.locator(f'input.pb-check[data-item="{item}"]')).to_be_checked()
        page.goto(site.url("rollout/"))
        expect(page.locator(f'input.pb-check[data-item="{item}"]')).to_be_checked()


def test_the_register_lists_every_use_case(engine_served: tuple[str, Site], browser: Browser) -> None:
    _engine, site = engine_served
    count = len(PLAYBOOK.usecases)
    assert count > 0
    with checked_page(browser, site) as page:
        page.goto(site.url("usecases/"))
        expect(page.locator(".pb-register")).to_have_attribute("data-ready", "yes")
        expect(page.locator(".pb-register-status")).to_have_text(f"1–{min(count, 50)} of {count} use cases")
        page.locator(".pb-register-rows a").first.click()
        page.wait_for_url("**/usecases/*/")


def test_no_main_page_asks_another_host_for_anything(engine_served: tuple[str, Site], browser: Browser,
                                                     screenshots: Path) -> None:
    """``checked_page`` fails the test on any request off 127.0.0.1, console error or uncaught exception."""
    engine, site = engine_served
    with checked_page(browser, site) as page:
        for url in MAIN_PAGES:
            response = page.goto(site.url(url))
            assert response is not None and response.ok, f"{engine}: {url}"
            if url == "assessment/":
                page.screenshot(path=str(screenshots / f"engine-{engine}-assessment-1280.png"))
