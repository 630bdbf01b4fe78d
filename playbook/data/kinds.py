"""The registry of kinds: each kind of playbook data declared once, for load, validate, scaffold, export,
schemas, diff and the site to iterate over.

Adding a kind means a model in :mod:`playbook.data.model`, one entry in :data:`KINDS` and its page template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from playbook.data.model.items import DecisionRights, Item, Pattern, Pilot, Policy, RiskTiers, Roadmap
from playbook.data.model.learning import Learning
from playbook.data.model.playbook import Playbook
from playbook.data.model.usecase import PublishedUseCase, UseCase


@dataclass(frozen=True)
class Scaffold:
    """What ``playbook new <kind>`` needs beyond the model."""

    needs: str | None
    """The single-file kind a new file takes its values from (the tiers, the roadmap's steps), or None."""
    notes: Mapping[str, str] = field(default_factory=dict)
    """Extra words appended to the comment above a field, by field name."""


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of playbook data: where its files are, how it is typed, named and published.

    Kinds compare and hash by identity, so tables elsewhere (checks, page renderers) can be keyed by them.
    """

    name: str
    """The kind's name in messages (``unknown pattern 'x'``) and its schema: ``schemas/<name>.schema.json``."""
    model: type[Item]
    """The pydantic model of one file."""
    attribute: str
    """The Playbook attribute holding the loaded items, and the key of the JSON export."""
    title: str
    """What a list of this kind is called in a heading, such as ``Patterns``."""
    description: str
    """What the JSON export says this kind's entry holds."""
    folder: str | None = None
    """For a kind with one item per file: the folder of its files, such as ``patterns``."""
    file: str | None = None
    """For a kind kept in one file: its path, such as ``framework/roadmap.yml``."""
    id_field: str = "id"
    """The field that names an item; its file is called after it. Only for a kind with a folder."""
    route: str | None = None
    """The site page of each item, with ``{id}`` for its id, or None when it has no page of its own.
    Its renderer is listed in ``playbook/site/generated.py`` (``page_renderers``)."""
    pages_from: str | None = None
    """For a kind kept in one file whose entries have pages: the list field holding them (the roadmap's steps)."""
    csv: str | None = None
    """The CSV file this kind is exported to, or None when it has none."""
    scaffold: Scaffold | None = None
    """What ``playbook new`` needs, or None when the kind is not created that way."""
    published: type[Item] | None = None
    """The model of what pages and exports may show of an item, when it is less than ``model``: the rest
    of the fields are internal. None when every field is published."""

    def __post_init__(self) -> None:
        if (self.folder is None) == (self.file is None):
            raise ValueError(f"kind {self.name} needs exactly one of folder and file")

    @property
    def collection(self) -> bool:
        """True for a kind with one item per file in a folder."""
        return self.folder is not None

    @property
    def schema_name(self) -> str:
        return f"{self.name}.schema.json"

    def path_of(self, item_id: str = "") -> str:
        """The file an item lives in, relative to the playbook root."""
        if self.folder is not None:
            return f"{self.folder}/{item_id}.yml"
        assert self.file is not None
        return self.file

    def id_of(self, item: BaseModel) -> str:
        value: str = getattr(item, self.id_field)
        return value

    def items(self, playbook: Playbook) -> dict[str, Any]:
        """A collection's loaded items by id, in file-name order (the Playbook's own typed dict)."""
        assert self.collection, f"{self.name} is kept in one file"
        items: dict[str, Any] = getattr(playbook, self.attribute)
        return items

    def loaded(self, playbook: Playbook) -> list[tuple[str, BaseModel]]:
        """(id, item) of everything of this kind that loaded; a single file's id is ``""``."""
        if self.collection:
            return list(self.items(playbook).items())
        item = getattr(playbook, self.attribute)
        return [] if item is None else [("", item)]

    def public(self, item: BaseModel) -> BaseModel:
        """What pages and exports may show of ``item``: the fields of ``published``, or all of them."""
        if self.published is None:
            return item
        return self.published.model_validate(item.model_dump(include=set(self.published.model_fields)))

    def pages(self, playbook: Playbook) -> list[tuple[str, BaseModel]]:
        """(id, entry) of every entry with a page of its own, in order."""
        if self.route is None:
            return []
        if self.pages_from is None:
            return self.loaded(playbook)
        return [
            (getattr(entry, "id"), entry)  # noqa: B009 - every listed entry with a page has an id
            for _id, item in self.loaded(playbook)
            for entry in getattr(item, self.pages_from)
        ]


PATTERN = Kind(
    "pattern", Pattern, "patterns", "Patterns", "Every pattern, in file-name order.",
    folder="patterns", route="patterns/{id}.md", csv="patterns.csv", scaffold=Scaffold(needs="risk-tiers"),
)
POLICY = Kind(
    "policy", Policy, "policies", "Policies", "Every policy, in file-name order.",
    folder="policies", route="policies/{id}.md", csv="policies.csv", scaffold=Scaffold(needs="risk-tiers"),
)
RISK_TIERS = Kind(
    "risk-tiers", RiskTiers, "risk_tiers", "Risk tiers", "The risk tiers, questions, thresholds and worked examples.",
    file="framework/risk-tiers.yml", csv="tiers.csv",
)
ROADMAP = Kind(
    "roadmap", Roadmap, "roadmap", "Roadmap", "The ordered transition roadmap.",
    file="framework/roadmap.yml", route="rollout/{id}.md", pages_from="steps", csv="roadmap.csv",
)
DECISION_RIGHTS = Kind(
    "decision-rights", DecisionRights, "decision_rights", "Decision rights", "The roles and who decides what.",
    file="framework/decision-rights.yml", csv="decisions.csv",
)
PILOT = Kind(
    "pilot", Pilot, "pilots", "Pilots", "Every pilot, in file-name order.",
    folder="pilots", id_field="team",
    scaffold=Scaffold(needs="roadmap", notes={
        "step": " Move it on as the pilot finishes each step.",
        "checklist": " Set an item to true when it is done.",
        "metrics": " Add readings as they come in, each as `- name: Use cases shipped` and `value: \"2\"`.",
    }),
)

USECASE = Kind(
    "usecase", UseCase, "usecases", "Use cases",
    "Every registered use case, in file-name order, with only the fields the register publishes "
    "(no reviewer, no audits).",
    folder="usecases", route="usecases/{id}.md", csv="usecases.csv", published=PublishedUseCase,
    scaffold=Scaffold(needs="risk-tiers", notes={
        "answers": " `playbook assess --questions` lists the questions and the answers each allows.",
        "tier": " Set it to the tier `playbook assess` gives, or leave it empty.",
        "decided": " When the review decides, fill in decided, review, outcome and reviewer.",
        "value": " Add measures as they come in, such as `hours_saved_per_month: 40`.",
    }),
)

LEARNING = Kind(
    "learning", Learning, "learnings", "Learnings",
    "Every learning, in file-name order: what a team found out and what changed because of it.",
    folder="learnings", route="learnings/{id}.md", csv="learnings.csv",
    scaffold=Scaffold(needs=None, notes={
        "team": " `playbook new learning ID --team TEAM` checks it.",
        "patterns": " Such as `[llm-gateway, pii-redaction]`; `playbook check` suggests the closest id for a typo.",
        "what_changed": " Leave it empty while the status is open.",
    }),
)

RESERVED_IDS = frozenset({"index"})
"""Ids an item with a page of its own cannot take: its page would be its section's own page, such as
``policies/index.md`` (the policy index) or ``usecases/index.md`` (the register)."""


def section_page(kind: Kind, item_id: str) -> str | None:
    """The section's own page that the page of ``item_id`` would take, such as ``policies/index.md``; else None."""
    return kind.route.format(id=item_id) if kind.route is not None and item_id in RESERVED_IDS else None


KINDS: tuple[Kind, ...] = (PATTERN, POLICY, RISK_TIERS, ROADMAP, DECISION_RIGHTS, PILOT, USECASE, LEARNING)
"""Every kind, in the order the export document and the schemas list them."""

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
"""Each kind by its name: ``BY_NAME["pattern"]``."""

COLLECTIONS: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind.collection)
"""The kinds kept one item per file, in a folder each."""

SINGLE_FILES: tuple[Kind, ...] = tuple(kind for kind in KINDS if not kind.collection)
"""The kinds kept in one file each, under ``framework/``."""


def data_folders() -> list[str]:
    """The folders holding playbook YAML: ``framework`` and each collection's folder."""
    folders = [kind.file.partition("/")[0] for kind in SINGLE_FILES if kind.file and "/" in kind.file]
    return list(dict.fromkeys([*folders, *(kind.folder for kind in COLLECTIONS if kind.folder)]))


def kind_of_path(rel: str) -> Kind | None:
    """The kind of the file at ``rel`` (relative to the root, forward slashes), or None if it holds no kind."""
    for kind in SINGLE_FILES:
        if kind.file == rel:
            return kind
    folder, _, name = rel.partition("/")
    for kind in COLLECTIONS:
        if kind.folder == folder and "/" not in name:
            return kind
    return None
