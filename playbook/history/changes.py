"""What each commit did to the playbook, in playbook terms: items added and removed, status moves, edited
fields, and threshold and tier changes with the registered use cases each moves.

A commit's changes are computed from the blobs it changed alone (a threshold change also reads the patterns
and use cases of its tree, to assess the register under both thresholds), compared by
:mod:`playbook.history.compare` as ``playbook diff`` compares two revisions, and kept in a cache by commit id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict

from playbook.data.kinds import PATTERN, RISK_TIERS, USECASE, Kind, kind_of_path
from playbook.data.load import parse_bytes
from playbook.data.model.items import RiskTiers
from playbook.data.model.playbook import Playbook
from playbook.history.compare import UseCaseMove, ValueChange, compare_items, title_of, usecase_moves
from playbook.history.log import NO_BLOB, Commit, Repository, read_blobs


class What(str, Enum):
    """What a change did."""

    added = "added"
    removed = "removed"
    moved = "moved"
    """The item's ``status`` changed (trial to adopted, idea to production ...)."""
    edited = "edited"
    """Any field changed (a status move is an edit too)."""
    framework = "framework"
    """Thresholds (rules) or tiers of ``framework/risk-tiers.yml`` were added, removed or changed."""


class FrameworkEntry(BaseModel):
    """One rule or tier a framework change added, removed or changed."""

    model_config = ConfigDict(frozen=True)

    list: str
    """``rules`` or ``tiers``."""
    id: str
    title: str = ""
    what: str
    """``added``, ``removed`` or ``changed``."""
    values: tuple[ValueChange, ...] = ()
    """What changed in it, such as ``when[0].at_least``: 1000 → 500."""


class Change(BaseModel):
    """One thing a commit did to one item (or, for a framework change, to the risk tiers)."""

    model_config = ConfigDict(frozen=True)

    what: What
    kind: str
    """The kind's name in the registry (``pattern``, ``policy`` ...); ``risk-tiers`` for a framework change."""
    id: str = ""
    title: str = ""
    """What the item was called then; empty when its file did not load."""
    status: str | None = None
    """Its status after the change (added, moved), when it has one."""
    before: str | None = None
    """Its status before (moved)."""
    successor: str | None = None
    """What replaces it, when it moved to deprecated naming one (``superseded_by``)."""
    fields: tuple[str, ...] = ()
    """Top-level fields that changed (edited)."""
    entries: tuple[FrameworkEntry, ...] = ()
    """The rules and tiers a framework change touched."""
    moved: tuple[UseCaseMove, ...] = ()
    """Registered use cases whose tier or review path a framework change moves."""

    @property
    def notable(self) -> bool:
        """Shown on the what's new page and in the feed: not every edited field is news, a new statement is."""
        return self.what is not What.edited or "statement" in self.fields


def _status(item: object) -> str | None:
    value = getattr(item, "status", None)
    return getattr(value, "value", value) if value is not None else None


class Blobs:
    """Blob contents and the models parsed from them, each read from git and parsed at most once."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.contents: dict[str, bytes] = {}
        self.parsed: dict[tuple[str, str], Any] = {}

    def fetch(self, ids: Iterable[str]) -> None:
        missing = [i for i in ids if i != NO_BLOB and i not in self.contents]
        self.contents.update(read_blobs(self.repo, missing))

    def model(self, blob: str, path: str) -> Any:
        """The blob parsed as the kind its path holds, or None when it does not load (as ``check`` would refuse it)."""
        kind = kind_of_path(path)
        if kind is None or blob == NO_BLOB:
            return None
        key = (blob, kind.name)
        if key not in self.parsed:
            self.fetch([blob])
            raw = self.contents.get(blob)
            self.parsed[key] = None if raw is None else parse_bytes(raw, path, kind)[0]
        return self.parsed[key]


def _item_id(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yml")


def item_changes(kind: Kind, path: str, status: str, before: Any, after: Any) -> list[Change]:
    """The changes to one item of a collection, from its two versions (None where absent or unloadable)."""
    item_id = _item_id(path)
    if status == "A":
        return [Change(what=What.added, kind=kind.name, id=item_id, title=title_of(after) if after else "",
                       status=_status(after))]
    if status == "D":
        return [Change(what=What.removed, kind=kind.name, id=item_id, title=title_of(before) if before else "")]
    if before is None or after is None:
        return [Change(what=What.edited, kind=kind.name, id=item_id, title=title_of(after) if after else "")]
    compared = compare_items(kind.title, {item_id: before}, {item_id: after})
    if not compared.changed:
        return []
    (changed,) = compared.changed
    found = [Change(what=What.edited, kind=kind.name, id=item_id, title=title_of(after), fields=tuple(changed.fields))]
    was, now = _status(before), _status(after)
    if was != now:
        successor = getattr(after, "superseded_by", None)
        found.insert(0, Change(what=What.moved, kind=kind.name, id=item_id, title=title_of(after), status=now,
                               before=was, successor=successor if isinstance(successor, str) else None))
    return found


FRAMEWORK_LISTS = ("tiers", "rules")
"""The lists of the risk tiers whose changes are news: the tiers and the thresholds (rules)."""


def framework_entries(before: RiskTiers, after: RiskTiers) -> list[FrameworkEntry]:
    entries = []
    for name in FRAMEWORK_LISTS:
        old, new = {e.id: e for e in getattr(before, name)}, {e.id: e for e in getattr(after, name)}
        compared = compare_items(name, old, new)
        entries += [FrameworkEntry(list=name, id=key, title=title, what="added") for key, title in compared.added]
        entries += [FrameworkEntry(list=name, id=key, title=title, what="removed") for key, title in compared.removed]
        entries += [FrameworkEntry(list=name, id=c.id, title=title_of(new[c.id]), what="changed",
                                   values=tuple(c.values)) for c in compared.changed]
    return entries


class Walk:
    """The data files' blobs at each commit as the walk goes forward, and the changes of each commit."""

    def __init__(self, repo: Repository) -> None:
        self.blobs = Blobs(repo)
        self.root = repo.root
        self.tree: dict[str, str] = {}
        """Path -> blob of every data file at the commit the walk is at."""

    def advance(self, commit: Commit, baseline: bool) -> None:
        if baseline:
            self.tree = {}
        for change in commit.files:
            if change.status == "D":
                self.tree.pop(change.path, None)
            else:
                self.tree[change.path] = change.new

    def changes(self, commit: Commit) -> list[Change]:
        """What ``commit`` did, compared with its first parent; call before :meth:`advance` moves past it."""
        found: list[Change] = []
        for change in commit.files:
            kind = kind_of_path(change.path)
            if kind is None:
                continue
            before = self.blobs.model(change.old, change.path) if change.status != "A" else None
            after = self.blobs.model(change.new, change.path) if change.status != "D" else None
            if kind.collection:
                found += item_changes(kind, change.path, change.status, before, after)
            elif kind is RISK_TIERS and isinstance(before, RiskTiers) and isinstance(after, RiskTiers):
                found += self._framework(commit, before, after)
            elif change.status != "D":
                found.append(Change(what=What.edited, kind=kind.name))
        return found

    def _framework(self, commit: Commit, before: RiskTiers, after: RiskTiers) -> list[Change]:
        entries = framework_entries(before, after)
        if not entries:
            return [Change(what=What.edited, kind=RISK_TIERS.name)]
        sides = self._register(commit)
        base = Playbook(root=self.root, patterns=sides[0][0], usecases=sides[0][1], risk_tiers=before)
        head = Playbook(root=self.root, patterns=sides[1][0], usecases=sides[1][1], risk_tiers=after)
        moves = usecase_moves(base, head) if base.usecases or head.usecases else []
        return [Change(what=What.framework, kind=RISK_TIERS.name, entries=tuple(entries), moved=tuple(moves))]

    def _register(self, commit: Commit) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """The patterns and use cases before and after ``commit``: what assessing the register needs."""
        folders = {kind.folder: kind for kind in (PATTERN, USECASE) if kind.folder}
        after_tree = dict(self.tree)
        for change in commit.files:
            if change.status == "D":
                after_tree.pop(change.path, None)
            else:
                after_tree[change.path] = change.new
        sides = []
        for tree in (self.tree, after_tree):
            wanted = {path: blob for path, blob in tree.items() if path.partition("/")[0] in folders}
            self.blobs.fetch(wanted.values())
            patterns: dict[str, Any] = {}
            usecases: dict[str, Any] = {}
            for path, blob in sorted(wanted.items()):
                model = self.blobs.model(blob, path)
                if model is not None:
                    (patterns if path.startswith(f"{PATTERN.folder}/") else usecases)[_item_id(path)] = model
            sides.append((patterns, usecases))
        return sides


def baselines(commits: Sequence[Commit]) -> set[str]:
    """The commit history starts at: the first that holds playbook data (a playbook's start is not news), or in a
    shallow clone the one it was cut at (there, every file looks added)."""
    return {commits[0].id} if commits else set()


def baseline_changes(commit: Commit) -> list[Change]:
    """What a baseline commit holds, read from its file list alone: each item, as there from the start."""
    found = []
    for change in commit.files:
        kind = kind_of_path(change.path)
        if kind is not None and kind.collection and change.status != "D":
            found.append(Change(what=What.added, kind=kind.name, id=_item_id(change.path)))
    return found


def walk(repo: Repository, commits: Sequence[Commit], cached: Mapping[str, list[Change]]) -> dict[str, list[Change]]:
    """Every commit's changes, oldest first: from ``cached`` where it has them, computed otherwise.

    The blobs the uncomputed commits changed are read from git in one batch before the walk.
    """
    walker = Walk(repo)
    starts = baselines(commits)
    walker.blobs.fetch(
        blob for commit in commits if commit.id not in cached and commit.id not in starts
        for change in commit.files for blob in (change.old, change.new)
    )
    found: dict[str, list[Change]] = {}
    for commit in commits:
        baseline = commit.id in starts
        if baseline:
            found[commit.id] = baseline_changes(commit)
        elif commit.id in cached:
            found[commit.id] = list(cached[commit.id])
        else:
            found[commit.id] = walker.changes(commit)
        walker.advance(commit, baseline)
    return found
