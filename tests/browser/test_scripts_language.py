"""On a Dutch site (``theme.language: nl``) the scripts write Dutch: assessment, share buttons, checklist, filters."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml
from playwright.sync_api import Page, expect

from playbook.i18n import Messages
from sitebuild import assemble, build

from .pages import Site
from .shipped import DATA_ROOT, PLAYBOOK, RISK, Case, example_cases

pytestmark = pytest.mark.browser

DUTCH = Messages("nl")
ENGLISH = Messages("en")
OURS = ("js.", "assess.")
"""The scripts' own strings; review paths and statuses are shared terms, translated elsewhere."""


@pytest.fixture(scope="module")
def dutch(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The same playbook built in Dutch, served under ``nl/`` by the English site's server."""
    root = assemble(DATA_ROOT, tmp_path_factory.mktemp("dutch"))
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert re.search(r"^  language: en$", text, re.MULTILINE), "mkdocs.yml no longer sets theme.language: en"
    config.write_text(re.sub(r"^  language: en$", "  language: nl", text, flags=re.MULTILINE), encoding="utf-8")
    served = site.root / "site"
    assert (served / "index.html").exists(), "the English site is no longer built into <root>/site"
    result = build(root, served / "nl")
    if result.returncode != 0:
        pytest.fail(f"playbook build in Dutch failed:\n{result.stdout}\n{result.stderr}")
    yield Site(root=root, base=site.url("nl/"))


def content() -> list[str]:
    """The playbook's own words (written in English here) and the shared terms, longest first: not ours to check."""
    texts = [t for tier in RISK.tiers for t in (tier.name, tier.turnaround)]
    texts += [t for q in RISK.questions for t in (q.text, *(o.label for o in q.options))]
    texts += [r.description for r in RISK.rules]
    texts += [t for p in PLAYBOOK.patterns.values() for t in (p.id, p.title)]
    texts += [p.title for p in PLAYBOOK.policies.values()]
    texts += [text for key, text in DUTCH.strings.items() if key.startswith(("review.", "status."))]
    return sorted(set(texts), key=len, reverse=True)


def english_words(shown: str) -> list[str]:
    """The words of our English strings found in ``shown``: each literal stretch between placeholders,
    of strings whose Dutch differs, so a string the script forgot to take from the catalog shows up."""
    text = shown
    for words in content():
        text = text.replace(words, " ")
    found = []
    for key, english in ENGLISH.strings.items():
        if not key.startswith(OURS) or DUTCH.strings[key] == english:
            continue
        for part in re.split(r"\{\w+\}", english):
            words = part.strip(" .:;,()*`→'")
            if len(words) >= 3 and re.search(r"[A-Za-z]{3}", words) and re.search(rf"\b{re.escape(words)}\b", text):
                found.append(f"{key}: {words!r}")
    return found


def amount_case() -> Case:
    """The first worked example with its amount raised over the highest amount threshold, so the result
    shows a reason whose answer is a number big enough to be grouped in thousands."""
    question = next(q for q in RISK.questions if q.type == "amount")
    highest = max(c.at_least for r in RISK.rules for c in r.when if c.question == question.id and c.at_least)
    case = example_cases()[0][0]
    return Case(case.name, {**case.answers, question.id: float(highest + 1234)}, case.built_on, False)


def test_the_assessment_result_is_worded_in_dutch(page: Page, dutch: Site) -> None:
    page.goto(dutch.url("assessment/"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    total = len(RISK.questions)
    answered = DUTCH("js.assess.answered", answered=0, total=total, next=RISK.questions[0].text)
    assert answered != ENGLISH("js.assess.answered", answered=0, total=total, next=RISK.questions[0].text)
    expect(page.locator(".pb-result-missing")).to_have_text(answered)
    expect(page.locator(".pb-result-tier")).to_have_text(DUTCH("js.assess.so-far", tier=RISK.tiers[0].name))

    case = amount_case()
    page.goto(dutch.url(f"assessment/?{case.query()}"))
    panel = page.locator(".pb-result")
    expect(panel).to_have_attribute("data-complete", "yes")
    amount = next(v for v in case.answers.values() if isinstance(v, float) and v >= 1000)
    grouped = page.evaluate("n => n.toLocaleString('nl')", amount)
    assert "." in grouped, grouped  # Dutch groups thousands with a dot
    expect(panel.locator(".pb-result-reasons")).to_contain_text(grouped)
    expect(panel.locator("h3").first).to_have_text(DUTCH("js.assess.why"))
    assert not english_words(panel.inner_text()), english_words(panel.inner_text())


def test_fast_track_notes_and_shared_results_are_in_dutch(page: Page, dutch: Site) -> None:
    # A worked example built on a pattern the form offers, plus a deprecated one: the notes name both.
    deprecated = next(p for p in PLAYBOOK.patterns.values() if p.status.value == "deprecated")
    case, _tier = next((c, t) for c, t in example_cases() if c.built_on)
    case = Case(case.name, case.answers, [*case.built_on, deprecated.id], False)
    page.goto(dutch.url(f"assessment/?{case.query()}"))
    notes = page.locator(".pb-result-note")
    expect(notes.first).to_be_visible()
    text = " ".join(notes.all_inner_texts())
    assert f"'{deprecated.id}'" in text and not english_words(text), text

    page.locator(".pb-copy-md").click()
    markdown = page.locator("textarea.pb-share-out").input_value()
    assert markdown.startswith(f"## {DUTCH('js.assess.md.title')}\n")
    assert not english_words(markdown), english_words(markdown)
    name = DUTCH("js.share.markdown")
    statuses = {DUTCH("js.share.copied", what=name), DUTCH("js.share.fallback", what=name)}
    expect(page.locator(".pb-share-status")).to_have_text(re.compile("|".join(map(re.escape, statuses))))

    page.goto(dutch.url("assessment/?built-on=no-such-pattern"))
    left_out = DUTCH("js.assess.unknown-patterns", patterns="no-such-pattern")
    expect(page.locator(".pb-share-status")).to_have_text(left_out)


def test_checklist_and_filters_are_in_dutch(page: Page, dutch: Site) -> None:
    assert PLAYBOOK.roadmap is not None
    step = PLAYBOOK.roadmap.steps[0]
    page.goto(dutch.url(f"rollout/{step.id}/"))
    page.evaluate("localStorage.removeItem('playbook-checklist')")
    page.reload()
    expect(page.locator(".pb-progress")).to_have_text(DUTCH("js.checklist.progress", done=0, total=len(step.checklist)))
    page.locator(".pb-export-yaml").click()
    exported = page.locator("textarea.pb-export-out").input_value()
    first = exported.splitlines()[0]
    assert first == "# " + DUTCH("js.checklist.paste", team=DUTCH("js.checklist.team")), first
    assert set(yaml.safe_load(exported)["checklist"]) == set(PLAYBOOK.checklist_items())

    page.goto(dutch.url("standards/"))
    rows = page.locator("article table tbody tr")
    expect(page.locator(".pb-filter-count")).to_have_text(
        DUTCH("js.filter.count", shown=rows.count(), total=rows.count()))
    page.locator(".pb-filter-text").fill("zzzz-no-such-pattern")
    expect(page.locator(".pb-filter-count")).to_have_text(DUTCH("js.filter.count", shown=0, total=rows.count()))
