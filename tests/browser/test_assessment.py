"""The self-service assessment page gives the same tier, review path and reasons as playbook/classify.py."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, expect

from playbook.cli.assess import run
from playbook.data.model.items import Question

from .pages import RESULT_SHOWN, Site, assessment_result
from .shipped import (
    PLAYBOOK,
    RISK,
    Case,
    amount_boundaries,
    answer_text,
    example_cases,
    form_patterns,
    generated_cases,
)

pytestmark = pytest.mark.browser

SEED = 20_240_611
GENERATED = 240


def python_record(case: Case, built_on: list[str] | None = None) -> dict[str, Any]:
    """What playbook/assess.py gives, as the JSON the page would copy."""
    record = run(PLAYBOOK, case.answers, case.built_on if built_on is None else built_on, case.custom_parts)
    return json.loads(json.dumps(record))  # type: ignore[no-any-return]


def shown(record: dict[str, Any]) -> dict[str, Any]:
    return {"tier": record["tier"], "review": record["review"], "rules": [r["rule"] for r in record["reasons"]]}


def differences(browser: dict[str, Any], python: dict[str, Any]) -> list[str]:
    """Each field the two records disagree on; reasons named by rule id when the rules differ."""
    out = []
    for key in sorted(set(browser) | set(python)):
        mine, theirs = browser.get(key), python.get(key)
        if key == "reasons" and mine and theirs:
            rules = [[r["rule"] for r in reasons] for reasons in (mine, theirs)]
            if rules[0] != rules[1]:
                mine, theirs = rules
        if mine != theirs:
            out.append(f"{key}: browser {mine!r} != python {theirs!r}")
    return out


@pytest.fixture
def assessment(page: Page, site: Site) -> Page:
    page.goto(site.url("assessment/"))
    return page


def given(case: Case) -> set[tuple[str, str]]:
    """What answering ``case`` in the form ticks, types or picks: each answer (each option of a multiple choice),
    each pattern built on, and whether it has custom parts. Amounts are left out: their edges are typed apart."""
    out = {("custom-parts", str(case.custom_parts))} | {("built-on", p) for p in case.built_on}
    for question in RISK.questions:
        if question.type == "amount":
            continue
        text = answer_text(question, case.answers[question.id])
        parts = text.split(",") if question.type == "multi_choice" and text else [text]
        out |= {(question.id, part) for part in parts}
    return out


def covering(cases: list[Case]) -> list[Case]:
    """Few of ``cases`` that between them give everything any of them gives, taken greedily: each next case is the
    one that adds most (the first such in ``cases``)."""
    gives = [(case, given(case)) for case in cases]
    wanted = set().union(*(parts for _case, parts in gives))
    chosen: list[Case] = []
    while wanted:
        best, parts = max(gives, key=lambda pair: len(pair[1] & wanted))
        chosen.append(best)
        wanted -= parts
    return chosen


def address_examples() -> list[tuple[Case, str]]:
    """The worked examples whose addresses between them give every answer and pattern any example's does (see
    ``covering``): a page load each. test_choosing_a_worked_example_fills_the_form checks every example's result,
    and the address the page writes for it."""
    tiers = {case.name: tier for case, tier in example_cases()}
    return [(case, tiers[case.name]) for case in covering([case for case, _tier in example_cases()])]


ADDRESS_EXAMPLES = address_examples()


@pytest.mark.parametrize(("case", "expected_tier"), ADDRESS_EXAMPLES, ids=[c.name for c, _t in ADDRESS_EXAMPLES])
def test_worked_example_from_the_address(page: Page, site: Site, case: Case, expected_tier: str) -> None:
    page.goto(site.url(f"assessment/?{case.query()}"))
    python = python_record(case)
    assert python["tier"] == expected_tier
    assert assessment_result(page) == {**shown(python), "complete": "yes"}


def test_generated_answers_classify_as_in_python(assessment: Page) -> None:
    cases = generated_cases(SEED, GENERATED)
    assert len(cases) >= 200
    # Every answer each question can be given, and each amount threshold's edges, are among the cases.
    for question in RISK.questions:
        given = {answer_text(question, c.answers[question.id]) for c in cases}
        if question.type == "multi_choice":
            given = {part for text in given for part in text.split(",")} | ({""} & given)
        assert given >= _every_text(question), question.id
    results = assessment.evaluate(
        "cases => cases.map(c => window.playbookAssessment.classify(c.answers, c.built_on, c.custom_parts))",
        [c.as_json() for c in cases],
    )
    wrong = []
    for case, browser in zip(cases, results, strict=True):
        diff = differences(browser, python_record(case))
        if diff:
            wrong.append(f"{case.name} {case.query()}:\n    " + "\n    ".join(diff))
    assert not wrong, f"{len(wrong)} of {len(cases)} cases differ; the first ones:\n" + "\n".join(wrong[:5])


def _every_text(question: Question) -> set[str]:
    if question.type == "yes_no":
        return {"yes", "no"}
    if question.type == "amount":
        return {answer_text(question, v) for v in amount_boundaries(question)}
    return {o.id for o in question.options} | ({""} if question.type == "multi_choice" else set())


def form_answers(case: Case) -> tuple[list[str], list[tuple[str, str]]]:
    """How to answer ``case`` in the form: the radios and boxes to tick, and the text to type into each amount."""
    ticks, typed = [], []
    for question in RISK.questions:
        name = f"q-{question.id}"
        value = case.answers[question.id]
        if question.type == "amount":
            typed.append((f'input[name="{name}"]', answer_text(question, value)))
        elif question.type == "multi_choice":
            assert isinstance(value, list)
            ticks += [f'input[name="{name}"][value="{option}"]' for option in value or [""]]  # "": "None of these"
        else:
            ticks.append(f'input[name="{name}"][value="{answer_text(question, value)}"]')
    ticks += [f'input[name="built-on"][value="{pattern_id}"]' for pattern_id in case.built_on]
    if case.custom_parts:
        ticks.append('input[name="custom-parts"]')
    return ticks, typed


def answer_in_form(page: Page, case: Case) -> None:
    """Answer as a person does: click each radio and box, type each amount."""
    form = page.locator(".pb-assess-form")
    ticks, typed = form_answers(case)
    for selector, text in typed:
        form.locator(selector).fill(text)
    for selector in ticks:
        form.locator(selector).check()


ANSWER_IN_PAGE = f"""async steps => {{
  const form = document.querySelector(".pb-assess-form");
  const shown = {RESULT_SHOWN};
  const out = [];
  for (const step of steps) {{
    if (step.clear) {{
      document.querySelector(".pb-clear").click();
      await new Promise(resolve => setTimeout(resolve, 0));  // the form updates after its reset event
      if (form.querySelector("input:checked")) throw new Error("an answer stayed after Clear");
    }}
    for (const [selector, text] of step.typed) {{
      const input = form.querySelector(selector);
      input.value = text;  // as Playwright's fill does: the whole text at once, one input event
      input.dispatchEvent(new InputEvent("input", {{bubbles: true, inputType: "insertText", data: text}}));
    }}
    for (const selector of step.ticks) {{
      const box = form.querySelector(selector);
      if (!box.checked) box.click();  // as Playwright's check does: a click, unless it is ticked already
    }}
    out.push({{shown: shown(document.querySelector(".pb-result")),
               current: window.playbookAssessment.current()}});
  }}
  return out;
}}"""
"""Answers given in the page, step by step, each step's result read: the same clicks and input events as Playwright's,
without its wait for the element and two frames around each one (65 ms a box, 100 boxes a run)."""


def test_answers_given_in_the_form_classify_as_in_python(assessment: Page) -> None:
    offered = form_patterns()
    # The form offers no checkbox for a proposed pattern.
    usable = [Case(c.name, c.answers, [p for p in c.built_on if p in offered], c.custom_parts)
              for c in generated_cases(SEED, GENERATED)]
    amounts = [q for q in RISK.questions if q.type == "amount"]
    edges = [c for c in usable if c.name.partition("=")[0] in {q.id for q in amounts}]
    # Every answer, every pattern's box and both states of custom parts go through the form at least once.
    cases = covering([c for c in usable if c not in edges])
    form_order = assessment.locator('input[name="built-on"]').evaluate_all("boxes => boxes.map(b => b.value)")
    assert set(form_order) == offered

    def agrees(case: Case, shown_in_page: dict[str, Any], browser: dict[str, Any]) -> None:
        # The form lists patterns by title; the result names them in that order.
        python = python_record(case, [p for p in form_order if p in case.built_on])
        assert shown_in_page == {**shown(python), "complete": "yes"}, case.name
        assert differences(browser, python) == [], case.name

    # The first case as a person answers it, through Playwright; the others in the page, as the same events.
    first, *others = cases
    assessment.locator(".pb-clear").click()
    expect(assessment.locator('.pb-assess-form input:checked')).to_have_count(0)
    answer_in_form(assessment, first)
    agrees(first, assessment_result(assessment), assessment.evaluate("window.playbookAssessment.current()"))
    steps = [{"clear": True, "ticks": ticks, "typed": typed} for ticks, typed in map(form_answers, others)]
    # Every amount at and around a threshold, typed over the last case's, as a person corrects one answer.
    last = cases[-1]
    typed = []
    for edge in edges:
        question = next(q for q in amounts if q.id == edge.name.partition("=")[0])
        value = edge.answers[question.id]
        steps.append({"clear": False, "ticks": [], "typed": [(f'input[name="q-{question.id}"]',
                                                              answer_text(question, value))]})
        typed.append(Case(edge.name, {**last.answers, question.id: value}, last.built_on, last.custom_parts))
    results = assessment.evaluate(ANSWER_IN_PAGE, steps)
    for case, result in zip([*others, *typed], results, strict=True):
        agrees(case, result["shown"], result["current"])


def test_choosing_a_worked_example_fills_the_form(assessment: Page) -> None:
    for case, expected_tier in example_cases():
        assessment.locator("select.pb-example").select_option(case.name)
        result = assessment_result(assessment)
        assert (result["tier"], result["complete"]) == (expected_tier, "yes"), case.name
        assert result == {**shown(python_record(case)), "complete": "yes"}, case.name
        for question in RISK.questions:
            if question.type in ("yes_no", "choice"):
                picked = assessment.locator(f'input[name="q-{question.id}"]:checked')
                expect(picked).to_have_value(answer_text(question, case.answers[question.id]))
        ticked = assessment.locator('input[name="built-on"]:checked').evaluate_all("boxes => boxes.map(b => b.value)")
        assert sorted(ticked) == sorted(case.built_on), case.name
        # The address the page writes, a link that gives this example again (patterns in the form's order).
        address = parse_qs(assessment.evaluate("location.search").removeprefix("?"), keep_blank_values=True)
        assert address == parse_qs(Case(case.name, case.answers, ticked, False).query(), keep_blank_values=True)


def built_on_in_form_order(page: Page, built_on: list[str]) -> list[str]:
    """The form lists patterns by title, and the page reports them in that order."""
    order = page.locator('input[name="built-on"]').evaluate_all("boxes => boxes.map(b => b.value)")
    return [p for p in order if p in built_on]


def test_copy_as_json_gives_the_result(page: Page, site: Site) -> None:
    case, _tier = example_cases()[-1]
    page.goto(site.url(f"assessment/?{case.query()}"))
    page.locator(".pb-copy-json").click()
    out = page.locator("textarea.pb-share-out")
    expect(out).to_be_visible()
    copied = json.loads(out.input_value())
    assert copied["tier"] == assessment_result(page)["tier"]
    assert differences(copied, python_record(case, built_on_in_form_order(page, case.built_on))) == []
    expect(page.locator(".pb-share-status")).to_contain_text("JSON")


def test_none_of_these_is_an_answer_and_excludes_the_options(assessment: Page) -> None:
    question = next(q for q in RISK.questions if q.type == "multi_choice")
    boxes = assessment.locator(f'input[name="q-{question.id}"]')
    none = boxes.and_(assessment.locator('[value=""]'))
    expect(assessment.locator(".pb-result-missing")).to_contain_text(f"Answered 0 of {len(RISK.questions)}")
    boxes.first.check()
    boxes.first.uncheck()
    expect(assessment.locator(".pb-result-missing")).to_contain_text(f"Answered 0 of {len(RISK.questions)}")
    boxes.first.check()
    none.check()
    assert not boxes.first.is_checked()
    expect(assessment.locator(".pb-result-missing")).to_contain_text(f"Answered 1 of {len(RISK.questions)}")
    boxes.first.check()
    assert not none.is_checked()


def test_a_link_naming_an_unknown_pattern_says_so(page: Page, site: Site) -> None:
    page.goto(site.url("assessment/?built-on=no-such-pattern"))
    expect(page.locator(".pb-share-status")).to_contain_text("left out: no-such-pattern")
