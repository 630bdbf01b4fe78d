"""``playbook new``: a command per kind that starts a new file, every field explained."""

from __future__ import annotations

from pathlib import Path

import click

from playbook.cli.options import asks, root_option
from playbook.data.kinds import COLLECTIONS, LEARNING, PATTERN, PILOT, POLICY, USECASE, Kind

interactive_option = click.option(
    "--interactive/--no-interactive",
    default=None,
    help="Ask for the fields not given as flags. Default: ask when stdin is a terminal.",
)


@click.group()
def new() -> None:
    """Start a pattern, policy, pilot, use-case or learning file, every field explained.

    Fields not given are left as TODO text that playbook check reports as warnings.
    The command never replaces an existing file.
    """


@new.command("pattern")
@click.argument("pattern_id", metavar="ID")
@root_option
@click.option("--title", help="The pattern's name as shown in the catalog.")
@click.option("--summary", help="One or two sentences: what the pattern gives a team.")
@click.option("--category", help="The catalog section, such as Platforms.")
@click.option("--owner", help="The team that maintains the pattern.")
@click.option("--tier", "tiers", multiple=True, help="A risk tier the pattern is approved for (repeatable). "
              "Default: the lowest tier.")
@click.option("--from-candidate", "from_candidate", metavar="CAPABILITY",
              help="A capability use cases built outside the patterns (see the pattern candidates page or "
              "playbook report): its teams fill adopted_by, its use cases the summary and how it works.")
@interactive_option
def new_pattern(root: Path, pattern_id: str, title: str | None, summary: str | None, category: str | None,
                owner: str | None, tiers: tuple[str, ...], from_candidate: str | None,
                interactive: bool | None) -> None:
    """Create patterns/ID.yml, ready to fill in.

    The pattern starts as proposed, approved for the tiers given (the lowest tier if none),
    with review_by six months ahead. An existing file is never overwritten.
    """
    from playbook.authoring.scaffold import next_steps
    from playbook.authoring.scaffold_values import pattern_values
    from playbook.cli.prompts import ask_pattern, create

    fields = {"title": title, "summary": summary, "category": category, "owner": owner, "tiers": tiers,
              "from_candidate": from_candidate}
    created = create(root, PATTERN, pattern_id, fields, ask_pattern, pattern_values, asks(interactive))
    click.echo(next_steps(created, root / created.rel))


@new.command("policy")
@click.argument("policy_id", metavar="ID")
@root_option
@click.option("--title", help="The policy's name.")
@click.option("--statement", help="What the policy requires.")
@click.option("--owner", help="The team accountable for the policy.")
@click.option("--tier", "tiers", multiple=True, help="A risk tier the policy applies to (repeatable). "
              "Default: the lowest tier.")
@click.option("--pattern", "patterns", multiple=True, help="A pattern that satisfies the policy (repeatable; "
              "at least one).")
@interactive_option
def new_policy(root: Path, policy_id: str, title: str | None, statement: str | None, owner: str | None,
               tiers: tuple[str, ...], patterns: tuple[str, ...], interactive: bool | None) -> None:
    """Create policies/ID.yml, ready to fill in.

    The policy cites the patterns given (at least one), applies to the tiers given (the
    lowest tier if none) and is due for review six months ahead.
    """
    from playbook.authoring.scaffold import next_steps
    from playbook.authoring.scaffold_values import policy_values
    from playbook.cli.prompts import ask_policy, create

    fields = {"title": title, "statement": statement, "owner": owner, "tiers": tiers, "patterns": patterns}
    created = create(root, POLICY, policy_id, fields, ask_policy, policy_values, asks(interactive))
    click.echo(next_steps(created, root / created.rel))


@new.command("pilot")
@click.argument("team")
@root_option
@click.option("--name", help="The team's name. Default: made from TEAM.")
@click.option("--sponsor", help="The executive who sponsors the pilot.")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day, YYYY-MM-DD. Default: today.")
@interactive_option
def new_pilot(root: Path, team: str, name: str | None, sponsor: str | None, start: object,
              interactive: bool | None) -> None:
    """Create pilots/TEAM.yml, ready to fill in.

    The pilot is on the first roadmap step with every checklist item open, and runs one
    quarter from --start.
    """
    import datetime as dt

    from playbook.authoring.scaffold import next_steps
    from playbook.authoring.scaffold_values import pilot_values
    from playbook.cli.prompts import ask_pilot, create

    fields = {"name": name, "sponsor": sponsor, "start": start.date() if isinstance(start, dt.datetime) else None}
    created = create(root, PILOT, team, fields, ask_pilot, pilot_values, asks(interactive))
    click.echo(next_steps(created, root / created.rel))


@new.command("usecase")
@click.argument("usecase_id", metavar="ID")
@root_option
@click.option("--team", help="The team that owns the use case: a pilot team in pilots/.")
@click.option("--title", help="The use case's name, as the register lists it.")
@click.option("--owner", help="The person or group who answers for the use case.")
@interactive_option
def new_usecase(root: Path, usecase_id: str, team: str | None, title: str | None, owner: str | None,
                interactive: bool | None) -> None:
    """Create usecases/ID.yml, an idea requested today, ready to fill in.

    In a terminal the risk questions are asked and the answers written in; otherwise each
    answer is a TODO (playbook assess ... --register ID writes them from an assessment).
    """
    from playbook.authoring.scaffold import next_steps
    from playbook.authoring.scaffold_values import usecase_values
    from playbook.cli.prompts import ask_usecase, create

    fields = {"team": team, "title": title, "owner": owner}
    created = create(root, USECASE, usecase_id, fields, ask_usecase, usecase_values, asks(interactive))
    click.echo(next_steps(created, root / created.rel))


@new.command("learning")
@click.argument("learning_id", metavar="ID")
@root_option
@click.option("--team", help="The team that found it out: a pilot team in pilots/.")
@click.option("--title", help="What was learned, in a line.")
@click.option("--pattern", "patterns", multiple=True, help="A pattern it affects (repeatable).")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The day the team found it out, YYYY-MM-DD. Default: today.")
@interactive_option
def new_learning(root: Path, learning_id: str, team: str | None, title: str | None, patterns: tuple[str, ...],
                 day: object, interactive: bool | None) -> None:
    """Create learnings/ID.yml, an open learning, ready to fill in.

    Fill in what happened and its impact; once the playbook has changed because of it, say what
    changed and set the status to addressed.
    """
    import datetime as dt

    from playbook.authoring.scaffold import next_steps
    from playbook.authoring.scaffold_values import learning_values
    from playbook.cli.prompts import ask_learning, create

    fields = {"team": team, "title": title, "patterns": patterns,
              "day": day.date() if isinstance(day, dt.datetime) else None}
    created = create(root, LEARNING, learning_id, fields, ask_learning, learning_values, asks(interactive))
    click.echo(next_steps(created, root / created.rel))


def _new_command(kind: Kind) -> click.Command:
    """``playbook new <kind> ID`` for a kind of the registry with no command of its own: every field a TODO."""

    @click.argument("item_id", metavar=kind.id_field.upper())
    @root_option
    def command(root: Path, item_id: str) -> None:
        from playbook.authoring.scaffold import default_values, new_item, next_steps

        created = new_item(root, kind, item_id, lambda _playbook: default_values(kind, item_id))
        click.echo(next_steps(created, root / created.rel))

    command.__doc__ = f"Create {kind.path_of(kind.id_field.upper())}, ready to fill in."
    return click.command(kind.name)(command)


for _kind in COLLECTIONS:
    if _kind.scaffold is not None and _kind.name not in new.commands:
        new.add_command(_new_command(_kind))
