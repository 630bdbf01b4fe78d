"""Pattern candidates: the capabilities that use cases of several teams built themselves, outside the patterns.

When enough teams solve the same problem on their own, the central team abstracts it into a shared pattern.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from playbook.data.model.items import Pattern, Status
from playbook.data.model.playbook import Playbook
from playbook.data.model.usecase import Outcome, UseCase

DEFAULT_TEAMS = 3
"""Teams that must build a capability before it is a candidate, when ``framework/decision-rights.yml`` sets none."""


def candidate_threshold(playbook: Playbook) -> int:
    """``pattern_candidate_teams`` of the decision rights, 3 when the playbook has none."""
    rights = playbook.decision_rights
    return rights.pattern_candidate_teams if rights is not None else DEFAULT_TEAMS


def counts_as_built(case: UseCase) -> bool:
    """Every case counts but those rejected or withdrawn: what was refused or dropped shows no shared need."""
    return case.outcome not in (Outcome.rejected, Outcome.withdrawn)


@dataclass(frozen=True)
class Candidate:
    """One capability built outside the patterns, with the use cases and teams that built it."""

    capability: str
    """The capability's name as the register compares it (lower case, hyphens)."""
    cases: list[UseCase]
    """The use cases that built it, by team, then by decision date (undecided last), then id."""
    teams: list[str]
    """The distinct teams, in name order."""
    shared_patterns: list[str]
    """Adopted patterns that every one of those teams builds on in at least one of these cases."""
    pattern: Pattern | None
    """The playbook's pattern of the same id, when the central team has already started it."""

    @property
    def hours_saved_per_month(self) -> float:
        """The value the cases report, in the one unit every case can: hours saved a month, summed."""
        return sum(case.value.hours_saved_per_month or 0 for case in self.cases)

    @property
    def yearly_benefit(self) -> dict[str, float]:
        """Yearly benefit reported, summed by currency."""
        totals: dict[str, float] = {}
        for case in self.cases:
            if case.value.yearly_benefit is not None:
                currency = case.value.currency or ""
                totals[currency] = totals.get(currency, 0.0) + case.value.yearly_benefit
        return totals

    @property
    def first_decided(self) -> dt.date | None:
        decided = [case.decided for case in self.cases if case.decided is not None]
        return min(decided) if decided else None


@dataclass(frozen=True)
class Candidates:
    """The pattern candidates and the watch list, as the candidates page and ``playbook report`` show them."""

    threshold: int
    """Teams a capability needs to be a candidate."""
    candidates: list[Candidate]
    """Capabilities built by at least ``threshold`` teams: most teams first, then most hours saved, then name."""
    watch: list[Candidate]
    """Capabilities one team short, in the same order."""

    def find(self, capability: str) -> Candidate | None:
        return next((c for c in [*self.candidates, *self.watch] if c.capability == capability), None)


def capability_cases(playbook: Playbook) -> dict[str, list[UseCase]]:
    """Each capability the register names, with the cases that count as having built it, in file order."""
    found: dict[str, list[UseCase]] = defaultdict(list)
    for case in playbook.usecases.values():
        if counts_as_built(case):
            for key in case.capabilities:
                found[key].append(case)
    return dict(found)


def _candidate(playbook: Playbook, capability: str, cases: list[UseCase]) -> Candidate:
    teams = sorted({case.team for case in cases})
    adopted = {pid for pid, p in playbook.patterns.items() if p.status is Status.adopted}
    per_team = [set().union(*(set(c.patterns) for c in cases if c.team == team)) & adopted for team in teams]
    shared = sorted(set.intersection(*per_team)) if per_team else []
    far = dt.date.max
    ordered = sorted(cases, key=lambda c: (c.team, c.decided or far, c.id))
    return Candidate(capability, ordered, teams, shared, playbook.patterns.get(capability))


def pattern_candidates(playbook: Playbook, threshold: int | None = None) -> Candidates:
    """The capabilities built by at least ``threshold`` teams (default: the playbook's setting), and those one short."""
    threshold = threshold or candidate_threshold(playbook)
    found = [_candidate(playbook, key, cases) for key, cases in capability_cases(playbook).items()
             if len({c.team for c in cases}) >= threshold - 1]

    def rank(c: Candidate) -> tuple[int, float, str]:
        return (-len(c.teams), -c.hours_saved_per_month, c.capability)

    found.sort(key=rank)
    return Candidates(threshold, [c for c in found if len(c.teams) >= threshold],
                      [c for c in found if len(c.teams) == threshold - 1])
