"""The use-case register: the shipped cases, their computed assessments and the metrics built from them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from playbook.model import Outcome, Playbook, PublishedUseCase, ReviewPath, UseCase
from playbook.usecases import (
    business_days,
    case_assessments,
    nearest_rank,
    register_metrics,
    value_by_team,
)
from playbook.validate import check

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_ON = dt.date(2026, 11, 30)
PLAYBOOK, PROBLEMS, _COUNT = check(ROOT, today=SHIPPED_ON)


def case(**fields: object) -> UseCase:
    """A valid use case of the default playbook, with ``fields`` changed."""
    base: dict[str, object] = {
        "id": "a-case", "title": "A case", "team": "finance", "owner": "Someone", "description": "Does things.",
        "answers": {"production": False, "customer-impact": "none", "automated-amount": 0,
                    "data-categories": ["public"], "new-vendor": False, "deviates-from-standards": False,
                    "affects-employment": False},
        "status": "prototype", "requested": "2026-10-05",
    }
    return UseCase.model_validate(base | fields)


def with_cases(*cases: UseCase) -> Playbook:
    """The default playbook with only ``cases`` in its register."""
    return Playbook(root=ROOT, patterns=PLAYBOOK.patterns, policies=PLAYBOOK.policies, pilots=PLAYBOOK.pilots,
                    risk_tiers=PLAYBOOK.risk_tiers, roadmap=PLAYBOOK.roadmap,
                    decision_rights=PLAYBOOK.decision_rights, usecases={c.id: c for c in cases})


# --- the shipped register ----------------------------------------------------------------------


def test_shipped_register_is_clean_and_large_enough() -> None:
    assert [str(p) for p in PROBLEMS if p.path.startswith("usecases/")] == []
    assert len(PLAYBOOK.usecases) >= 12


def test_shipped_register_covers_every_tier_and_every_pilot_team() -> None:
    assessed = case_assessments(PLAYBOOK)
    assert len(assessed) == len(PLAYBOOK.usecases)
    assert {a.tier for a in assessed.values()} == {t.id for t in PLAYBOOK.tiers}
    assert {c.team for c in PLAYBOOK.usecases.values()} == set(PLAYBOOK.pilots)


def test_shipped_decisions_fall_in_two_quarters() -> None:
    quarters = {(c.decided.year, (c.decided.month - 1) // 3 + 1) for c in PLAYBOOK.usecases.values() if c.decided}
    assert quarters == {(2026, 3), (2026, 4)}


def test_shipped_register_holds_the_articles_examples() -> None:
    saving = [c for c in PLAYBOOK.usecases.values() if c.value.hours_saved_per_month == 200]
    assert saving and "junior analyst" in saving[0].description
    experiments = [a for a in case_assessments(PLAYBOOK).values() if a.review is ReviewPath.none]
    assert len(experiments) >= 2
    assert all(a.case.review is ReviewPath.none for a in experiments)


# --- the published view ------------------------------------------------------------------------


def test_published_view_drops_reviewer_and_audits() -> None:
    full = PLAYBOOK.usecases["invoice-matching"]
    assert full.reviewer and full.audits
    published = full.published()
    assert isinstance(published, PublishedUseCase) and not isinstance(published, UseCase)
    assert set(UseCase.model_fields) - set(PublishedUseCase.model_fields) == set(UseCase.UNPUBLISHED)
    dumped = published.model_dump_json()
    assert full.reviewer not in dumped
    assert full.audits[0].auditor not in dumped
    assert published.title == full.title and published.value == full.value


# --- metrics ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "days"), [
    ("2026-11-02", "2026-11-02", 0),  # Monday, same day
    ("2026-11-02", "2026-11-03", 1),
    ("2026-11-06", "2026-11-09", 1),  # Friday to Monday
    ("2026-11-07", "2026-11-09", 0),  # Saturday to Monday: no working day passed
    ("2026-11-02", "2026-11-16", 10),  # two weeks
    ("2026-11-05", "2026-11-02", 0),  # a decision before its request waits no time (check reports it)
])
def test_business_days(start: str, end: str, days: int) -> None:
    assert business_days(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == days


def test_nearest_rank_percentile_is_a_measured_value() -> None:
    assert nearest_rank([5, 1, 3], 0.9) == 5
    assert nearest_rank(list(range(1, 11)), 0.9) == 9
    assert nearest_rank(list(range(1, 21)), 0.9) == 18
    assert nearest_rank([7], 0.9) == 7


def test_metrics_count_cases_per_computed_tier_and_team() -> None:
    pb = with_cases(
        case(id="a1"),
        case(id="a2", team="engineering", answers=case().answers | {"production": True}),
        case(id="a3", team="engineering", answers=case().answers | {"affects-employment": True}),
    )
    metrics = register_metrics(pb, SHIPPED_ON)
    assert [(c.key, c.cases) for c in metrics.by_tier] == [("experiment", 1), ("standard", 1), ("elevated", 0),
                                                          ("high", 1)]
    assert [(c.key, c.cases) for c in metrics.by_team] == [("customer-success", 0), ("engineering", 2),
                                                          ("finance", 1)]


def test_adoption_counts_only_built_cases_resting_on_adopted_patterns() -> None:
    pb = with_cases(
        case(id="on-adopted", patterns=["llm-gateway", "pii-redaction"]),
        case(id="trial-part", patterns=["llm-gateway", "agent-guardrails"]),
        case(id="custom", patterns=["llm-gateway"], custom_parts=True),
        case(id="nothing-named"),
        case(id="just-an-idea", status="idea", patterns=["llm-gateway"]),
    )
    adoption = register_metrics(pb, SHIPPED_ON).adoption
    assert (adoption.built, adoption.on_adopted, adoption.share) == (4, 1, 0.25)


def test_turnaround_per_tier_against_its_target_with_the_longest_waits() -> None:
    high = case().answers | {"production": True, "new-vendor": True}
    pb = with_cases(
        case(id="fast", answers=high, requested="2026-10-05", decided="2026-10-09", outcome="approved"),  # 4 days
        case(id="slow", answers=high, requested="2026-10-05", decided="2026-10-30", outcome="rejected"),  # 19 days
        case(id="ok", answers=high, requested="2026-10-05", decided="2026-10-19", outcome="approved"),  # 10 days
        case(id="waiting", answers=high, requested="2026-11-16"),  # 10 days to 2026-11-30
        case(id="gave-up", answers=high, requested="2026-09-01", decided="2026-09-03", outcome="withdrawn"),
        case(id="experiment", requested="2026-11-02"),  # no review, so it waits for nothing
    )
    rows = {row.tier: row for row in register_metrics(pb, SHIPPED_ON).turnaround}
    high_row = rows["high"]
    assert high_row.target == 10
    assert (high_row.decisions, high_row.median, high_row.p90, high_row.within_target, high_row.pending) == (
        4, 7.0, 19, 3, 1)
    assert [(w.id, w.days, w.pending, w.late) for w in high_row.longest] == [
        ("slow", 19, False, True), ("ok", 10, False, False), ("waiting", 10, True, False), ("fast", 4, False, False),
        ("gave-up", 2, False, False)]
    assert (rows["experiment"].decisions, rows["experiment"].pending, rows["experiment"].longest) == (0, 0, [])


def test_value_is_summed_per_team_and_currency() -> None:
    cases = [
        case(id="aa", value={"hours_saved_per_month": 200, "yearly_cost": 100, "currency": "USD"}),
        case(id="bb", value={"hours_saved_per_month": 10.5, "yearly_cost": 50, "currency": "EUR"}),
        case(id="cc", value={"yearly_benefit": 7, "currency": "USD"}),
        case(id="dd", team="engineering"),  # reports nothing
    ]
    rows = value_by_team(cases)
    assert [(r.team, r.cases, r.hours_saved_per_month, r.yearly_cost, r.yearly_benefit) for r in rows] == [
        ("finance", 3, 210.5, {"USD": 100, "EUR": 50}, {"USD": 7})]


def test_case_assessment_names_tier_path_thresholds_policies_and_fast_track() -> None:
    result = case_assessments(PLAYBOOK)["case-routing"]
    assert result.tier == "elevated"
    assert result.review is ReviewPath.self_service and result.fast_track
    assert result.fired[0] == "minor-customer-decision"
    assert result.policies and all("elevated" in PLAYBOOK.policies[p].tiers for p in result.policies)
    assert any("fast track" in note for note in result.assessment.notes)
    assert PLAYBOOK.usecases["case-routing"].outcome is Outcome.approved
