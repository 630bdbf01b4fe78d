"""Finding and moving around: the theme's search, links between items, tags and the catalog filter."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .pages import Site, heading
from .shipped import PLAYBOOK, cited_pattern, search_cases

pytestmark = pytest.mark.browser

TOP_RESULTS = 3
"""A pattern searched for by name must be among this many results: a reader looks no further."""


@pytest.mark.parametrize(("how", "query", "pattern_id"), search_cases(),
                         ids=[f"{how}-{pid}" for how, _q, pid in search_cases()])
def test_search_finds_the_pattern(page: Page, site: Site, how: str, query: str, pattern_id: str) -> None:
    page.goto(site.url())
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    expect(box).to_be_focused()
    # Fill all but the last letter at once, then type that one: the theme searches on key presses.
    box.fill(query[:-1])
    box.press_sequentially(query[-1])
    wanted = f"patterns/{pattern_id}/"
    # Results are redrawn as each letter arrives; wait for the ones for the whole query.
    try:
        page.wait_for_function(
            """([wanted, top]) => Array.from(document.querySelectorAll('.md-search-result__item'))
                .slice(0, top).some(item => item.querySelector('a').href.includes(wanted))""",
            arg=[wanted, TOP_RESULTS], timeout=5_000,
        )
    except Exception:
        shown = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
        pytest.fail(f"searching for {query!r} ({how}): {wanted} is not in the first {TOP_RESULTS} results: {shown}")
    page.locator(".md-search-result__item").filter(has=page.locator(f'a[href*="{wanted}"]')).first \
        .locator(f'a[href*="{wanted}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(site.url(wanted))))
    assert heading(page) == PLAYBOOK.patterns[pattern_id].title


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
