"""Typed models of each kind of playbook data (see :mod:`playbook.data.kinds`), validated by pydantic. The
use-case register's models are in :mod:`playbook.data.model.usecase`; the Playbook holding them all, in
:mod:`playbook.data.model.playbook`.

Cross-references between items are checked later, in :mod:`playbook.validate`.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""What an id looks like; the site's forms check ids in the browser with this very expression."""
ID_MIN_LENGTH = 2
ID_MAX_LENGTH = 64

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=ID_MIN_LENGTH, max_length=ID_MAX_LENGTH)]
"""A lower-case kebab-case slug: ``llm-gateway``."""

_ID = re.compile(ID_PATTERN)


def is_id(text: str) -> bool:
    """True for text the model takes as an id."""
    return ID_MIN_LENGTH <= len(text) <= ID_MAX_LENGTH and _ID.fullmatch(text) is not None

REVIEW_MONTHS = 6
"""A new pattern or policy is due for review six months after it is written."""

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
"""One line of plain text: a title, a name, a list entry."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000)]
"""A paragraph of plain text."""

Markdown = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
"""Markdown text, rendered with raw HTML escaped."""

Url = Annotated[str, StringConstraints(pattern=r"^(https?://|mailto:)[^\s<>\"]+$", max_length=2_000)]
"""An absolute ``http``, ``https`` or ``mailto`` address; other schemes are refused."""


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, defer_build=True)


class Status(str, Enum):
    """Where a pattern is in its life."""

    proposed = "proposed"
    trial = "trial"
    adopted = "adopted"
    deprecated = "deprecated"


class ControlKind(str, Enum):
    """The kind of guardrail a control is."""

    data_access = "data-access"
    security = "security"
    monitoring = "monitoring"
    human_oversight = "human-oversight"
    cost = "cost"
    quality = "quality"


class Control(Item):
    kind: ControlKind
    """What the control guards: data access, security, monitoring, human oversight, cost or quality."""
    text: Text
    """What the control does, in one or two sentences."""


class Reference(Item):
    title: Line
    """What the link is called on the page."""
    url: Url
    """Where it points: an http(s) or mailto address."""


class Pattern(Item):
    """An approved way to build one kind of AI solution: ``patterns/<id>.yml``."""

    id: Id
    """The pattern's slug; must equal the file name without ``.yml``."""
    title: Line
    """The pattern's name as shown in the catalog."""
    summary: Text
    """One or two sentences: what the pattern gives a team."""
    status: Status
    """proposed, trial, adopted or deprecated."""
    superseded_by: Id | None = None
    """For a deprecated pattern: the pattern to use instead."""
    category: Line
    """The catalog section the pattern is listed under, such as ``Platforms``."""
    owner: Line
    """The team that maintains the pattern and reviews changes to it."""
    tiers: list[Id] = Field(min_length=1, max_length=20)
    """The risk tiers the pattern is approved for (ids from ``framework/risk-tiers.yml``)."""
    platforms: list[Line] = Field(default_factory=list, max_length=50)
    """Approved platforms and services the pattern uses."""
    controls: list[Control] = Field(min_length=1, max_length=50)
    """The guardrails built into the pattern."""
    when_to_use: list[Text] = Field(min_length=1, max_length=50)
    """Situations the pattern fits."""
    when_not_to_use: list[Text] = Field(min_length=1, max_length=50)
    """Situations where another pattern, or none, is the better choice."""
    how_it_works: Markdown
    """How the pattern works, in Markdown."""
    related: list[Id] = Field(default_factory=list, max_length=50)
    """Ids of related patterns."""
    adopted_by: list[Line] = Field(default_factory=list, max_length=200)
    """Teams that run the pattern in production."""
    aliases: list[Line] = Field(default_factory=list, max_length=50)
    """Other names people search for, such as ``AI proxy`` for an LLM gateway."""
    tags: list[Id] = Field(default_factory=list, max_length=30)
    """Extra tags for the tag index, beyond tier, status and category."""
    references: list[Reference] = Field(default_factory=list, max_length=50)
    """Further reading."""
    review_by: dt.date
    """The date by which the owner reviews the pattern again."""


class Policy(Item):
    """A rule teams follow, satisfied by one or more patterns: ``policies/<id>.yml``."""

    id: Id
    """The policy's slug; must equal the file name without ``.yml``."""
    title: Line
    """The policy's name."""
    statement: Markdown
    """What the policy requires, in Markdown."""
    rationale: Markdown | None = None
    """Why the policy exists, in Markdown."""
    tiers: list[Id] = Field(min_length=1, max_length=20)
    """The risk tiers the policy applies to."""
    patterns: list[Id] = Field(min_length=1, max_length=100)
    """Ids of the patterns that implement or satisfy the policy; at least one."""
    owner: Line
    """The team accountable for the policy."""
    exceptions: Markdown
    """How to ask for an exception, in Markdown."""
    aliases: list[Line] = Field(default_factory=list, max_length=50)
    """Other names people search for."""
    review_by: dt.date
    """The date by which the owner reviews the policy again."""


class ReviewPath(str, Enum):
    """How a use case in a tier is reviewed, from lightest to heaviest."""

    none = "none"
    self_service = "self-service"
    fast_track = "fast-track"
    central = "central"


class Tier(Item):
    id: Id
    """The tier's slug, used by patterns, policies and rules."""
    name: Line
    """The tier's name as shown to people."""
    description: Text
    """What kind of use falls in the tier."""
    review: ReviewPath
    """The review path: none, self-service, fast-track or central."""
    fast_track: ReviewPath | None = None
    """The lighter review path when the solution is built only from adopted patterns approved for the tier."""
    audit_sampling: float = Field(ge=0, le=1)
    """The share of decisions in the tier sampled by audit, from 0 to 1."""
    turnaround: Line
    """The target time from request to decision, in words."""
    turnaround_days: int | None = Field(default=None, ge=0, le=365)
    """The same target in business days (Monday to Friday), 0 for the same day; the register's
    metrics measure decisions against it. Leave it out when the tier has no target."""


class Option(Item):
    id: Id
    """The value an answer gives."""
    label: Line
    """What the person sees."""


class Question(Item):
    id: Id
    """The question's slug, used in answers and rules."""
    text: Line
    """The question as asked."""
    help: Text
    """What the question means and how to answer it."""
    type: Literal["yes_no", "amount", "choice", "multi_choice"]
    """yes_no, amount (money), choice (one option) or multi_choice (any number of options)."""
    options: list[Option] = Field(default_factory=list, max_length=50)
    """The options of a choice or multi_choice question."""
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    """For an amount: the ISO 4217 currency code, such as ``USD``."""


class Condition(Item):
    question: Id
    """The question whose answer is tested."""
    equals: bool | None = None
    """For a yes_no question: the answer that fires the rule."""
    in_: list[Id] | None = Field(default=None, alias="in")
    """For a choice question: the options that fire the rule."""
    any_of: list[Id] | None = None
    """For a multi_choice question: fires when any of these options is chosen."""
    at_least: float | None = Field(default=None, ge=0)
    """For an amount question: fires when the answer is at least this amount."""


class Rule(Item):
    id: Id
    """The rule's slug, quoted in the reasons of an assessment."""
    description: Text
    """The threshold in words, shown as the reason when the rule fires."""
    when: list[Condition] = Field(min_length=1, max_length=10)
    """Conditions that must all hold for the rule to fire."""
    tier: Id
    """The minimum tier a use case gets when the rule fires."""
    fast_track: bool = True
    """False when crossing this threshold always takes the tier's full review path, even for a
    solution built only from adopted patterns (a deviation from the standards, for example)."""


class Example(Item):
    id: Id
    """The example's slug."""
    description: Text
    """The use case in a sentence or two."""
    answers: dict[str, bool | float | str | list[str]]
    """Answers by question id."""
    patterns: list[Id] = Field(default_factory=list)
    """Patterns the solution is built on, if any."""
    expected_tier: Id
    """The tier the thresholds must give this use case."""


class RiskTiers(Item):
    """Risk tiers, the thresholds that place a use case in one, and worked examples: ``framework/risk-tiers.yml``."""

    tiers: list[Tier] = Field(min_length=1, max_length=20)
    """The tiers, from lowest to highest risk."""
    questions: list[Question] = Field(min_length=1, max_length=100)
    """What the self-service assessment asks."""
    rules: list[Rule] = Field(default_factory=list, max_length=500)
    """Thresholds: each maps answers to a minimum tier."""
    examples: list[Example] = Field(default_factory=list, max_length=500)
    """Worked use cases with the tier they must get."""


class ChecklistItem(Item):
    id: Id
    """The item's slug, unique across the roadmap; pilots tick items by it."""
    text: Text
    """What to do."""
    owner: Id
    """The role that does it (a role id from ``framework/decision-rights.yml``)."""


class Step(Item):
    id: Id
    """The step's slug."""
    title: Line
    """The step's name."""
    goal: Text
    """What the step achieves."""
    duration: Line
    """How long the step typically takes."""
    checklist: list[ChecklistItem] = Field(min_length=1, max_length=100)
    """What to do in the step, with who does it."""
    exit_criteria: list[Text] = Field(min_length=1, max_length=50)
    """What must be true before moving on."""
    patterns: list[Id] = Field(default_factory=list, max_length=100)
    """Patterns the step relies on."""
    policies: list[Id] = Field(default_factory=list, max_length=100)
    """Policies the step relies on."""
    pilot_window: bool = False
    """True for the step a pilot's start-to-end quarter covers; the pilots page measures pace against it."""


class Roadmap(Item):
    """The ordered transition roadmap: ``framework/roadmap.yml``."""

    steps: list[Step] = Field(min_length=1, max_length=20)
    """The steps in the order they are taken."""


class Role(Item):
    id: Id
    """The role's slug."""
    name: Line
    """The role's name."""
    description: Text | None = None
    """Who holds the role."""


class Raci(Item):
    responsible: list[Id] = Field(default_factory=list)
    """Roles that do the work."""
    accountable: list[Id] = Field(default_factory=list)
    """The one role that owns the outcome."""
    consulted: list[Id] = Field(default_factory=list)
    """Roles asked before the decision."""
    informed: list[Id] = Field(default_factory=list)
    """Roles told after the decision."""


class Decision(Item):
    id: Id
    """The decision's slug."""
    name: Line
    """The decision, such as ``Approve an AI project``."""
    description: Text | None = None
    """What the decision covers."""
    ownership: Literal["central", "distributed"]
    """central: the central AI team decides; distributed: business units decide."""
    raci: Raci
    """Who is responsible, accountable, consulted and informed, by role id."""
    escalates_from: Id | None = None
    """For a distributed decision: the risk tier from which it goes to central review."""


class DecisionRights(Item):
    """Who decides what: ``framework/decision-rights.yml``."""

    roles: list[Role] = Field(min_length=1, max_length=50)
    """The roles that hold decision rights."""
    decisions: list[Decision] = Field(min_length=1, max_length=200)
    """The decisions and who holds them."""
    pattern_candidate_teams: int = Field(default=3, ge=2, le=50)
    """How many different teams must build the same capability outside the patterns before it is listed as a
    pattern candidate: the central team abstracts what several teams solved on their own."""


class Metric(Item):
    name: Line
    """What is measured."""
    value: Line
    """The latest reading, with its unit."""


class Metrics(Item):
    outcome: list[Metric] = Field(default_factory=list, max_length=50)
    """What gets built and what it yields."""
    process: list[Metric] = Field(default_factory=list, max_length=50)
    """How decisions flow: time to decision, escalations, reviews."""


class Pilot(Item):
    """One business unit piloting distributed ownership: ``pilots/<team>.yml``."""

    team: Id
    """The team's slug; must equal the file name without ``.yml``."""
    name: Line
    """The team's name."""
    sponsor: Line
    """The executive who sponsors the pilot."""
    example: bool = False
    """True for an illustrative pilot shipped with the default playbook."""
    start: dt.date
    """The first day of the pilot."""
    end: dt.date
    """The planned last day of the pilot, usually one quarter after the start."""
    step: Id
    """The roadmap step the pilot is on."""
    checklist: dict[str, bool] = Field(default_factory=dict)
    """Roadmap checklist item id -> done."""
    metrics: Metrics = Field(default_factory=Metrics)
    """Outcome and process metrics."""
