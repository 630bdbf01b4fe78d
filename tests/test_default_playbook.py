"""The playbook shipped in this repository: complete, consistent, and classifying its own examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from playbook.assess.classify import classify, parse_answers
from playbook.check.validate import check
from playbook.data.kinds import kind_of_path
from playbook.data.load import parse_item
from playbook.data.model.items import ReviewPath, Status

ROOT = Path(__file__).resolve().parent.parent

# Review dates are meant to fall due and turn `playbook check --strict` red in CI; pinning the
# date keeps these tests about the content rather than about the calendar.
SHIPPED_ON = dt.date(2026, 11, 25)

PLAYBOOK, PROBLEMS, FILE_COUNT = check(ROOT, today=SHIPPED_ON)
RISK = PLAYBOOK.risk_tiers
EXAMPLES = list(RISK.examples) if RISK else []
STEPS = list(PLAYBOOK.roadmap.steps) if PLAYBOOK.roadmap else []
ITEM_FILES = [path for folder in ("patterns", "policies", "usecases") for path in sorted(ROOT.glob(f"{folder}/*.yml"))]

STEP_TITLES = [
    "Map current decision rights",
    "Define risk boundaries",
    "Build enablement infrastructure",
    "Pilot distributed ownership",
    "Scale what works",
]


def tier_of(answers: dict[str, object], patterns: list[str] | None = None) -> str:
    assert RISK is not None
    return classify(parse_answers(RISK, answers), RISK, patterns or [], PLAYBOOK.patterns).tier.id


def test_strict_check_is_clean() -> None:
    # --strict turns warnings into errors, so any problem at all fails it.
    assert [str(p) for p in PROBLEMS] == []


def test_every_framework_file_loaded() -> None:
    assert RISK is not None
    assert PLAYBOOK.roadmap is not None
    assert PLAYBOOK.decision_rights is not None


def test_minimum_content() -> None:
    assert len(PLAYBOOK.tiers) >= 4
    assert len(EXAMPLES) >= 12
    assert len(PLAYBOOK.patterns) >= 15
    assert len(PLAYBOOK.policies) >= 12


def test_tiers_get_stricter_from_first_to_last() -> None:
    order = list(ReviewPath)
    reviews = [order.index(t.review) for t in PLAYBOOK.tiers]
    sampling = [t.audit_sampling for t in PLAYBOOK.tiers]
    assert reviews == sorted(reviews), "tiers must be listed lowest risk first"
    assert sampling == sorted(sampling) and sampling[0] < sampling[-1], "audit sampling must rise with the tier"
    assert PLAYBOOK.tiers[0].review is ReviewPath.none
    assert PLAYBOOK.tiers[-1].review is ReviewPath.central


def test_every_question_has_help() -> None:
    assert RISK is not None
    assert all(q.help.strip() for q in RISK.questions)
    assert {q.type for q in RISK.questions} == {"yes_no", "amount", "choice", "multi_choice"}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_example_classifies_to_expected_tier(example) -> None:
    assert tier_of(example.answers, example.patterns) == example.expected_tier


def test_every_tier_has_an_example() -> None:
    covered = {e.expected_tier for e in EXAMPLES}
    assert [t.id for t in PLAYBOOK.tiers if t.id not in covered] == []


def test_article_use_cases_are_worked_examples() -> None:
    ids = {e.id for e in EXAMPLES}
    for example_id in (
        "support-ticket-quality-signals",
        "finance-forecasting-model",
        "customer-service-routing",
        "invoice-matching-automation",
        "small-business-underwriting",
    ):
        assert example_id in ids


QUIET_ANSWERS = {
    "production": True,
    "customer-impact": "none",
    "automated-amount": 0,
    "data-categories": ["internal"],
    "new-vendor": False,
    "deviates-from-standards": False,
    "affects-employment": False,
}


@pytest.mark.parametrize(
    ("amount", "tier"),
    [(0, "standard"), (999, "standard"), (1000, "elevated"), (24_999, "elevated"), (25_000, "high")],
)
def test_automated_money_thresholds(amount: int, tier: str) -> None:
    assert tier_of({**QUIET_ANSWERS, "automated-amount": amount}) == tier


@pytest.mark.parametrize(
    ("change", "tier"),
    [
        ({"production": False}, "experiment"),
        ({"customer-impact": "minor-decision"}, "elevated"),
        ({"customer-impact": "significant-decision"}, "high"),
        ({"data-categories": ["customer-personal"]}, "standard"),
        ({"data-categories": ["special-category"]}, "high"),
        ({"new-vendor": True}, "high"),
        ({"deviates-from-standards": True}, "elevated"),
        ({"affects-employment": True}, "high"),
    ],
    ids=lambda value: value if isinstance(value, str) else next(iter(value)),
)
def test_single_threshold_moves_the_tier(change: dict[str, object], tier: str) -> None:
    assert tier_of({**QUIET_ANSWERS, **change}) == tier


def test_pattern_lifecycle_is_represented() -> None:
    statuses = [p.status for p in PLAYBOOK.patterns.values()]
    assert statuses.count(Status.adopted) > len(statuses) / 2
    assert Status.trial in statuses
    deprecated = [p for p in PLAYBOOK.patterns.values() if p.status is Status.deprecated]
    assert deprecated and all(p.superseded_by in PLAYBOOK.patterns for p in deprecated)


def test_review_dates_lie_ahead() -> None:
    items = [*PLAYBOOK.patterns.values(), *PLAYBOOK.policies.values()]
    assert [i.id for i in items if i.review_by <= SHIPPED_ON] == []


@pytest.mark.parametrize("path", ITEM_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in ITEM_FILES])
def test_item_file_loads_without_problems(path: Path) -> None:
    rel = path.relative_to(ROOT).as_posix()
    kind = kind_of_path(rel)
    assert kind is not None
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema=../schemas/{kind.schema_name}"
    item, _source, problems = parse_item(path, rel, kind)
    assert [str(p) for p in problems] == []
    assert item is not None and item.id == path.stem
    assert [str(p) for p in PROBLEMS if p.path == rel] == []


@pytest.mark.parametrize("policy", list(PLAYBOOK.policies.values()), ids=list(PLAYBOOK.policies))
def test_policy_references_valid_patterns(policy) -> None:
    assert policy.patterns
    for pattern_id in policy.patterns:
        pattern = PLAYBOOK.patterns.get(pattern_id)
        assert pattern is not None, f"unknown pattern '{pattern_id}'"
        assert pattern.status is not Status.deprecated, f"'{pattern_id}' is deprecated"


def test_roadmap_steps_in_order() -> None:
    assert [s.title for s in STEPS] == STEP_TITLES


@pytest.mark.parametrize("step", STEPS, ids=[s.id for s in STEPS])
def test_step_has_checklist_exit_criteria_and_owners(step) -> None:
    assert len(step.checklist) >= 4
    assert step.exit_criteria
    roles = {r.id for r in PLAYBOOK.decision_rights.roles} if PLAYBOOK.decision_rights else set()
    assert [i.id for i in step.checklist if i.owner not in roles] == []


def test_decision_rights_split_central_and_distributed() -> None:
    assert PLAYBOOK.decision_rights is not None
    decisions = PLAYBOOK.decision_rights.decisions
    assert {d.ownership for d in decisions} == {"central", "distributed"}
    assert all(len(d.raci.accountable) == 1 for d in decisions)
    assert all(d.escalates_from for d in decisions if d.ownership == "distributed")


def test_pilots_are_examples_on_different_steps() -> None:
    pilots = list(PLAYBOOK.pilots.values())
    assert 2 <= len(pilots) <= 3
    assert all(p.example for p in pilots)
    assert len({p.step for p in pilots}) == len(pilots)
    for pilot in pilots:
        assert 80 <= (pilot.end - pilot.start).days <= 100, f"{pilot.team} should run for about one quarter"
        assert pilot.metrics.outcome and pilot.metrics.process
