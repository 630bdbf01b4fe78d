"""Keyboard only, from the top of the page: the assessment, the register's filters, a checklist and search.

Every stop the Tab key makes on the way is checked as a keyboard user sees it: on screen, not under
the sticky header, with a focus indicator (WCAG 2.2: 2.1.1, 2.4.7, 2.4.11).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import pytest
from playwright.sync_api import Page, expect

from playbook.cli.assess import run

from .geometry import focus_defect, summary
from .pages import Site, assessment_result, heading
from .shipped import PLAYBOOK, RISK, Case, answer_text, answers_query, cited_pattern, highest_example

pytestmark = pytest.mark.browser

MAX_STOPS = 400
"""More Tab presses than any page here needs to reach what a test looks for."""

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {tag: el.tagName.toLowerCase(), type: el.type || null, name: el.name || null, value: el.value ?? null,
          checked: el.checked ?? null, item: el.dataset ? el.dataset.item ?? null : null, href: el.href || null};
}"""


class Keyboard:
    """A reader with a keyboard only: presses keys, and notes each focus stop that a sighted user could not see."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.defects: list[str] = []
        self.stops = 0

    def focused(self) -> dict[str, Any] | None:
        found = self.page.evaluate(_FOCUSED)
        return None if found is None else dict(found)

    def press(self, key: str) -> dict[str, Any] | None:
        self.page.keyboard.press(key)
        self.stops += 1
        defect = focus_defect(self.page)
        if defect:
            self.defects.append(f"after {key}: {defect}")
        return self.focused()

    def follow(self) -> None:
        """Press Enter on a link: the page goes elsewhere, so nothing is measured."""
        self.page.keyboard.press("Enter")

    def tab_to(self, wanted: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        """Press Tab until the focused element is ``wanted``; fails naming ``what`` if it never comes."""
        for _ in range(MAX_STOPS):
            now = self.press("Tab")
            if now is not None and wanted(now):
                return now
        pytest.fail(f"{MAX_STOPS} presses of Tab never reached {what}")

    def check(self) -> None:
        assert not self.defects, f"focus a keyboard user cannot see ({len(self.defects)} of {self.stops} stops):\n  " \
            + summary(self.defects)


def field(name: str, value: str | None = None) -> Callable[[dict[str, Any]], bool]:
    return lambda f: f["name"] == name and (value is None or f["value"] == value)


def answer_question(keys: Keyboard, name: str, question_type: str, wanted: Any, options: list[str]) -> None:
    """Answer one question from its first field, as a keyboard user does."""
    if question_type == "amount":
        keys.page.keyboard.type(str(wanted))
    elif question_type in ("yes_no", "choice"):
        # Tab lands on the first radio of an unanswered group; arrows move through the group and select.
        at = options.index(wanted)
        if at == 0:
            keys.press("Space")
        for _ in range(at):
            keys.press("ArrowDown")
    else:
        chosen = set(wanted) or {""}
        now = keys.focused()
        while now is not None and now["name"] == name:
            if now["value"] in chosen:
                keys.press("Space")
            now = keys.press("Tab")
        keys.press("Shift+Tab")


def test_assessment_by_keyboard(page: Page, site: Site) -> None:
    """The highest worked example, answered with Tab, arrows, Space and digits: Tab reaches the questions in their
    order, the result counts them as they are answered and gives the tier Python gives, and the address holds the
    answers (for "Copy link")."""
    case: Case = highest_example()
    page.goto(site.url("assessment/"))
    form_order = page.locator('input[name="built-on"]').evaluate_all("boxes => boxes.map(b => b.value)")
    built_on = [p for p in form_order if p in case.built_on]  # the form offers no box for a proposed pattern
    keys = Keyboard(page)
    reached: list[str] = []

    def question(name: str) -> Callable[[dict[str, Any]], bool]:
        def is_it(now: dict[str, Any]) -> bool:
            if now["name"] and now["name"].startswith("q-") and now["name"] not in reached:
                reached.append(now["name"])
            return bool(now["name"] == name)
        return is_it

    for number, asked in enumerate(RISK.questions, 1):
        name = f"q-{asked.id}"
        keys.tab_to(question(name), f"the question {asked.id}")
        options = ["yes", "no"] if asked.type == "yes_no" else [o.id for o in asked.options]
        value = case.answers[asked.id]
        answer_question(keys, name, asked.type,
                        value if asked.type == "multi_choice" else answer_text(asked, value), options)
        if number < len(RISK.questions):
            expect(page.locator(".pb-result-missing")).to_contain_text(
                f"Answered {number} of {len(RISK.questions)} questions")
    expect(page.locator(".pb-result")).to_have_attribute("data-complete", "yes")
    assert reached == [f"q-{q.id}" for q in RISK.questions], "Tab did not reach the questions in their order"
    for pattern_id in built_on:
        keys.tab_to(field("built-on", pattern_id), f"the pattern {pattern_id}")
        keys.press("Space")
    python = json.loads(json.dumps(run(PLAYBOOK, case.answers, built_on, case.custom_parts)))
    assert assessment_result(page) == {
        "tier": python["tier"], "review": python["review"], "complete": "yes",
        "rules": [r["rule"] for r in python["reasons"]],
    }
    address = parse_qsl(page.evaluate("location.search").removeprefix("?"), keep_blank_values=True)
    assert address == parse_qsl(answers_query(case.answers, built_on, False), keep_blank_values=True)
    keys.check()


def test_register_filters_by_keyboard(page: Page, site: Site) -> None:
    cases = sorted(PLAYBOOK.usecases.values(), key=lambda c: c.id)
    assert cases, "the playbook has no use case to filter"
    teams = sorted({c.team for c in cases})
    page.goto(site.url("usecases/"))
    expect(page.locator("[data-ready=yes]")).to_have_count(1)
    keys = Keyboard(page)
    keys.tab_to(field("team"), "the register's team filter")
    # A closed list moves to its next option with the down arrow, as Chromium does on Linux and Windows.
    options = page.evaluate("() => Array.from(document.activeElement.options).map(o => o.value)")
    team = teams[0]
    for _ in range(options.index(team)):
        keys.press("ArrowDown")
    rows = page.locator("tr[data-id]")
    expect(rows).to_have_count(min(50, sum(c.team == team for c in cases)))
    word = next(c for c in cases if c.team == team).title.split()[0]
    keys.tab_to(field("q"), "the register's text filter")
    page.keyboard.type(word)
    expected = sorted(c.id for c in cases if c.team == team and word.lower() in f"{c.id} {c.title}".lower())
    expect(rows).to_have_count(len(expected))
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.id)")) == expected
    # Tab on reaches the first use case; Enter opens it.
    first = keys.tab_to(lambda f: f["tag"] == "a" and "/usecases/" in (f["href"] or ""), "the first use case")
    keys.follow()
    expect(page).to_have_url(first["href"])
    keys.check()


def test_checklist_by_keyboard(page: Page, site: Site) -> None:
    assert PLAYBOOK.roadmap is not None
    step = PLAYBOOK.roadmap.steps[0]
    page.goto(site.url(f"rollout/{step.id}/"))
    page.evaluate("localStorage.removeItem('playbook-checklist')")
    page.reload()
    keys = Keyboard(page)
    first = keys.tab_to(lambda f: f["type"] == "checkbox" and f["item"] is not None, "the first checklist item")
    keys.press("Space")
    assert keys.focused() == {**first, "checked": True}
    ticked = page.locator(f'input[data-item="{first["item"]}"]:checked')
    expect(ticked).to_have_count(1)
    expect(page.locator("input[data-item]:checked")).to_have_count(1)
    page.reload()
    expect(ticked).to_have_count(1)
    keys.check()


def test_search_by_keyboard(page: Page, site: Site) -> None:
    """Tab from the top to the header's box, type a title, arrow down to the result, Enter opens it."""
    pattern, _policy = cited_pattern()
    page.goto(site.url())
    keys = Keyboard(page)
    keys.tab_to(lambda f: f["name"] == "query", "the search box")
    page.keyboard.type(pattern.title)
    page.wait_for_function(
        """wanted => { const a = document.querySelector('[data-playbook-search-results] a');
                       return a && a.href.endsWith(wanted); }""",
        arg=f"patterns/{pattern.id}/",
    )
    result = keys.press("ArrowDown")
    assert result is not None and result["href"].endswith(f"patterns/{pattern.id}/")
    keys.follow()
    expect(page).to_have_url(site.url(f"patterns/{pattern.id}/"))
    assert heading(page) == pattern.title
    keys.check()
