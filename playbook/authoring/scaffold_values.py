"""What goes into a new pattern, policy, pilot, use case or learning: the values given, checked against the
playbook, and defaults for the rest. :mod:`playbook.scaffold` renders and writes the file.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.authoring.scaffold import OMIT, Block, default_values, todo
from playbook.data.kinds import LEARNING, PATTERN, POLICY, USECASE
from playbook.data.model.items import REVIEW_MONTHS, Pilot, Status
from playbook.data.model.playbook import Playbook
from playbook.data.model.usecase import BuiltPart, capability_key
from playbook.data.problems import PlaybookError, did_you_mean
from playbook.register.candidates import capability_cases

PILOT_MONTHS = 3
"""A pilot runs for one quarter unless its file says otherwise."""


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved on by whole months, kept to the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def tier_ids(playbook: Playbook) -> list[str]:
    return [t.id for t in playbook.tiers]


def check_refs(values: Sequence[str], known: Sequence[str], what: str) -> list[str]:
    """``values`` without duplicates, or an error naming the first unknown one with a suggestion."""
    for value in values:
        if value not in known:
            # A near miss is the likely fix; the full list only helps when there is none.
            hint = did_you_mean(value, known) or f"; {what}s are: {', '.join(known) or 'none'}"
            raise PlaybookError(f"unknown {what} '{value}'{hint}")
    return list(dict.fromkeys(values))


def stripped(value: str | None) -> str | None:
    """The text typed, trimmed; None when nothing was typed."""
    value = value.strip() if value is not None else None
    return value or None


def pattern_values(
    playbook: Playbook,
    pattern_id: str,
    *,
    title: str | None = None,
    summary: str | None = None,
    category: str | None = None,
    owner: str | None = None,
    tiers: Sequence[str] = (),
    from_candidate: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Every field of a new pattern: the values given, placeholders for the rest.

    ``from_candidate`` names a capability that use cases built outside the patterns: the teams that built it
    become ``adopted_by``, and the summary and how it works say who built it and how.
    """
    today = today or dt.date.today()
    values = default_values(PATTERN, pattern_id)
    if from_candidate is not None:
        values.update(candidate_values(playbook, from_candidate))
    given = {"title": title, "summary": summary, "category": category, "owner": owner}
    values.update({key: value for key, value in ((k, stripped(v)) for k, v in given.items()) if value is not None})
    values["status"] = Status.proposed.value
    values["tiers"] = check_refs(tiers, tier_ids(playbook), "tier") if tiers else tier_ids(playbook)[:1]
    values["review_by"] = add_months(today, REVIEW_MONTHS)
    return values


def candidate_values(playbook: Playbook, capability: str) -> dict[str, Any]:
    """``adopted_by``, ``summary`` and ``how_it_works`` of a pattern started from a capability the register names."""
    built = capability_cases(playbook)
    key = capability_key(capability)
    cases = built.get(key)
    if not cases:
        hint = did_you_mean(key, built) or (f"; capabilities the use cases name: {', '.join(sorted(built))}"
                                            if built else "; no use case lists what it built (built:) yet")
        raise PlaybookError(f"no use case built the capability '{capability}'{hint}")
    teams = sorted({case.team for case in cases})
    names = [playbook.pilots[t].name if t in playbook.pilots else t for t in teams]
    lines = [f"{len(teams)} team(s) built {key} themselves, outside the patterns:", ""]
    for case in cases:
        notes = [part.note for part in case.built if part.key == key and part.note]
        lines.append(f"- {case.title} ({case.team}, usecases/{case.id}.yml)" + (f": {notes[0]}" if notes else ""))
    lines += ["", "TODO: describe the shared way to build it, from what these teams learned."]
    return {
        "adopted_by": names,
        "summary": f"TODO: one shared way to do {key}, which {len(teams)} team(s) now each build on their own.",
        "how_it_works": Block("\n".join(lines) + "\n"),
    }


def policy_values(
    playbook: Playbook,
    policy_id: str,
    *,
    patterns: Sequence[str],
    title: str | None = None,
    statement: str | None = None,
    owner: str | None = None,
    tiers: Sequence[str] = (),
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Every field of a new policy: the values given, placeholders for the rest."""
    if not patterns:
        known = ", ".join(playbook.patterns) or "none yet; add one with playbook new pattern"
        raise PlaybookError(
            f"a policy needs at least one pattern that satisfies it; pass --pattern ID (patterns: {known})"
        )
    today = today or dt.date.today()
    values = default_values(POLICY, policy_id)
    for key, value in (("title", title), ("owner", owner)):
        if stripped(value):
            values[key] = stripped(value)
    if stripped(statement):
        values["statement"] = Block(f"{stripped(statement)}\n")
    values["patterns"] = check_refs(patterns, list(playbook.patterns), "pattern")
    values["tiers"] = check_refs(tiers, tier_ids(playbook), "tier") if tiers else tier_ids(playbook)[:1]
    values["review_by"] = add_months(today, REVIEW_MONTHS)
    return values


def team_name(team: str) -> str:
    """A readable default name for a team slug: ``claims-team`` -> ``Claims team``."""
    return team.replace("-", " ").capitalize()


def pilot_values(
    playbook: Playbook,
    team: str,
    *,
    name: str | None = None,
    sponsor: str | None = None,
    start: dt.date | None = None,
) -> dict[str, Any]:
    """Every field of a new pilot, on the first roadmap step with every checklist item open."""
    assert playbook.roadmap is not None
    start = start or dt.date.today()
    return {
        "team": team,
        "name": stripped(name) or team_name(team),
        "sponsor": stripped(sponsor) or todo(Pilot.model_fields["sponsor"]),
        "example": False,
        "start": start,
        "end": add_months(start, PILOT_MONTHS),
        "step": playbook.roadmap.steps[0].id,
        "checklist": {item_id: False for item_id in playbook.checklist_items()},
        "metrics": {"outcome": [], "process": []},
    }


def _plain(answer: Any) -> Any:
    """An answer as it reads best in YAML: ``0`` rather than ``0.0``."""
    return int(answer) if isinstance(answer, float) and answer.is_integer() else answer


def usecase_team(playbook: Playbook, team: str | None, subject: str = "a use case") -> str:
    """``team`` when it is the team of a pilot, or an error saying which teams there are; ``subject`` is what
    belongs to the team, as the error says it."""
    teams = list(playbook.pilots)
    if not team:
        known = ", ".join(teams) or "none yet; add one with playbook new pilot TEAM"
        raise PlaybookError(f"{subject} belongs to a team; pass --team TEAM (teams, from pilots/: {known})")
    return check_refs([team], teams, "team")[0]


def usecase_values(
    playbook: Playbook,
    usecase_id: str,
    *,
    team: str | None,
    answers: Mapping[str, Any] | None = None,
    patterns: Sequence[str] = (),
    custom_parts: bool = False,
    tier: str | None = None,
    title: str | None = None,
    owner: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Every field of a new use case, an idea requested today; the answers not given are TODO."""
    from playbook.assess.classify import allowed_values

    assert playbook.risk_tiers is not None
    values = default_values(USECASE, usecase_id)
    for key, value in (("title", title), ("owner", owner)):
        if stripped(value):
            values[key] = stripped(value)
    values["team"] = usecase_team(playbook, team)
    values["patterns"] = check_refs(patterns, list(playbook.patterns), "pattern")
    # custom_parts is derived from built now: a new file names the part it built instead, a TODO to fill in.
    values["custom_parts"] = OMIT
    values["built"] = [{"capability": "TODO", "note": todo(BuiltPart.model_fields["note"])}] if custom_parts else []
    values["answers"] = {
        q.id: _plain(answers[q.id]) if answers and q.id in answers else f"TODO: {allowed_values(q)}"
        for q in playbook.risk_tiers.questions
    }
    values["status"] = "idea"
    values["tier"] = tier
    values["requested"] = today or dt.date.today()
    values["value"] = {}
    values["reviewer"] = None
    return values


def learning_values(
    playbook: Playbook,
    learning_id: str,
    *,
    team: str | None,
    title: str | None = None,
    patterns: Sequence[str] = (),
    day: dt.date | None = None,
) -> dict[str, Any]:
    """Every field of a new learning, open, dated ``day`` (today if not given); what changed stays empty."""
    values = default_values(LEARNING, learning_id)
    if stripped(title):
        values["title"] = stripped(title)
    values["team"] = usecase_team(playbook, team, "a learning")
    values["date"] = day or dt.date.today()
    values["patterns"] = check_refs(patterns, list(playbook.patterns), "pattern")
    values["what_changed"] = None
    return values
