"""Two git revisions of a playbook compared in playbook terms, as Markdown for a pull request.

Each side is read by :mod:`playbook.revisions`, so both are parsed exactly as ``playbook check`` would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from playbook.assess.classify import AnswerError, classify, fired_rules, parse_answers
from playbook.authoring.revisions import Revision, read_revision, repo_prefix, resolve
from playbook.data.kinds import COLLECTIONS, DECISION_RIGHTS, RISK_TIERS, ROADMAP, Kind
from playbook.data.model.items import Example, RiskTiers, Status
from playbook.data.model.playbook import Playbook
from playbook.register.cases import assess_case


@dataclass(frozen=True)
class Changed:
    """An item present on both sides whose fields differ."""

    id: str
    fields: list[str]
    """Top-level fields that differ."""
    details: list[str] = field(default_factory=list)
    """One short line per changed value, such as ``when[0].at_least: 50000 → 500``; whole fields when long."""


@dataclass(frozen=True)
class StatusMove:
    id: str
    before: str
    after: str


@dataclass
class ItemChanges:
    """What happened to one kind of item (patterns, policies, tiers, rules ...) between revisions."""

    what: str
    """The plural name shown as a heading, such as ``Patterns`` or ``Rules``."""
    added: list[tuple[str, str]] = field(default_factory=list)
    """(id, title or description) of each new item."""
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    status_moves: list[StatusMove] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class TierMove:
    """A worked example that lands in another tier under the new thresholds."""

    example: str
    description: str
    before: str | None
    """The tier under the base revision's rules; None when the example cannot be classified there."""
    after: str | None
    fired_after: list[str]
    """Rules that fire under the new thresholds."""


@dataclass(frozen=True)
class UseCaseMove:
    """A registered use case whose computed tier or review path differs between the revisions."""

    id: str
    title: str
    before: tuple[str, str] | None
    """(tier, review path) under the base revision; None when it cannot be classified there."""
    after: tuple[str, str] | None
    fired_after: list[str]
    """Rules that fire under the head revision's thresholds."""


@dataclass
class PlaybookDiff:
    base: Revision
    head: Revision
    items: list[ItemChanges]
    """Patterns, policies, pilots and, when either side has any, use cases."""
    framework: list[ItemChanges]
    """Tiers, questions, rules, examples, roadmap steps, roles and decisions."""
    tier_moves: list[TierMove]
    usecase_moves: list[UseCaseMove] = field(default_factory=list)
    registered: bool = False
    """True when either revision has use cases: only then is their section shown."""

    @property
    def empty(self) -> bool:
        return not any(self.items) and not any(self.framework) and not self.tier_moves and not self.usecase_moves


def _dump(item: BaseModel) -> dict[str, Any]:
    return item.model_dump(mode="json", by_alias=True)


def _title(item: BaseModel) -> str:
    for name in ("title", "name", "description", "text"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return ""


def compare_items(what: str, base: Mapping[str, BaseModel], head: Mapping[str, BaseModel]) -> ItemChanges:
    """Items added, removed and changed (with the fields that changed), by id."""
    changes = ItemChanges(what)
    changes.added = [(key, _title(item)) for key, item in head.items() if key not in base]
    changes.removed = [(key, _title(item)) for key, item in base.items() if key not in head]
    for key, item in head.items():
        before = base.get(key)
        if before is None:
            continue
        old, new = _dump(before), _dump(item)
        fields = [name for name in new if old.get(name) != new.get(name)]
        if fields:
            details = [line for name in fields for line in _details(name, old.get(name), new.get(name))]
            changes.changed.append(Changed(key, fields, details))
        status_before, status_after = getattr(before, "status", None), getattr(item, "status", None)
        if isinstance(status_before, Status) and isinstance(status_after, Status) and status_before != status_after:
            changes.status_moves.append(StatusMove(key, status_before.value, status_after.value))
    return changes


MAX_DETAILS = 4
"""A field with more changed values than this is reported by name only."""
MAX_SHOWN = 40
"""Values longer than this many characters are not quoted in the summary."""


def _leaves(old: Any, new: Any, path: str) -> list[tuple[str, Any, Any]]:
    """The innermost values that differ, by path; lists are compared entry by entry when their lengths match."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [leaf for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)
                for leaf in _leaves(old.get(key), new.get(key), f"{path}.{key}")]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [leaf for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b
                for leaf in _leaves(a, b, f"{path}[{i}]")]
    return [(path, old, new)]


def _shown(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = ", ".join(value) or "none"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        text = "none" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        return text if len(text) <= MAX_SHOWN and "\n" not in text else None
    return None


def _details(name: str, old: Any, new: Any) -> list[str]:
    leaves = _leaves(old, new, name)
    if len(leaves) > MAX_DETAILS:
        return [f"`{name}`"]
    lines = []
    for path, a, b in leaves:
        before, after = _shown(a), _shown(b)
        lines.append(f"`{path}`: {_md(before)} → {_md(after)}" if before and after else f"`{path}`")
    return lines


def _by_id(items: Sequence[BaseModel] | None) -> dict[str, BaseModel]:
    return {getattr(item, "id"): item for item in items or ()}  # noqa: B009 - every framework list item has an id


FRAMEWORK_LISTS: list[tuple[Kind, str, str]] = [
    (RISK_TIERS, "tiers", "Tiers"),
    (RISK_TIERS, "questions", "Questions"),
    (RISK_TIERS, "rules", "Rules (thresholds)"),
    (RISK_TIERS, "examples", "Worked examples"),
    (ROADMAP, "steps", "Roadmap steps"),
    (DECISION_RIGHTS, "roles", "Roles"),
    (DECISION_RIGHTS, "decisions", "Decisions"),
]
"""The framework lists compared item by item: (the kind of file, its list field, heading)."""


def _entries(kind: Kind, playbook: Playbook, name: str) -> dict[str, BaseModel]:
    """The entries of a single-file kind's list ``name`` by id; none when the file did not load."""
    return {key: entry for _id, item in kind.loaded(playbook) for key, entry in _by_id(getattr(item, name)).items()}


def _tier_of(example: Example, risk: RiskTiers | None) -> tuple[str | None, list[str]]:
    """The tier ``risk``'s rules give ``example``, and the rules that fire; (None, []) if it cannot be classified."""
    if risk is None:
        return None, []
    known = {q.id for q in risk.questions}
    raw = {key: value for key, value in example.answers.items() if key in known}
    try:
        answers = parse_answers(risk, raw, require_all=False)
    except AnswerError:
        return None, []
    return classify(answers, risk).tier.id, [r.id for r in fired_rules(risk, answers)]


def tier_moves(base: RiskTiers | None, head: RiskTiers | None) -> list[TierMove]:
    """Worked examples of either revision whose tier differs between the two revisions' rules.

    An example present in both is taken as it is in the head revision, so a move is due to
    the thresholds, not to edited answers.
    """
    examples = {e.id: e for e in (base.examples if base else [])}
    examples.update({e.id: e for e in (head.examples if head else [])})
    moves = []
    for example in examples.values():
        before, _ = _tier_of(example, base)
        after, fired = _tier_of(example, head)
        if before != after:
            moves.append(TierMove(example.id, example.description, before, after, fired))
    return moves


def usecase_moves(base: Playbook, head: Playbook) -> list[UseCaseMove]:
    """Registered use cases whose tier or review path differs under the two revisions' thresholds and patterns.

    A case present in both is taken as it is in the head revision, so a move is due to the framework or
    the patterns it is built on, not to edited answers: the impact of a threshold change before it merges.
    """
    cases = {**base.usecases, **head.usecases}
    moves = []
    for key, case in cases.items():
        sides = []
        for playbook in (base, head):
            result = assess_case(playbook, case)
            sides.append((result.tier.id, result.review.value) if result else None)
        if sides[0] != sides[1]:
            after = assess_case(head, case)
            moves.append(UseCaseMove(key, case.title, sides[0], sides[1],
                                     [reason.rule for reason in after.reasons] if after else []))
    return moves


def compare(base: Revision, head: Revision) -> PlaybookDiff:
    b, h = base.playbook, head.playbook
    registered = bool(b.usecases or h.usecases)
    # A kind neither side has (a playbook with no register yet) gets no section of its own.
    items = [compare_items(kind.title, kind.items(b), kind.items(h)) for kind in COLLECTIONS
             if kind.items(b) or kind.items(h)]
    framework = [
        compare_items(heading, _entries(kind, b, name), _entries(kind, h, name))
        for kind, name, heading in FRAMEWORK_LISTS
    ]
    return PlaybookDiff(base, head, items, framework, tier_moves(b.risk_tiers, h.risk_tiers),
                        usecase_moves(b, h), registered)


def diff_revisions(root: Path, base_rev: str, head_rev: str | None = None) -> PlaybookDiff:
    """Compare ``base_rev`` with ``head_rev`` (the working tree when None) of the playbook in ``root``."""
    repo_prefix(root)
    for rev in (base_rev, head_rev):
        if rev is not None:
            resolve(root, rev)
    return compare(read_revision(root, base_rev), read_revision(root, head_rev))


def _md(text: str) -> str:
    """Text safe inside a Markdown list item or table cell."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for char in "*_`[]<>":
        out = out.replace(char, "\\" + char)
    return out


def _section(changes: ItemChanges, heading: str) -> list[str]:
    lines = ["", f"{heading} {changes.what}", ""]
    if not changes:
        return [*lines, "No changes."]
    for label, entries in (("Added", changes.added), ("Removed", changes.removed)):
        if entries:
            lines.append(f"- **{label}:**")
            lines += [f"  - `{key}`{f' — {_md(title)}' if title else ''}" for key, title in entries]
    if changes.changed:
        lines.append("- **Changed:**")
        lines += [f"  - `{c.id}`: {'; '.join(c.details)}" for c in changes.changed]
    if changes.status_moves:
        lines.append("- **Status moves:**")
        lines += [f"  - `{m.id}`: {m.before} → {m.after}" for m in changes.status_moves]
    return lines


def render_markdown(diff: PlaybookDiff) -> str:
    lines = ["## Playbook changes", "", f"Comparing {diff.base.shown} with {diff.head.shown}."]
    for rev in (diff.base, diff.head):
        if rev.errors:
            lines += [
                "",
                f"> **Warning:** {rev.shown} has {rev.errors} error{'s' * (rev.errors != 1)} "
                "(run `playbook check`); items that fail to load are left out of this comparison.",
            ]
    if diff.empty:
        # Each kind either revision holds, by its title: patterns, policies, pilots, use cases, learnings.
        named = ", ".join(changes.what.lower() for changes in diff.items) or "patterns, policies"
        return "\n".join([*lines, "", f"No changes to {named} or the framework."]) + "\n"
    for changes in diff.items:
        lines += _section(changes, "###")
    framework = [c for c in diff.framework if c]
    lines += ["", "### Framework (risk tiers, roadmap, decision rights)"]
    if not framework:
        lines += ["", "No changes."]
    for changes in framework:
        lines += _section(changes, "####")
    lines += ["", "### Worked examples that change tier", ""]
    if not diff.tier_moves:
        lines.append("None: every worked example gets the same tier under both revisions' thresholds.")
    else:
        lines += [
            f"Each example is classified with the thresholds of {diff.base.shown} and of {diff.head.shown}.",
            "",
            "| Example | Tier before | Tier after | Rules that fire after |",
            "| --- | --- | --- | --- |",
        ]
        for move in diff.tier_moves:
            fired = ", ".join(f"`{r}`" for r in move.fired_after) or "none"
            lines.append(
                f"| `{move.example}` — {_md(move.description)} | {move.before or 'cannot classify'} "
                f"| {move.after or 'cannot classify'} | {fired} |"
            )
    if diff.registered:
        lines += _usecase_section(diff)
    return "\n".join(lines) + "\n"


def _usecase_section(diff: PlaybookDiff) -> list[str]:
    lines = ["", "### Registered use cases that move", ""]
    if not diff.usecase_moves:
        return [*lines, "None: every registered use case keeps its tier and review path."]
    lines += [
        f"Each use case, as it is in {diff.head.shown}, is assessed with the thresholds and patterns of "
        f"{diff.base.shown} and of {diff.head.shown}.",
        "",
        "| Use case | Before (tier, review) | After (tier, review) | Rules that fire after |",
        "| --- | --- | --- | --- |",
    ]
    for move in diff.usecase_moves:
        before = ", ".join(move.before) if move.before else "cannot classify"
        after = ", ".join(move.after) if move.after else "cannot classify"
        fired = ", ".join(f"`{r}`" for r in move.fired_after) or "none"
        lines.append(f"| `{move.id}` — {_md(move.title)} | {before} | {after} | {fired} |")
    return lines
