"""The register's figures: decisions per tier and team, turnaround against each tier's target, waits,
adoption of the patterns and reported value."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from playbook.data.model.items import ReviewPath, Status
from playbook.data.model.playbook import Playbook
from playbook.data.model.usecase import Outcome, UseCase, UseCaseStatus
from playbook.register.cases import CaseAssessment, case_assessments


def business_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days from ``start`` to ``end``: 0 for the same day, 1 from a Monday to a Tuesday.

    Tier targets are in business days; public holidays are not known to the playbook and count as working days.
    """
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    days = weeks * 5
    weekday = start.weekday()
    for offset in range(rest):
        if (weekday + offset) % 7 < 5:
            days += 1
    return days


def nearest_rank(values: list[int] | list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``share`` of the values at or below it.

    It is always one of the values measured, so "p90 = 12 days" names a real wait.
    """
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


@dataclass(frozen=True)
class Count:
    key: str
    """A tier id, a team or a status."""
    cases: int


@dataclass(frozen=True)
class Adoption:
    """How many built cases rest only on adopted patterns: the governed path's adoption."""

    built: int
    """Cases past the idea stage (prototype, production, retired)."""
    on_adopted: int
    """Of those, the cases that name at least one pattern, every one adopted, and no custom parts."""

    @property
    def share(self) -> float | None:
        return self.on_adopted / self.built if self.built else None


@dataclass(frozen=True)
class Wait:
    """One case's time from request to decision, or to today while it is pending."""

    id: str
    tier: str
    days: int
    """Business days waited."""
    pending: bool
    """True when no decision is recorded yet: ``days`` runs to today."""
    target: int | None
    """The tier's target in business days."""

    @property
    def late(self) -> bool:
        return self.target is not None and self.days > self.target


@dataclass(frozen=True)
class Turnaround:
    """Decision turnaround in one tier against its target, in business days."""

    tier: str
    target: int | None
    """The tier's ``turnaround_days``; None when it sets none."""
    decisions: int
    """Decided cases in the tier."""
    median: float | None
    p90: float | None
    """Nearest-rank 90th percentile."""
    within_target: int
    """Decisions made within the target (all of them when there is no target)."""
    pending: int
    """Cases still waiting for a decision."""
    longest: list[Wait] = field(default_factory=list)
    """The longest waits, decided or pending, longest first."""


@dataclass(frozen=True)
class TeamValue:
    """What one team's use cases report."""

    team: str
    cases: int
    """Cases with at least one value reported."""
    hours_saved_per_month: float
    yearly_cost: dict[str, float]
    """By currency; a cost given with no currency is under ``""``."""
    yearly_benefit: dict[str, float]


@dataclass(frozen=True)
class RegisterMetrics:
    """Outcome and process measures of the register, as the metrics page shows them."""

    cases: int
    by_tier: list[Count]
    """Every tier, lowest first, with the number of cases the answers place in it."""
    by_team: list[Count]
    """Every team with a case or a pilot, in pilot order, then any other team in name order."""
    by_status: list[Count]
    adoption: Adoption
    turnaround: list[Turnaround]
    """Every tier, lowest first."""
    value: list[TeamValue]
    unassessed: list[str] = field(default_factory=list)
    """Ids of cases whose answers do not parse (only in a playbook with errors); left out of the figures."""


WAITS_SHOWN = 5
"""How many of the longest waits each tier lists."""


def waits(playbook: Playbook, assessed: Mapping[str, CaseAssessment], today: dt.date) -> list[Wait]:
    """Every decision and every pending request that needs one, longest first, then by id.

    A case whose review path is none needs no decision, so it never waits.
    """
    targets = {t.id: t.turnaround_days for t in playbook.tiers}
    found = []
    for key, result in assessed.items():
        case = result.case
        if case.decided is None and (result.review is ReviewPath.none or case.outcome is Outcome.withdrawn):
            continue
        end = case.decided or today
        found.append(Wait(key, result.tier, business_days(case.requested, end), case.decided is None,
                          targets.get(result.tier)))
    return sorted(found, key=lambda w: (-w.days, w.id))


def turnaround(playbook: Playbook, assessed: Mapping[str, CaseAssessment], today: dt.date) -> list[Turnaround]:
    """Median and p90 time to decision per tier, against its target, with the longest waits."""
    all_waits = waits(playbook, assessed, today)
    rows = []
    for tier in playbook.tiers:
        mine = [w for w in all_waits if w.tier == tier.id]
        decided = [w.days for w in mine if not w.pending]
        rows.append(Turnaround(
            tier=tier.id,
            target=tier.turnaround_days,
            decisions=len(decided),
            median=statistics.median(decided) if decided else None,
            p90=nearest_rank(decided, 0.9) if decided else None,
            within_target=sum(tier.turnaround_days is None or d <= tier.turnaround_days for d in decided),
            pending=sum(w.pending for w in mine),
            longest=mine[:WAITS_SHOWN],
        ))
    return rows


def built_on_adopted(playbook: Playbook, case: UseCase) -> bool:
    """True when the case names patterns, every one an adopted playbook pattern, and nothing custom."""
    patterns = [playbook.patterns.get(p) for p in case.patterns]
    return bool(patterns) and not case.builds_own_parts and all(
        p is not None and p.status is Status.adopted for p in patterns)


def adoption(playbook: Playbook, cases: Iterable[UseCase]) -> Adoption:
    built = [c for c in cases if c.status is not UseCaseStatus.idea]
    return Adoption(len(built), sum(built_on_adopted(playbook, c) for c in built))


def value_by_team(cases: Iterable[UseCase]) -> list[TeamValue]:
    """Reported value summed per team, teams in name order; cases reporting nothing are not counted."""
    rows: dict[str, TeamValue] = {}
    for case in sorted(cases, key=lambda c: c.team):
        value = case.value
        if value.hours_saved_per_month is None and value.yearly_cost is None and value.yearly_benefit is None:
            continue
        row = rows.get(case.team) or TeamValue(case.team, 0, 0.0, {}, {})
        currency = value.currency or ""
        for amount, totals in ((value.yearly_cost, row.yearly_cost), (value.yearly_benefit, row.yearly_benefit)):
            if amount is not None:
                totals[currency] = totals.get(currency, 0.0) + amount
        rows[case.team] = replace(row, cases=row.cases + 1,
                                  hours_saved_per_month=row.hours_saved_per_month + (value.hours_saved_per_month or 0))
    return list(rows.values())


def _counts(keys: Iterable[str], order: Iterable[str]) -> list[Count]:
    tally: dict[str, int] = dict.fromkeys(order, 0)
    extra: dict[str, int] = {}
    for key in keys:
        if key in tally:
            tally[key] += 1
        else:
            extra[key] = extra.get(key, 0) + 1
    return [Count(k, n) for k, n in [*tally.items(), *sorted(extra.items())]]


def register_metrics(playbook: Playbook, today: dt.date | None = None) -> RegisterMetrics:
    """Every figure of the metrics page; pending waits run to ``today`` (default: the real today)."""
    today = today or dt.date.today()
    assessed = case_assessments(playbook)
    cases = [a.case for a in assessed.values()]
    return RegisterMetrics(
        cases=len(cases),
        by_tier=_counts((a.tier for a in assessed.values()), (t.id for t in playbook.tiers)),
        by_team=_counts((c.team for c in cases), playbook.pilots),
        by_status=_counts((c.status.value for c in cases), (s.value for s in UseCaseStatus)),
        adoption=adoption(playbook, cases),
        turnaround=turnaround(playbook, assessed, today),
        value=value_by_team(cases),
        unassessed=[key for key in playbook.usecases if key not in assessed],
    )


def cases_of_team(playbook: Playbook, team: str) -> list[UseCase]:
    """The team's use cases in file-name order: what a pilot page links to."""
    return [case for case in playbook.usecases.values() if case.team == team]
