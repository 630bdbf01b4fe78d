"""Finding and moving around: the playbook's search, links between items, tags and the catalog filter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from findability import HOOKS, each_answered, open_box

from .conftest import Watch
from .pages import Site, heading
from .shipped import PLAYBOOK, cited_pattern, search_cases

pytestmark = pytest.mark.browser

TOP_RESULTS = 3
"""A pattern searched for by name must be among this many results: a reader looks no further."""


RESULTS = "[data-playbook-search-results] a"
"""The result links: the search's test hooks, not the theme's class names."""


def search_for(page: Page, query: str) -> None:
    """Focus the box with the keyboard shortcut and type the query, its last letter as a key press."""
    page.keyboard.press("/")
    box = page.locator("[data-playbook-search-input]")
    expect(box).to_be_focused()
    box.fill(query[:-1])
    box.press_sequentially(query[-1])


def wait_for_result(page: Page, wanted: str, query: str, top: int = TOP_RESULTS) -> None:
    """Wait until a link to ``wanted`` is among the first ``top`` results, or fail naming what is shown."""
    try:
        page.wait_for_function(
            """([selector, wanted, top]) => Array.from(document.querySelectorAll(selector)).slice(0, top)
                .some(a => a.href.includes(wanted))""",
            arg=[RESULTS, wanted, top], timeout=10_000,
        )
    except Exception:
        shown = page.eval_on_selector_all(RESULTS, "links => links.map(a => a.href)")
        pytest.fail(f"searching for {query!r}: {wanted} is not in the first {top} results: {shown[:5]}")


@pytest.mark.parametrize(("how", "query", "pattern_id"), search_cases(),
                         ids=[f"{how}-{pid}" for how, _q, pid in search_cases()])
def test_search_finds_the_pattern(page: Page, site: Site, how: str, query: str, pattern_id: str) -> None:
    page.goto(site.url())
    search_for(page, query)
    wanted = f"patterns/{pattern_id}/"
    wait_for_result(page, wanted, f"{query} ({how})")
    page.locator(RESULTS).filter(has_text=PLAYBOOK.patterns[pattern_id].title).first.click()
    expect(page).to_have_url(re.compile(re.escape(site.url(wanted))))
    assert heading(page) == PLAYBOOK.patterns[pattern_id].title


def test_every_item_is_found_first_by_its_title_id_and_unique_aliases(page: Page, site: Site) -> None:
    """The issue's promise on the shipped playbook: typing a name puts the item among the first three."""
    items: list[tuple[str, str, list[str]]] = []
    items += [(f"patterns/{p.id}/", p.id, [p.title, p.id, *p.aliases]) for p in PLAYBOOK.patterns.values()]
    items += [(f"policies/{p.id}/", p.id, [p.title, p.id, *p.aliases]) for p in PLAYBOOK.policies.values()]
    items += [(f"rollout/{s.id}/", s.id, [s.title]) for s in (PLAYBOOK.roadmap.steps if PLAYBOOK.roadmap else [])]
    items += [(f"risk-tiers/#tier-{t.id}", t.id, [t.name]) for t in PLAYBOOK.tiers]
    names: dict[str, int] = {}
    for _url, _id, queries in items:
        for query in {q.casefold() for q in queries}:
            names[query] = names.get(query, 0) + 1
    cases = [(url, query) for url, _id, queries in items for query in dict.fromkeys(queries)
             # An alias two items share finds both; the promise is for names of one item.
             if names[query.casefold()] == 1]
    page.goto(site.url())
    open_box(page, HOOKS)
    answers = each_answered(page, HOOKS, [query for _url, query in cases], 5_000)
    misses = [f"{query!r} -> {url}: {'no results' if links is None else links[:TOP_RESULTS]}"
              for (url, query), links in zip(cases, answers, strict=True)
              if links is None or not any(url in href for href in links[:TOP_RESULTS])]
    assert len(cases) > 100
    assert not misses, "not in the first 3 results:\n" + "\n".join(misses)


def test_results_show_kind_status_and_highlighted_summary(page: Page, site: Site) -> None:
    pattern, _policy = cited_pattern()
    page.goto(site.url())
    search_for(page, pattern.title)
    wait_for_result(page, f"patterns/{pattern.id}/", pattern.title, top=1)
    first = page.locator(RESULTS).first
    expect(first.locator(".pb-search-kind")).to_have_text("Pattern")
    expect(first.locator(f".pb-status-{pattern.status.value}")).to_have_text(pattern.status.value.capitalize())
    expect(first.locator(".pb-search-summary")).to_have_text(pattern.summary)
    marked = {m.lower() for m in first.locator(".pb-search-title mark").all_text_contents()}
    assert marked and marked <= {w.lower() for w in re.findall(r"\w+", pattern.title)}, marked


def test_keyboard_opens_moves_through_and_closes_the_results(page: Page, site: Site) -> None:
    policy = sorted(PLAYBOOK.policies.values(), key=lambda p: p.id)[0]
    page.goto(site.url())
    page.keyboard.press("s")
    box = page.locator("[data-playbook-search-input]")
    expect(box).to_be_focused()
    box.press_sequentially(policy.title)
    wait_for_result(page, f"policies/{policy.id}/", policy.title, top=1)
    links = page.locator(RESULTS)
    page.keyboard.press("ArrowDown")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(box).not_to_be_focused()
    expect(page.locator("[data-playbook-search-results]")).not_to_be_visible()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(links.first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url(f"policies/{policy.id}/"))
    assert heading(page) == policy.title


def test_facets_narrow_to_adopted_patterns_of_a_tier(page: Page, site: Site) -> None:
    tier = PLAYBOOK.tiers[-1]
    expected = sorted(f"patterns/{p.id}/" for p in PLAYBOOK.patterns.values()
                      if p.status.value == "adopted" and tier.id in p.tiers)
    assert expected, "no adopted pattern approved for the highest tier"
    page.goto(site.url())
    page.keyboard.press("/")
    page.locator("select[data-facet=kind]").select_option("pattern")
    # The patterns alone fill more than a page of results: the rest are one click away, counted.
    total = len(PLAYBOOK.patterns)
    assert total > 20, "the shipped playbook no longer has more patterns than a page of results"
    expect(page.locator(".pb-search-meta")).to_have_text(f"{total} results")
    expect(page.locator(".pb-search-more")).to_have_text(f"Show {min(total - 20, 20)} more")
    page.locator("select[data-facet=status]").select_option("adopted")
    page.locator("select[data-facet=tier]").select_option(tier.id)
    page.wait_for_function("n => document.querySelectorAll('[data-playbook-search-results] a').length === n",
                           arg=min(len(expected), 20))
    shown = sorted(h.removeprefix(site.base) for h in page.eval_on_selector_all(RESULTS, "l => l.map(a => a.href)"))
    assert shown == expected[:20]
    # A word narrows them further, and a category facet too.
    category = PLAYBOOK.patterns[expected[0].split("/")[1]].category
    page.locator("select[data-facet=category]").select_option(category)
    within = sorted(u for u in expected if PLAYBOOK.patterns[u.split("/")[1]].category == category)
    page.wait_for_function("n => document.querySelectorAll('[data-playbook-search-results] a').length === n",
                           arg=len(within))
    expect(page.locator(".pb-search-meta")).to_have_text("1 result" if len(within) == 1 else f"{len(within)} results")


def test_search_works_at_phone_width(browser: Browser, site: Site, watch: Watch, screenshots: Path) -> None:
    pattern, _policy = cited_pattern()
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-US", is_mobile=True,
                                  has_touch=True)
    context.on("request", watch.on_request)
    try:
        page = context.new_page()
        page.goto(site.url())
        box = page.locator("[data-playbook-search-input]")
        # Narrow, the header shows a search button; the box opens over the page when it is pressed.
        expect(box).not_to_be_in_viewport()
        page.locator("header label[for=__search]").first.click()
        expect(box).to_be_in_viewport()
        expect(box).to_be_focused()
        box.press_sequentially(pattern.title)
        wait_for_result(page, f"patterns/{pattern.id}/", pattern.title, top=1)
        first = page.locator(RESULTS).first
        expect(first).to_be_in_viewport()
        # The panel slides in (Material's transition); once it has, the result fits the screen's width.
        # Measured once, the box could be caught mid-slide (875 px wide, once in a CI run).
        try:
            page.wait_for_function(
                """selector => { const r = document.querySelector(selector).getBoundingClientRect();
                                 return r.left >= 0 && r.right <= window.innerWidth; }""",
                arg=RESULTS, timeout=5_000,
            )
        except Exception:
            pytest.fail(f"the first result does not fit the 375 px screen: {first.bounding_box()}")
        page.screenshot(path=str(screenshots / "search-phone.png"))
        first.click()
        expect(page).to_have_url(site.url(f"patterns/{pattern.id}/"))
    finally:
        context.close()
    assert not watch.problems(), watch.problems()


def test_catalog_to_pattern_to_policy_and_back(page: Page, site: Site) -> None:
    pattern, policy = cited_pattern()
    page.goto(site.url())
    page.locator(".md-tabs__link", has_text="Standards").click()
    expect(page).to_have_url(site.url("standards/"))
    assert heading(page) == "Pattern catalog"

    page.locator(f'article table a[href$="patterns/{pattern.id}/"]').click()
    expect(page).to_have_url(site.url(f"patterns/{pattern.id}/"))
    assert heading(page) == pattern.title

    citing = page.locator("#policies-that-cite-this-pattern + ul a")
    expect(citing).to_have_text([p.title for p in PLAYBOOK.policies_citing(pattern.id)])
    citing.filter(has_text=policy.title).click()
    expect(page).to_have_url(site.url(f"policies/{policy.id}/"))
    assert heading(page) == policy.title
    satisfied_by = page.locator("#patterns-that-satisfy-it + ul a")
    expect(satisfied_by.filter(has_text=pattern.title)).to_have_count(1)

    page.go_back()
    expect(page).to_have_url(site.url(f"patterns/{pattern.id}/"))
    assert heading(page) == pattern.title


def expected_tags() -> dict[str, set[str]]:
    """Tag name -> site paths of the pages that carry it, from the data."""
    names = {t.id: t.name for t in PLAYBOOK.tiers}
    tags: dict[str, set[str]] = {}
    for p in PLAYBOOK.patterns.values():
        for tag in [f"status: {p.status.value}", f"category: {p.category}",
                    *(f"tier: {names[t]}" for t in p.tiers), *p.tags]:
            tags.setdefault(tag, set()).add(f"patterns/{p.id}/")
    for policy in PLAYBOOK.policies.values():
        for tag in ["policy", *(f"tier: {names[t]}" for t in policy.tiers)]:
            tags.setdefault(tag, set()).add(f"policies/{policy.id}/")
    for step in PLAYBOOK.roadmap.steps if PLAYBOOK.roadmap else []:
        tags.setdefault("rollout", set()).add(f"rollout/{step.id}/")
    for learning in PLAYBOOK.learnings.values():
        for tag in ["learning", f"status: {learning.status.value}"]:
            tags.setdefault(tag, set()).add(f"learnings/{learning.id}/")
    return tags


def test_tag_page_lists_every_tagged_item(page: Page, site: Site) -> None:
    pattern, _policy = cited_pattern()
    page.goto(site.url(f"patterns/{pattern.id}/"))
    status_tag = f"status: {pattern.status.value}"
    page.locator("a.md-tag", has_text=status_tag).click()
    expect(page).to_have_url(re.compile(re.escape(site.url("tags/")) + "#tag:"))
    section = page.locator("article h2", has=page.locator(".md-tag", has_text=status_tag))
    expect(section).to_be_in_viewport()

    listed = page.eval_on_selector_all(
        "article h2[id^='tag:']",
        """headings => headings.map(h => {
            const list = h.nextElementSibling;
            return [h.querySelector('.md-tag').textContent.trim(),
                    list ? Array.from(list.querySelectorAll('a')).map(a => a.href) : []];
        })""",
    )
    shown = {name: {href.removeprefix(site.base) for href in hrefs} for name, hrefs in listed}
    assert shown == expected_tags()


def test_catalog_filter_narrows_the_list(page: Page, site: Site) -> None:
    page.goto(site.url("standards/"))
    rows = page.locator("article table tbody tr")
    total = rows.count()
    assert total == len(PLAYBOOK.patterns)
    visible = page.locator("article table tbody tr:not([hidden])")
    count = page.locator(".pb-filter-count")
    expect(count).to_have_text(f"{total} of {total} shown")

    # The word of some pattern's title that the fewest rows hold, so typing it narrows the list.
    texts = [t.lower() for t in rows.all_text_contents()]
    candidates = [
        (sum(word in t for t in texts), word, p)
        for p in sorted(PLAYBOOK.patterns.values(), key=lambda p: p.id)
        for word in re.findall(r"[a-z]{4,}", p.title.lower())
    ]
    matching, word, pattern = min(candidates, key=lambda c: (c[0], c[1]))
    assert matching < total, "every row holds every title word; nothing to narrow by"
    page.locator(".pb-filter-text").press_sequentially(word)
    expect(visible).to_have_count(matching)
    expect(count).to_have_text(f"{matching} of {total} shown")
    expect(page.locator(f'article table tbody tr:has(a[href$="patterns/{pattern.id}/"])')).to_be_visible()
    for text in visible.all_text_contents():
        assert word in text.lower()

    page.locator(".pb-filter-text").fill("")
    expect(visible).to_have_count(total)
    for status in sorted({p.status for p in PLAYBOOK.patterns.values()}, key=lambda s: s.value):
        page.locator(".pb-filter-status").select_option(label=status.value.capitalize())
        expected = sorted(f"patterns/{p.id}/" for p in PLAYBOOK.patterns.values() if p.status is status)
        shown = visible.locator("td:first-child a").evaluate_all("links => links.map(a => a.href)")
        assert sorted(h.removeprefix(site.base) for h in shown) == expected, f"status filter {status.value}"
    page.locator(".pb-filter-status").select_option("")
    for tier in PLAYBOOK.tiers:
        page.locator(".pb-filter-tier").select_option(label=tier.name)
        expected = sorted(f"patterns/{p.id}/" for p in PLAYBOOK.patterns.values() if tier.id in p.tiers)
        shown = visible.locator("td:first-child a").evaluate_all("links => links.map(a => a.href)")
        assert sorted(h.removeprefix(site.base) for h in shown) == expected, f"tier filter {tier.name}"
