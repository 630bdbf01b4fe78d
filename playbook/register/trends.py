"""The register over time: per quarter (per month while the decisions span less than two quarters), decisions
per tier, turnaround against each tier's target, the share built only on adopted patterns and the value reported.

A case belongs to the period of its decision; a case that needs none (or has none yet) to the period it was
requested in, for the adoption share and the value. Turnaround counts decided cases only, as the metrics do.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from playbook.data.model.playbook import Playbook
from playbook.data.model.usecase import UseCaseStatus
from playbook.register.cases import CaseAssessment, case_assessments
from playbook.register.metrics import built_on_adopted, business_days, nearest_rank

MIN_QUARTERS = 2
"""Decisions spread over fewer quarters than this are shown per month: a young register has one quarter."""


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter (``months`` 3) or month (``months`` 1)."""

    year: int
    index: int
    """The quarter (1-4) or the month (1-12)."""
    months: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (self.index - 1) * self.months + 1, 1)

    @property
    def key(self) -> str:
        """``2026-Q3`` or ``2026-08``: stable, for data attributes and tests."""
        return f"{self.year}-Q{self.index}" if self.months == 3 else f"{self.year}-{self.index:02d}"

    def next(self) -> Period:
        last = 12 // self.months
        return Period(self.year + 1, 1, self.months) if self.index == last else Period(self.year, self.index + 1,
                                                                                        self.months)


def period_of(day: dt.date, months: int) -> Period:
    return Period(day.year, (day.month - 1) // months + 1, months)


@dataclass(frozen=True)
class TierTurnaround:
    tier: str
    decisions: int
    median: float | None
    p90: float | None
    target: int | None


@dataclass(frozen=True)
class PeriodFigures:
    """One period's figures."""

    period: Period
    decisions: dict[str, int]
    """Decisions per tier id, every tier listed (0 when none)."""
    turnaround: list[TierTurnaround]
    """Per tier, lowest first."""
    built: int
    """Cases past the idea stage in the period."""
    on_adopted: int
    """Of those, built only on adopted patterns."""
    hours_saved_per_month: float
    """Hours saved a month that the period's cases report."""

    @property
    def adopted_share(self) -> float | None:
        return self.on_adopted / self.built if self.built else None

    @property
    def total_decisions(self) -> int:
        return sum(self.decisions.values())


@dataclass(frozen=True)
class Trends:
    months: int
    """3 for quarters, 1 for months."""
    periods: list[PeriodFigures]
    """Every period from the first case's to the last's, empty ones included, oldest first."""
    tiers: list[str]
    targets: dict[str, int | None]


def dated(result: CaseAssessment) -> dt.date:
    """The day a case counts in: its decision, or its request when it has none."""
    return result.case.decided or result.case.requested


def period_length(days: Iterable[dt.date]) -> int:
    """3 (quarters) when the decisions span :data:`MIN_QUARTERS` quarters or more, else 1 (months)."""
    quarters = {period_of(day, 3) for day in days}
    return 3 if len(quarters) >= MIN_QUARTERS else 1


def register_trends(playbook: Playbook, assessed: Mapping[str, CaseAssessment] | None = None,
                    team: str | None = None, months: int | None = None) -> Trends:
    """The figures of every period, for the whole register or one ``team``; ``months`` forces the period length
    (a pilot's trend takes the register's, so pilots compare alike)."""
    assessed = assessed if assessed is not None else case_assessments(playbook)
    tiers = [t.id for t in playbook.tiers]
    targets = {t.id: t.turnaround_days for t in playbook.tiers}
    results = [r for r in assessed.values() if team is None or r.case.team == team]
    if months is None:
        months = period_length(r.case.decided for r in assessed.values() if r.case.decided is not None)
    if not results:
        return Trends(months, [], tiers, targets)
    by_period: dict[Period, list[CaseAssessment]] = {}
    for result in results:
        by_period.setdefault(period_of(dated(result), months), []).append(result)
    periods = []
    period, last = min(by_period), max(by_period)
    while period <= last:
        mine = by_period.get(period, [])
        decided = [r for r in mine if r.case.decided is not None]
        decisions = dict.fromkeys(tiers, 0)
        waits: dict[str, list[int]] = {t: [] for t in tiers}
        for r in decided:
            decisions[r.tier] = decisions.get(r.tier, 0) + 1
            assert r.case.decided is not None
            waits.setdefault(r.tier, []).append(business_days(r.case.requested, r.case.decided))
        built = [r.case for r in mine if r.case.status is not UseCaseStatus.idea]
        periods.append(PeriodFigures(
            period=period,
            decisions=decisions,
            turnaround=[TierTurnaround(t, len(waits[t]), statistics.median(waits[t]) if waits[t] else None,
                                       nearest_rank(waits[t], 0.9) if waits[t] else None, targets.get(t))
                        for t in tiers],
            built=len(built),
            on_adopted=sum(built_on_adopted(playbook, c) for c in built),
            hours_saved_per_month=sum(r.case.value.hours_saved_per_month or 0 for r in mine),
        ))
        period = period.next()
    return Trends(months, periods, tiers, targets)
