"""``playbook audit sample``: the decisions an auditor checks in a period, drawn per tier by its sampling share.

The draw depends only on the seed, the period, the tier and the ids of the decisions in it, so the
same seed and the same register give the same sample on any machine.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from playbook.assess.explain import ENGLISH, describe
from playbook.data.model.items import Tier
from playbook.data.model.playbook import Playbook
from playbook.data.model.usecase import Outcome
from playbook.register.cases import CaseAssessment, case_assessments
from playbook.register.metrics import business_days

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


@dataclass(frozen=True)
class Period:
    """A calendar year, quarter or month."""

    label: str
    """As given: ``2026``, ``2026-Q4`` or ``2026-11``."""
    start: dt.date
    end: dt.date
    """The last day, included."""

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def parse_period(text: str) -> Period:
    """``2026-Q4``, ``2026-11`` or ``2026`` as the days it covers; ValueError for anything else."""
    match = _PERIOD.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a period; write a quarter (2026-Q4), a month (2026-11) or a year (2026)")
    year = int(match["year"])
    if match["quarter"]:
        first = 3 * int(match["quarter"]) - 2
        last = first + 2
    elif match["month"]:
        first = last = int(match["month"])
    else:
        first, last = 1, 12
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return Period(text.strip(), dt.date(year, first, 1), end)


@dataclass(frozen=True)
class TierSample:
    tier: Tier
    decisions: list[str]
    """Ids of the cases of the tier decided in the period, in id order."""
    sampled: list[str]
    """The ids drawn, in id order."""


@dataclass(frozen=True)
class AuditSample:
    period: Period
    seed: int
    tiers: list[TierSample]
    """Every tier, lowest first, including those with no decision in the period."""
    decided: dict[str, CaseAssessment]
    """Every decision of the period with its computed assessment, by id."""


def sample_size(share: float, decisions: int) -> int:
    """``share`` of ``decisions``, rounded up; at least one when there are decisions and the share is not 0."""
    if decisions == 0 or share <= 0:
        return 0
    # Fraction(str(...)) keeps 0.15 x 20 at exactly 3: in floating point it is 3.0000000000000004 and rounds up to 4.
    return min(decisions, max(1, math.ceil(Fraction(str(share)) * decisions)))


def decisions_in(playbook: Playbook, period: Period) -> dict[str, CaseAssessment]:
    """The cases decided in ``period``; a withdrawn case was not decided by anyone, so it is not sampled."""
    return {
        key: result for key, result in case_assessments(playbook).items()
        if result.case.decided is not None and result.case.decided in period
        and result.case.outcome is not Outcome.withdrawn
    }


def draw(playbook: Playbook, period: Period, seed: int) -> AuditSample:
    """Per tier, ``audit_sampling`` of the decisions made in ``period`` (rounded up), drawn with ``seed``."""
    decided = decisions_in(playbook, period)
    tiers = []
    for tier in playbook.tiers:
        ids = sorted(key for key, result in decided.items() if result.tier == tier.id)
        # One stream per tier: adding a decision to one tier leaves the other tiers' samples as they were.
        rng = random.Random(f"{seed}/{period.label}/{tier.id}")
        tiers.append(TierSample(tier, ids, sorted(rng.sample(ids, sample_size(tier.audit_sampling, len(ids))))))
    return AuditSample(period, seed, tiers, decided)


def sample_record(sample: AuditSample) -> dict[str, Any]:
    """The sample as ``playbook audit sample --format json`` prints it."""
    return {
        "period": sample.period.label,
        "seed": sample.seed,
        "tiers": [
            {"tier": t.tier.id, "decisions": len(t.decisions), "share": t.tier.audit_sampling, "sampled": t.sampled}
            for t in sample.tiers
        ],
    }


def _percent(share: float) -> str:
    return f"{share * 100:g}%"


def _checks(playbook: Playbook, result: CaseAssessment) -> list[str]:
    """What the auditor verifies for one sampled decision."""
    case = result.case
    assessment = result.assessment
    patterns = ", ".join(f"`{p}`" for p in case.patterns) or "none"
    custom = "with parts of its own" if case.builds_own_parts else "and nothing else"
    why = " ".join(reason.description for reason in assessment.reasons) or "No threshold is crossed."
    taken = case.review.value if case.review else "not recorded"
    checks = [
        "The answers in the file still describe the solution as it runs today.",
        f"It is built on the patterns listed ({patterns}) {custom}.",
        f"It is in tier {assessment.tier.name} ({assessment.tier.id}). {why}",
        f"The review taken ({taken}) is the path the playbook gives: {describe(assessment, ENGLISH).review.lower()}"
        + (" (fast track)" if assessment.fast_track else "") + ".",
    ]
    checks += [f"Condition of the approval holds: {' '.join(condition.split())}" for condition in case.conditions]
    if result.policies:
        checks.append("The tier's policies are followed: " + ", ".join(f"`{p}`" for p in result.policies) + ".")
    value = case.value
    reported = [f"{value.hours_saved_per_month:g} hours saved a month"] if value.hours_saved_per_month else []
    currency = f" {value.currency}" if value.currency else ""
    reported += [f"{amount:,.0f}{currency} {what} a year" for amount, what in
                 ((value.yearly_cost, "cost"), (value.yearly_benefit, "benefit")) if amount]
    if reported:
        checks.append(f"The reported value is backed by a measurement: {', '.join(reported)}.")
    checks.append(f"The finding is recorded under `audits:` in `usecases/{case.id}.yml` "
                  "(date, auditor, result: passed, findings or failed, notes).")
    return checks


def render_markdown(playbook: Playbook, sample: AuditSample) -> str:
    """The sample as a checklist an auditor works through, one block per sampled decision."""
    period = sample.period
    decided = sample.decided
    total = sum(len(t.decisions) for t in sample.tiers)
    drawn = sum(len(t.sampled) for t in sample.tiers)
    lines = [
        f"# Audit sample for {period.label}",
        "",
        f"{drawn} of the {total} decisions made from {period.start.isoformat()} to {period.end.isoformat()}, "
        f"drawn with seed {sample.seed}. Each tier's sample is its audit share of its decisions, rounded up, "
        "and at least one where there are any; withdrawn cases are not decisions. The same seed and the "
        f"same register give the same sample: `playbook audit sample --period {period.label} --seed {sample.seed}`.",
        "",
        "| Tier | Decisions | Audit share | Sampled |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {t.tier.name} | {len(t.decisions)} | {_percent(t.tier.audit_sampling)} | {len(t.sampled)} |"
              for t in sample.tiers]
    for tier_sample in sample.tiers:
        if not tier_sample.sampled:
            continue
        tier = tier_sample.tier
        lines += ["", f"## {tier.name}: {len(tier_sample.sampled)} of {len(tier_sample.decisions)} decisions"]
        for key in tier_sample.sampled:
            result = decided[key]
            case = result.case
            assert case.decided is not None
            waited = business_days(case.requested, case.decided)
            target = f", target {tier.turnaround_days}" if tier.turnaround_days is not None else ""
            outcome = case.outcome.value if case.outcome else "no outcome"
            reviewer = f" by {case.reviewer}" if case.reviewer else ""
            lines += [
                "",
                f"- [ ] **`{case.id}`**: {case.title}",
                f"  team {case.team}, owner {case.owner}; requested {case.requested.isoformat()}, "
                f"decided {case.decided.isoformat()}{reviewer} ({waited} business days{target}): {outcome}",
            ]
            lines += [f"  - [ ] {check}" for check in _checks(playbook, result)]
    if not drawn:
        lines += ["", f"No decision was made in {period.label}: nothing to audit."]
    return "\n".join(lines) + "\n"
