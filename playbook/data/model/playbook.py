"""The Playbook: everything in one playbook, loaded and typed, with where each item came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from playbook.data.model.items import (
    ChecklistItem,
    DecisionRights,
    Pattern,
    Pilot,
    Policy,
    RiskTiers,
    Roadmap,
    Step,
    Tier,
)
from playbook.data.model.learning import Learning
from playbook.data.model.usecase import UseCase
from playbook.data.source import Source


class Located(Protocol):
    """What :meth:`Playbook.source_of` needs of a kind (:class:`playbook.data.kinds.Kind` is one), so the
    models need not import the registry that imports them."""

    @property
    def name(self) -> str: ...

    def path_of(self, item_id: str = "") -> str: ...


@dataclass
class Playbook:
    """Everything in one playbook, loaded and typed, with where each item came from."""

    root: Path
    """The playbook's folder."""
    patterns: dict[str, Pattern] = field(default_factory=dict)
    """Patterns by id, in file-name order."""
    policies: dict[str, Policy] = field(default_factory=dict)
    """Policies by id, in file-name order."""
    pilots: dict[str, Pilot] = field(default_factory=dict)
    """Pilots by team, in file-name order."""
    usecases: dict[str, UseCase] = field(default_factory=dict)
    """Registered use cases by id, in file-name order."""
    learnings: dict[str, Learning] = field(default_factory=dict)
    """Learnings by id, in file-name order."""
    risk_tiers: RiskTiers | None = None
    """The risk tiers, thresholds and examples, if they loaded."""
    roadmap: Roadmap | None = None
    """The roadmap, if it loaded."""
    decision_rights: DecisionRights | None = None
    """The decision rights, if they loaded."""
    sources: dict[tuple[str, str], Source] = field(default_factory=dict)
    """Source positions by kind name and item id (``("pattern", "llm-gateway")``); ``""`` for a single file."""
    unloaded: set[tuple[str, str]] = field(default_factory=set)
    """Kind name and id of items whose file exists but did not load; references to them are not reported again."""

    def source_of(self, kind: Located, item_id: str = "") -> Source:
        """Where an item of ``kind`` (or, with no id, the kind's single file) came from."""
        return self.sources.get((kind.name, item_id)) or Source(path=kind.path_of(item_id))

    @property
    def tiers(self) -> list[Tier]:
        return list(self.risk_tiers.tiers) if self.risk_tiers else []

    def policies_citing(self, pattern_id: str) -> list[Policy]:
        return [p for p in self.policies.values() if pattern_id in p.patterns]

    def citations(self) -> dict[str, list[Policy]]:
        """``policies_citing`` for every pattern at once, in one pass: pages for all patterns use this."""
        index: dict[str, list[Policy]] = {}
        for policy in self.policies.values():
            for pattern_id in dict.fromkeys(policy.patterns):
                index.setdefault(pattern_id, []).append(policy)
        return index

    def learnings_about(self, field_name: str) -> dict[str, list[Learning]]:
        """The learnings naming each item in their ``field_name`` list (``patterns``, ``policies``, ``usecases``),
        newest first, in one pass: the pages of every pattern use this."""
        index: dict[str, list[Learning]] = {}
        for learning in sorted(self.learnings.values(), key=lambda x: (x.date, x.id), reverse=True):
            for item_id in dict.fromkeys(getattr(learning, field_name)):
                index.setdefault(item_id, []).append(learning)
        return index

    def checklist_items(self) -> dict[str, tuple[Step, ChecklistItem]]:
        """Every roadmap checklist item by id, with its step."""
        if not self.roadmap:
            return {}
        return {item.id: (step, item) for step in self.roadmap.steps for item in step.checklist}

    def role_name(self, role_id: str) -> str:
        if self.decision_rights:
            for role in self.decision_rights.roles:
                if role.id == role_id:
                    return role.name
        return role_id
