"""The state of a playbook for its maintainers: gaps, stale items, owners and tier coverage."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from playbook.assess.classify import patterns_at
from playbook.data.model.items import Status
from playbook.data.model.playbook import Playbook
from playbook.register.candidates import Candidate, pattern_candidates


@dataclass(frozen=True)
class ItemRef:
    """One pattern or policy, as a report lists it."""

    kind: str
    """pattern or policy."""
    id: str
    title: str
    owner: str
    status: str | None = None
    """The pattern's status; None for a policy."""


@dataclass(frozen=True)
class Overdue:
    """An item whose review date has passed."""

    item: ItemRef
    review_by: dt.date
    days_late: int


@dataclass(frozen=True)
class TierCoverage:
    """How many patterns a team in a tier can build on."""

    tier: str
    name: str
    patterns: list[str]
    """Non-deprecated patterns approved for the tier."""
    adopted: list[str]
    """Of those, the adopted ones: the only ones that open the fast track."""

    @property
    def uncovered(self) -> bool:
        return not self.patterns


@dataclass(frozen=True)
class CandidateRef:
    """A capability built outside the patterns by several teams, as a report lists it."""

    capability: str
    teams: list[str]
    usecases: list[str]
    hours_saved_per_month: float
    shared_patterns: list[str]
    """Adopted patterns every one of its teams already builds on."""
    pattern: str | None
    """The playbook's pattern of the same id, when one was started."""


def _candidate_ref(candidate: Candidate) -> CandidateRef:
    return CandidateRef(candidate.capability, candidate.teams, [c.id for c in candidate.cases],
                        candidate.hours_saved_per_month, candidate.shared_patterns,
                        candidate.pattern.id if candidate.pattern else None)


@dataclass(frozen=True)
class Report:
    """Everything ``playbook report`` shows, in the order it shows it."""

    today: dt.date
    uncited_patterns: list[ItemRef]
    """Patterns that no policy cites."""
    policies_on_deprecated_patterns: list[ItemRef]
    """Policies all of whose patterns are deprecated."""
    overdue: list[Overdue]
    """Patterns and policies past their review date, most overdue first."""
    owners: dict[str, list[ItemRef]] = field(default_factory=dict)
    """Patterns and policies by owner, owners in alphabetical order."""
    tier_coverage: list[TierCoverage] = field(default_factory=list)
    """Tiers from lowest to highest, with the patterns approved for each."""
    candidate_teams: int = 3
    """Teams that must build a capability outside the patterns before it is a pattern candidate."""
    candidates: list[CandidateRef] = field(default_factory=list)
    """Pattern candidates, as the candidates page lists them: most teams first, then most hours saved."""
    watch: list[CandidateRef] = field(default_factory=list)
    """Capabilities one team short of a candidate."""

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        for entry in data["overdue"]:
            entry["review_by"] = entry["review_by"].isoformat()
        for entry, coverage in zip(data["tier_coverage"], self.tier_coverage, strict=True):
            entry["uncovered"] = coverage.uncovered
        return data


def _pattern_ref(playbook: Playbook, pattern_id: str) -> ItemRef:
    p = playbook.patterns[pattern_id]
    return ItemRef("pattern", p.id, p.title, p.owner, p.status.value)


def _policy_ref(playbook: Playbook, policy_id: str) -> ItemRef:
    p = playbook.policies[policy_id]
    return ItemRef("policy", p.id, p.title, p.owner)


def build_report(playbook: Playbook, today: dt.date | None = None) -> Report:
    today = today or dt.date.today()
    cited = {pid for policy in playbook.policies.values() for pid in policy.patterns}
    uncited = [_pattern_ref(playbook, pid) for pid in playbook.patterns if pid not in cited]

    on_deprecated = []
    for policy in playbook.policies.values():
        known = [playbook.patterns[pid] for pid in policy.patterns if pid in playbook.patterns]
        if known and all(p.status is Status.deprecated for p in known):
            on_deprecated.append(_policy_ref(playbook, policy.id))

    items = [(_pattern_ref(playbook, p.id), p.review_by) for p in playbook.patterns.values()]
    items += [(_policy_ref(playbook, p.id), p.review_by) for p in playbook.policies.values()]
    overdue = [Overdue(ref, due, (today - due).days) for ref, due in items if due < today]
    overdue.sort(key=lambda o: (o.review_by, o.item.kind, o.item.id))

    owners: dict[str, list[ItemRef]] = {}
    for ref, _due in items:
        owners.setdefault(ref.owner, []).append(ref)
    owners = {owner: owners[owner] for owner in sorted(owners, key=str.casefold)}

    coverage = []
    for tier in playbook.tiers:
        approved = patterns_at(tier.id, playbook.patterns)
        coverage.append(
            TierCoverage(
                tier=tier.id,
                name=tier.name,
                patterns=[p.id for p in approved],
                adopted=[p.id for p in approved if p.status is Status.adopted],
            )
        )
    found = pattern_candidates(playbook)
    return Report(today, uncited, on_deprecated, overdue, owners, coverage, found.threshold,
                  [_candidate_ref(c) for c in found.candidates], [_candidate_ref(c) for c in found.watch])


def _heading(title: str, count: int | None = None) -> list[str]:
    text = title if count is None else f"{title} ({count})"
    return ["", text, "-" * len(text)]


def _describe(ref: ItemRef) -> str:
    status = f", {ref.status}" if ref.status else ""
    return f"{ref.id}: {ref.title} ({ref.kind}{status}; owner {ref.owner})"


def render_text(report: Report) -> str:
    lines = [f"Playbook report, {report.today.isoformat()}"]

    lines += _heading("Patterns no policy cites", len(report.uncited_patterns))
    lines += [f"  {_describe(ref)}" for ref in report.uncited_patterns] or ["  none: every pattern is cited"]

    lines += _heading("Policies whose patterns are all deprecated", len(report.policies_on_deprecated_patterns))
    lines += [f"  {_describe(ref)}" for ref in report.policies_on_deprecated_patterns] or ["  none"]

    lines += _heading("Past their review date", len(report.overdue))
    lines += [
        f"  {o.item.kind} {o.item.id}: due {o.review_by.isoformat()}, {o.days_late} day{'s' * (o.days_late != 1)} "
        f"late (owner {o.item.owner})"
        for o in report.overdue
    ] or ["  none"]

    lines += _heading("Items by owner", len(report.owners))
    for owner, refs in report.owners.items():
        lines.append(f"  {owner} ({len(refs)})")
        lines += [f"    {ref.kind} {ref.id}" for ref in refs]
    if not report.owners:
        lines.append("  none")

    lines += _heading("Tier coverage: non-deprecated patterns approved per tier")
    width = max((len(c.tier) for c in report.tier_coverage), default=0)
    for c in report.tier_coverage:
        if c.uncovered:
            detail = "NO PATTERN: teams in this tier have nothing approved to build on"
        else:
            detail = f"{len(c.patterns)} ({', '.join(c.patterns)}); {len(c.adopted)} adopted"
        lines.append(f"  {c.tier.ljust(width)}  {detail}")
    uncovered = [c.tier for c in report.tier_coverage if c.uncovered]
    if uncovered:
        lines.append(f"  warning: no pattern is approved for tier(s): {', '.join(uncovered)}")

    lines += _heading(f"Pattern candidates: built outside the patterns by {report.candidate_teams} or more teams",
                      len(report.candidates))
    lines += [line for c in report.candidates for line in _candidate_lines(c)] or ["  none"]
    lines += _heading(f"Watch list: built by {report.candidate_teams - 1} teams", len(report.watch))
    lines += [line for c in report.watch for line in _candidate_lines(c)] or ["  none"]
    return "\n".join(lines)


def _candidate_lines(c: CandidateRef) -> list[str]:
    hours = f"{c.hours_saved_per_month:,.0f}" if c.hours_saved_per_month == int(c.hours_saved_per_month) else (
        f"{c.hours_saved_per_month:,.1f}")
    shared = ", ".join(c.shared_patterns) or "none"
    started = (f"pattern {c.pattern} started" if c.pattern
               else f"start it: playbook new pattern {c.capability} --from-candidate {c.capability}")
    return [f"  {c.capability}: {len(c.teams)} teams ({', '.join(c.teams)}), {hours} hours saved a month",
            f"    use cases: {', '.join(c.usecases)}",
            f"    adopted patterns they share: {shared}; {started}"]
