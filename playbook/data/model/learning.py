"""The typed model of a learning: ``learnings/<id>.yml``, what a team found out and what changed because of it."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import Field

from playbook.data.model.items import Id, Item, Line, Markdown


class LearningStatus(str, Enum):
    """Whether the playbook has caught up with a learning."""

    open = "open"
    addressed = "addressed"


class Learning(Item):
    """What a team found out while building or running AI, such as a new way for it to fail, and what the
    playbook changed because of it: ``learnings/<id>.yml``."""

    id: Id
    """The learning's slug; must equal the file name without ``.yml``."""
    title: Line
    """What was learned, in a line, as the list of learnings shows it."""
    date: dt.date
    """The day the team found it out (not the day the file was written)."""
    team: Id
    """The team that found it out: the team of a pilot in ``pilots/``."""
    status: LearningStatus
    """open while the playbook has not caught up with it; addressed once what_changed says how it has."""
    what_happened: Markdown
    """What the team saw, in Markdown: the situation, what went wrong or surprised them, how it was noticed."""
    impact: Markdown
    """What it cost or could have cost, in Markdown: who or what was affected, and how badly."""
    patterns: list[Id] = Field(default_factory=list, max_length=50)
    """Ids of the patterns it affects: their pages list the learning under what teams learned."""
    policies: list[Id] = Field(default_factory=list, max_length=50)
    """Ids of the policies it affects."""
    usecases: list[Id] = Field(default_factory=list, max_length=50)
    """Ids of the registered use cases where it happened or that it affects."""
    what_changed: Markdown | None = None
    """What changed as a result, in Markdown: a pattern's control, a policy, a threshold, a use case's design.
    Needed once the status is addressed."""
