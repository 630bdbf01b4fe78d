"""Use cases written for the register's site tests: many, varied, valid, and known to the test."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

from playbook.assess.classify import Answer, classify, parse_answers
from playbook.data.model.items import ReviewPath
from playbook.data.model.playbook import Playbook

OUTCOMES = ["approved", "approved-with-conditions", "rejected", "withdrawn"]
STATUSES = ["idea", "prototype", "production", "retired"]


def _answer(rng: random.Random, question: Any) -> Answer:
    if question.type == "yes_no":
        return rng.random() < 0.3
    if question.type == "amount":
        return float(rng.choice([0, 0, 500, 1_000, 5_000, 30_000]))
    options = [o.id for o in question.options]
    if question.type == "choice":
        return rng.choice(options)
    return sorted(rng.sample(options, rng.randint(0, 2)), key=options.index)


def synthetic_usecases(playbook: Playbook, count: int, seed: int = 7) -> dict[str, dict[str, Any]]:
    """``count`` use cases over the playbook's pilot teams, tiers, statuses and outcomes, by id.

    A third is still undecided; the rest were decided 0 to 30 days after the request. The tier is
    declared only where it matches the answers, and the review taken is the one the answers give.
    """
    assert playbook.risk_tiers is not None
    rng = random.Random(seed)
    teams = sorted(playbook.pilots)
    patterns = sorted(playbook.patterns)
    cases: dict[str, dict[str, Any]] = {}
    for n in range(count):
        answers = {q.id: _answer(rng, q) for q in playbook.risk_tiers.questions}
        built_on = rng.sample(patterns, rng.randint(0, 2))
        result = classify(parse_answers(playbook.risk_tiers, answers), playbook.risk_tiers, built_on, playbook.patterns)
        requested = dt.date(2026, 4, 1) + dt.timedelta(days=rng.randrange(200))
        case: dict[str, Any] = {
            "id": f"synthetic-case-{n:05d}",
            "title": f"Synthetic case {n:05d} <i>for</i> {rng.choice(['invoices', 'tickets', 'résumés'])}",
            "team": teams[n % len(teams)],
            "owner": "Test owner",
            "description": "A use case written by the site tests.",
            "answers": answers,
            "patterns": built_on,
            "status": STATUSES[n % len(STATUSES)],
            "requested": requested,
        }
        if n % 2:
            case["tier"] = result.tier.id
        if n % 3:
            case["decided"] = requested + dt.timedelta(days=rng.randrange(31))
            case["outcome"] = OUTCOMES[n % len(OUTCOMES)]
            case["review"] = result.review.value if result.review is not ReviewPath.none else "none"
        if n % 5 == 0:
            case["value"] = {"hours_saved_per_month": float(rng.randrange(0, 200, 10)),
                             "yearly_cost": float(rng.randrange(1_000, 20_000, 500)), "currency": "USD"}
        cases[case["id"]] = case
    return cases


def write_usecases(root: Path, cases: dict[str, dict[str, Any]]) -> None:
    folder = root / "usecases"
    folder.mkdir(exist_ok=True)
    for key, case in cases.items():
        (folder / f"{key}.yml").write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
