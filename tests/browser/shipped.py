"""The playbook the browser suite builds, loaded once: tests parametrize over it and compare with it.

It is the repository's own playbook. While working on the suite against another playbook folder,
set ``PLAYBOOK_BROWSER_DATA`` to it (``tests/fixtures/valid/small``, for instance).
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from playbook.assess.classify import Answer
from playbook.check.validate import check
from playbook.data.model.items import Pattern, Policy, Question, RiskTiers, Status
from playbook.data.model.playbook import Playbook

REPO = Path(__file__).resolve().parents[2]
DATA_ROOT = Path(os.environ.get("PLAYBOOK_BROWSER_DATA") or REPO).resolve()


def _load() -> tuple[Playbook, list[str]]:
    playbook, problems, _count = check(DATA_ROOT)
    errors = [str(p) for p in problems if p.severity == "error"]
    if not errors and (playbook.risk_tiers is None or playbook.roadmap is None):
        errors.append("no framework/risk-tiers.yml or no framework/roadmap.yml")
    return playbook, errors


PLAYBOOK, LOAD_ERRORS = _load()
"""The playbook, and its errors: the ``site`` fixture fails on them, so that a broken playbook
fails the browser tests instead of stopping the collection of every test."""
RISK: RiskTiers = PLAYBOOK.risk_tiers or RiskTiers.model_construct(tiers=[], questions=[], rules=[], examples=[])


def spread(items: Sequence[Any], count: int) -> list[Any]:
    """``count`` items taken evenly across ``items``, so a choice does not favour the start of the alphabet."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def search_cases() -> list[tuple[str, str, str]]:
    """(how, query, pattern id): a pattern found by its title, one by an alias and one by its id, each a different
    pattern. That every title, id and alias finds its item is test_search_and_navigation.py's exhaustive test;
    these follow a search from the key that opens it to the page a result leads to."""
    patterns = sorted(PLAYBOOK.patterns.values(), key=lambda p: p.id)
    with_alias = [p for p in patterns if p.aliases]
    middle = with_alias[len(with_alias) // 2]
    return [("title", patterns[0].title, patterns[0].id), ("alias", middle.aliases[0], middle.id),
            ("id", patterns[-1].id, patterns[-1].id)]


def cited_pattern() -> tuple[Pattern, Policy]:
    """The first pattern (by id) that a policy cites, and that policy."""
    for pattern_id in sorted(PLAYBOOK.patterns):
        citing = PLAYBOOK.policies_citing(pattern_id)
        if citing:
            return PLAYBOOK.patterns[pattern_id], citing[0]
    raise RuntimeError("no policy cites any pattern: the navigation tests need one that does")


@dataclass(frozen=True)
class Case:
    """One use case to classify: answers already typed, as the page's script takes them."""

    name: str
    answers: dict[str, Answer]
    built_on: list[str]
    custom_parts: bool

    def query(self) -> str:
        """The assessment page's query string for this case."""
        return answers_query(self.answers, self.built_on, self.custom_parts)

    def as_json(self) -> dict[str, Any]:
        return {"answers": self.answers, "built_on": self.built_on, "custom_parts": self.custom_parts}


def answer_text(question: Question, value: Answer) -> str:
    """An answer as the page's query string and form fields write it."""
    if question.type == "yes_no":
        return "yes" if value else "no"
    if question.type == "multi_choice":
        assert isinstance(value, list)
        return ",".join(value)
    if question.type == "amount":
        assert isinstance(value, (int, float)) and not isinstance(value, bool)
        # repr gives the shortest text that reads back as the same float, in Python and in JavaScript.
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def answers_query(answers: Mapping[str, Answer], built_on: Sequence[str], custom_parts: bool) -> str:
    params = [(q.id, answer_text(q, answers[q.id])) for q in RISK.questions if q.id in answers]
    if built_on:
        params.append(("built-on", ",".join(built_on)))
    if custom_parts:
        params.append(("custom-parts", "yes"))
    return urlencode(params, safe=",")


def example_cases() -> list[tuple[Case, str]]:
    """Every worked example of ``framework/risk-tiers.yml`` with the tier it must get."""
    out = []
    for example in RISK.examples:
        answers = {q.id: _typed(q, example.answers[q.id]) for q in RISK.questions if q.id in example.answers}
        out.append((Case(example.id, answers, list(example.patterns), False), example.expected_tier))
    return out


def highest_example() -> Case:
    """The worked example in the highest tier: answering it moves the result well off the lowest one."""
    order = [t.id for t in RISK.tiers]
    return max(example_cases(), key=lambda c: order.index(c[1]))[0]


def _typed(question: Question, value: Any) -> Answer:
    if question.type == "amount":
        return float(value)
    if question.type == "multi_choice":
        order = [o.id for o in question.options]
        return sorted(set(value), key=order.index)
    return value  # type: ignore[no-any-return]


def amount_boundaries(question: Question) -> list[float]:
    """0 and, for each threshold on the question, the threshold, a cent under it and a cent over it."""
    values = {0.0}
    for rule in RISK.rules:
        for condition in rule.when:
            if condition.question == question.id and condition.at_least is not None:
                at = condition.at_least
                values |= {at, at - 0.01, at + 0.01}
    return sorted(v for v in values if v >= 0)


def every_answer(question: Question) -> list[Answer]:
    """Each answer a question can be given that a rule could tell apart."""
    if question.type == "yes_no":
        return [True, False]
    if question.type == "amount":
        return list(amount_boundaries(question))
    if question.type == "choice":
        return [o.id for o in question.options]
    return [[], *([o.id] for o in question.options), [o.id for o in question.options]]


def generated_cases(seed: int, count: int) -> list[Case]:
    """At least ``count`` cases: every answer of every question at least once, the others random.

    Built-on patterns are random sets of any status (proposed and deprecated included), with and
    without custom parts, so the fast-track logic is exercised as well as the thresholds.
    """
    rng = random.Random(seed)
    pattern_ids = sorted(PLAYBOOK.patterns)

    def random_answer(question: Question) -> Answer:
        if question.type == "yes_no":
            return rng.random() < 0.5
        if question.type == "amount":
            choices = amount_boundaries(question)
            return rng.choice([rng.choice(choices), float(rng.randint(0, 200_000)), round(rng.uniform(0, 60_000), 2)])
        if question.type == "choice":
            return rng.choice(question.options).id
        chance = rng.choice([0.0, 0.15, 0.4])
        return [o.id for o in question.options if rng.random() < chance]

    def case(name: str, fixed: Mapping[str, Answer]) -> Case:
        answers = {q.id: fixed[q.id] if q.id in fixed else random_answer(q) for q in RISK.questions}
        size = rng.choice([0, 0, 1, 1, 2, 3, 5])
        built_on = rng.sample(pattern_ids, min(size, len(pattern_ids)))
        return Case(name, answers, built_on, rng.random() < 0.3)

    cases = [
        case(f"{q.id}={answer_text(q, value) or 'none'}", {q.id: value})
        for q in RISK.questions
        for value in every_answer(q)
    ]
    while len(cases) < count:
        cases.append(case(f"random-{len(cases)}", {}))
    return cases


def form_patterns() -> set[str]:
    """Patterns the assessment form offers as building blocks: proposed ones are left out."""
    return {p.id for p in PLAYBOOK.patterns.values() if p.status is not Status.proposed}


def main_pages() -> dict[str, str]:
    """Each main kind of page a reader meets, by name, with its path in the site.

    The assessment comes with the answers of the highest worked example, so its result is shown too.
    """
    pattern, policy = cited_pattern()
    pages = {
        "home": "",
        "catalog": "standards/",
        "pattern": f"patterns/{pattern.id}/",
        "policies": "policies/",
        "policy": f"policies/{policy.id}/",
        "risk-tiers": "risk-tiers/",
        "assessment": f"assessment/?{highest_example().query()}",
        "decision-rights": "decision-rights/",
        "rollout": "rollout/",
    }
    if PLAYBOOK.roadmap is not None:
        pages["rollout-step"] = f"rollout/{PLAYBOOK.roadmap.steps[0].id}/"
    pages["pilots"] = "pilots/"
    pages["register"] = "usecases/"
    if PLAYBOOK.usecases:
        # The case with the longest title: the one most likely to wrap badly on a phone.
        case = max(PLAYBOOK.usecases.values(), key=lambda c: (len(c.title), c.id))
        pages["usecase"] = f"usecases/{case.id}/"
    pages["metrics"] = "metrics/"
    pages["pattern-candidates"] = "pattern-candidates/"
    pages["contributing"] = "contributing/"
    pages["whats-new"] = "whats-new/"
    pages["learnings"] = "learnings/"
    if PLAYBOOK.learnings:
        pages["learning"] = f"learnings/{sorted(PLAYBOOK.learnings)[0]}/"
    return pages
