"""Typed models of the use-case register: ``usecases/<id>.yml``, with the fields kept internal.

The register is internal data; :class:`PublishedUseCase` is what the site and the exports may show.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, ClassVar

from pydantic import Field, StringConstraints

from playbook.data.model.items import Id, Item, Line, Markdown, Reference, ReviewPath, Text

Answers = dict[str, bool | float | str | list[str]]
"""Answers to the risk questions by question id, as the assessment takes them."""

Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 currency code, such as ``USD``."""


class UseCaseStatus(str, Enum):
    """Where a use case is in its life."""

    idea = "idea"
    prototype = "prototype"
    production = "production"
    retired = "retired"


class Outcome(str, Enum):
    """What the review decided."""

    approved = "approved"
    approved_with_conditions = "approved-with-conditions"
    rejected = "rejected"
    withdrawn = "withdrawn"


class AuditResult(str, Enum):
    """What an audit of a sampled decision found."""

    passed = "passed"
    findings = "findings"
    failed = "failed"


class Value(Item):
    hours_saved_per_month: float | None = Field(default=None, ge=0)
    """Working hours the use case saves each month, as the team measures them."""
    yearly_cost: float | None = Field(default=None, ge=0)
    """What the use case costs a year to run: licences, model usage, upkeep."""
    yearly_benefit: float | None = Field(default=None, ge=0)
    """Money the use case brings in or saves a year, beyond the hours saved."""
    currency: Currency | None = None
    """The ISO 4217 code of yearly_cost and yearly_benefit, such as ``USD``."""
    notes: Text | None = None
    """How the team measured the value, or what it cannot put a number on."""


_SEPARATORS = re.compile(r"[\W_]+")


def capability_key(name: str) -> str:
    """A capability's name as the register compares it: lower case, words joined by hyphens.

    ``Invoice Extraction``, ``invoice_extraction`` and ``invoice-extraction`` are one capability.
    """
    return _SEPARATORS.sub("-", name.casefold()).strip("-")


class BuiltPart(Item):
    capability: Line
    """What the team built itself, outside the patterns, named in a few words (``invoice-extraction``);
    the register compares names in lower case with hyphens between words."""
    note: Text | None = None
    """How the team built it, or what it does that no pattern offers."""

    @property
    def key(self) -> str:
        """The capability's name as the register compares it (:func:`capability_key`)."""
        return capability_key(self.capability)


class Audit(Item):
    date: dt.date
    """The day the audit was done."""
    auditor: Line
    """Who did the audit."""
    result: AuditResult
    """passed, findings (passed with points to fix) or failed."""
    notes: Text | None = None
    """What the auditor found and what the team agreed to do."""


class PublishedUseCase(Item):
    """The fields of a use case that the site and the exports publish (:class:`UseCase` adds the rest)."""

    id: Id
    """The use case's slug; must equal the file name without ``.yml``."""
    title: Line
    """The use case's name, as the register lists it."""
    team: Id
    """The business unit that owns it: the team of a pilot in ``pilots/``."""
    owner: Line
    """The person or group in the team who answers for the use case."""
    description: Markdown
    """What the use case does and for whom, in Markdown."""
    answers: Answers
    """The answers to every risk question, by question id, as ``playbook assess`` takes them."""
    patterns: list[Id] = Field(default_factory=list, max_length=50)
    """The playbook patterns the solution is built on."""
    built: list[BuiltPart] = Field(default_factory=list, max_length=50)
    """Each part the team built itself, outside the patterns listed: a capability and a note. Any part listed
    means no fast track; three teams building the same capability make it a pattern candidate."""
    custom_parts: bool = False
    """Before ``built``: true when parts of the solution are not covered by the patterns listed. Now derived from
    ``built``; ``playbook check`` says how to name the parts instead."""
    status: UseCaseStatus
    """idea, prototype, production or retired."""
    tier: Id | None = None
    """The tier the team declared; ``playbook check`` fails when the answers give another one."""
    requested: dt.date
    """The day the team recorded the use case or asked for its review."""
    decided: dt.date | None = None
    """The day the review decided; empty while the decision is pending."""
    review: ReviewPath | None = None
    """The review path the decision took: none, self-service, fast-track or central."""
    outcome: Outcome | None = None
    """What was decided: approved, approved-with-conditions, rejected or withdrawn."""
    conditions: list[Text] = Field(default_factory=list, max_length=50)
    """For an approval with conditions: what the team must keep doing."""
    value: Value = Field(default_factory=Value)
    """Outcome measures the team reports."""
    links: list[Reference] = Field(default_factory=list, max_length=50)
    """Where to find more: the repository, a demo, the design notes."""

    @property
    def builds_own_parts(self) -> bool:
        """True when parts of the solution are not covered by the patterns listed (no fast track then): parts
        listed under ``built``, or ``custom_parts: true`` in a file written before ``built``."""
        return bool(self.built) or self.custom_parts

    @property
    def capabilities(self) -> list[str]:
        """The capabilities built, as the register compares them, each once, in the order listed; a placeholder
        (``TODO``) names none yet."""
        return list(dict.fromkeys(part.key for part in self.built if part.key and "TODO" not in part.capability))


class UseCase(PublishedUseCase):
    """One AI use case in the register: ``usecases/<id>.yml``.

    The register is internal data. ``reviewer`` and ``audits`` name people and findings and are
    never published: the site and the exports show :class:`PublishedUseCase` fields only.
    """

    UNPUBLISHED: ClassVar[tuple[str, ...]] = ("reviewer", "audits")
    """The fields kept out of every page and export."""

    reviewer: Line | None = None
    """Who made the decision (not published)."""
    audits: list[Audit] = Field(default_factory=list, max_length=100)
    """Past audit findings on this decision, oldest first (not published)."""

    def published(self) -> PublishedUseCase:
        """The use case without the fields kept internal."""
        return PublishedUseCase.model_validate(self.model_dump(exclude=set(self.UNPUBLISHED)))
