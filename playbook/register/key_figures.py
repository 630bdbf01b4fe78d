"""The few figures the home page leads with: patterns adopted, use cases this quarter, median turnaround."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from playbook.data.model.items import Status
from playbook.data.model.playbook import Playbook
from playbook.register.cases import case_assessments
from playbook.register.metrics import waits


@dataclass(frozen=True)
class KeyFigures:
    patterns: int
    """Patterns in the catalog."""
    adopted: int
    """Of those, the adopted ones: the governed path a team can build on today."""
    cases: int
    """Use cases in the register."""
    year: int
    quarter: int
    """The calendar quarter (1 to 4) of ``year`` that holds the build's day."""
    this_quarter: int
    """Use cases requested in that quarter."""
    decisions: int
    """Use cases with a recorded decision."""
    median_days: float | None
    """Median business days from request to decision over every decision; None when none is recorded."""


def quarter_of(day: dt.date) -> tuple[int, int]:
    """The year and calendar quarter (1 to 4) of ``day``."""
    return day.year, (day.month - 1) // 3 + 1


def key_figures(playbook: Playbook, today: dt.date | None = None) -> KeyFigures:
    """The home page's figures, from the catalog and the register as of ``today`` (default: the real today)."""
    today = today or dt.date.today()
    year, quarter = quarter_of(today)
    decided = [w.days for w in waits(playbook, case_assessments(playbook), today) if not w.pending]
    return KeyFigures(
        patterns=len(playbook.patterns),
        adopted=sum(p.status is Status.adopted for p in playbook.patterns.values()),
        cases=len(playbook.usecases),
        year=year,
        quarter=quarter,
        this_quarter=sum(quarter_of(c.requested) == (year, quarter) for c in playbook.usecases.values()),
        decisions=len(decided),
        median_days=statistics.median(decided) if decided else None,
    )
