"""``playbook new`` at the terminal: ask for what the flags did not give, then write the file."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from playbook.authoring.scaffold import Created, new_item
from playbook.authoring.scaffold_values import check_refs, stripped, team_name, tier_ids
from playbook.data.kinds import Kind
from playbook.data.model.playbook import Playbook
from playbook.data.problems import PlaybookError


def split_ids(text: str) -> list[str]:
    """Ids typed at a prompt, separated by commas or spaces."""
    return [part for part in re.split(r"[,\s]+", text.strip()) if part]


def ask_text(label: str, default: str | None = None) -> str | None:
    """One line of text from the terminal; blank takes ``default``, or leaves the field as a TODO."""
    if default:
        return stripped(click.prompt(label, default=default))
    return stripped(click.prompt(f"{label} (blank leaves a TODO)", default="", show_default=False))


def ask_ids(label: str, known: Sequence[str], what: str, default: Sequence[str] = ()) -> list[str]:
    """Ids from the terminal, asked again until every one is known and at least one is given."""

    def convert(text: str) -> list[str]:
        ids = split_ids(text)
        if not ids:
            raise click.BadParameter(f"give at least one {what}; {what}s are: {', '.join(known)}")
        try:
            return check_refs(ids, known, what)
        except PlaybookError as exc:
            raise click.BadParameter(str(exc)) from None

    shown_default = ", ".join(default) if default else None
    result: list[str] = click.prompt(
        f"{label} ({', '.join(known)}; separate with commas)", default=shown_default, value_proc=convert
    )
    return result


Fields = dict[str, Any]
"""The fields of a new file as flags give them, by keyword of the scaffold's ``*_values`` function."""


def ask_pattern(playbook: Playbook, _pattern_id: str, fields: Fields) -> Fields:
    """The fields of a new pattern, asking at the terminal for each one the flags did not give."""
    known = tier_ids(playbook)
    return {
        **fields,
        "title": fields["title"] or ask_text("Title"),
        "summary": fields["summary"] or ask_text("Summary: what the pattern gives a team, in a sentence or two"),
        "category": fields["category"] or ask_text("Category in the catalog, such as Platforms"),
        "owner": fields["owner"] or ask_text("Owner: the team that maintains the pattern"),
        "tiers": fields["tiers"] or ask_ids("Risk tiers it is approved for", known, "tier", known[:1]),
    }


def ask_policy(playbook: Playbook, _policy_id: str, fields: Fields) -> Fields:
    """The fields of a new policy, asking for each one not given; the patterns only if some exist."""
    known = tier_ids(playbook)
    asked = {
        **fields,
        "title": fields["title"] or ask_text("Title"),
        "statement": fields["statement"] or ask_text("Statement: what the policy requires"),
        "owner": fields["owner"] or ask_text("Owner: the team accountable for the policy"),
        "tiers": fields["tiers"] or ask_ids("Risk tiers it applies to", known, "tier", known[:1]),
    }
    if not asked["patterns"] and playbook.patterns:
        asked["patterns"] = ask_ids("Patterns that satisfy it", list(playbook.patterns), "pattern")
    return asked


def ask_pilot(_playbook: Playbook, team: str, fields: Fields) -> Fields:
    """The fields of a new pilot: its team's name and its sponsor, when not given."""
    return {
        **fields,
        "name": fields["name"] or ask_text("Team name", default=team_name(team)),
        "sponsor": fields["sponsor"] or ask_text("Sponsor: the executive who sponsors the pilot"),
    }


def create(
    root: Path,
    kind: Kind,
    item_id: str,
    fields: Fields,
    ask: Callable[[Playbook, str, Fields], Fields],
    values: Callable[..., Fields],
    interactive: bool,
) -> Created:
    """Write a new file of ``kind``: ``values`` completes ``fields``, once ``ask`` has filled the gaps at the
    terminal when ``interactive``."""

    def gather(playbook: Playbook) -> Fields:
        given = ask(playbook, item_id, fields) if interactive else fields
        return values(playbook, item_id, **given)

    return new_item(root, kind, item_id, gather)


def choose_team(playbook: Playbook, team: str | None, interactive: bool) -> str | None:
    """``team``, or a pilot team picked at the terminal when none is given and ``interactive``."""
    if team or not interactive or not playbook.pilots:
        return team
    chosen: str = click.prompt("Team", type=click.Choice(list(playbook.pilots)))
    return chosen


def ask_usecase(playbook: Playbook, _usecase_id: str, fields: Fields) -> Fields:
    """The fields of a new use case: title, owner and team when not given, then the risk questions."""
    from playbook.assess.classify import classify
    from playbook.cli.assess import ask, ask_patterns

    asked = {
        **fields,
        "title": fields["title"] or ask_text("Title"),
        "owner": fields["owner"] or ask_text("Owner: the person or group who answers for it"),
        "team": choose_team(playbook, fields["team"], interactive=True),
    }
    if playbook.risk_tiers is not None:
        answers = ask(playbook.risk_tiers, {})
        patterns, custom = ask_patterns(playbook)
        result = classify(answers, playbook.risk_tiers, patterns, playbook.patterns, custom)
        asked.update(answers=answers, patterns=patterns, custom_parts=custom, tier=result.tier.id)
    return asked


def ask_learning(playbook: Playbook, _learning_id: str, fields: Fields) -> Fields:
    """The fields of a new learning: its title and team when not given."""
    return {
        **fields,
        "title": fields["title"] or ask_text("Title: what was learned, in a line"),
        "team": choose_team(playbook, fields["team"], interactive=True),
    }
