"""The playbook's history as the site shows it: releases (tags, or months) of dated changes, each item's
own history, and which items are new or updated lately.

:func:`read_history` is the one entry point: it reads the main line with :mod:`playbook.history.log`, each
commit's changes with :mod:`playbook.history.changes` (from the cache where it has them) and puts them in
order. It never fails the build: where history cannot be read, :attr:`History.missing` says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from itertools import groupby
from pathlib import Path

from playbook.history.cache import CACHE_FILE, fingerprint, load_cache, save_cache
from playbook.history.changes import Change, What, baselines, walk
from playbook.history.log import Commit, Missing, Repository, Tag, commits, main_line, open_repository, tags

DISTRIBUTION = "ai-governance-playbook"


@dataclass(frozen=True)
class Entry:
    """One change, with the commit that made it."""

    commit: Commit
    change: Change

    @property
    def day(self) -> dt.date:
        return self.commit.day


@dataclass
class Release:
    """The changes of one release: a git tag, or a month where the repository has no tags."""

    key: str
    """The tag's name, or the month as ``YYYY-MM``; for changes after the newest tag, ``""``."""
    tag: str | None
    """The tag, when releases are tags (several tags on one commit are joined with ``, ``)."""
    day: dt.date
    """The tagged commit's date, or the latest change's."""
    after: str | None = None
    """For the changes since the newest tag: that tag."""
    entries: list[Entry] = field(default_factory=list)
    """Its notable changes, newest first."""
    started: dict[str, int] = field(default_factory=dict)
    """When history starts in this release: how many items of each kind the playbook started with."""

    @property
    def month(self) -> tuple[int, int]:
        return self.day.year, self.day.month


@dataclass
class ItemHistory:
    """What happened to one item, oldest first."""

    since: dt.date | None = None
    """When it entered the playbook, as far as history shows (the start of history for an item there from the start)."""
    added: Entry | None = None
    """The commit that added it, unless it was there when history starts."""
    moves: list[Entry] = field(default_factory=list)
    """Its status moves, oldest first."""
    last: Entry | None = None
    """Its latest change of any kind (added, edited, moved)."""
    from_start: bool = False
    """True when it was there when history starts: in the first commit, or where a shallow clone cuts."""

    def status_since(self, index: int) -> dt.date | None:
        """Since when the item had the status it left at move ``index``: the move before, or its addition."""
        if index > 0:
            return self.moves[index - 1].day
        return self.since


@dataclass
class History:
    """What the site knows of the playbook's history."""

    missing: Missing | None = None
    """Why there is none; None when it was read."""
    reason: str = ""
    shallow: bool = False
    """True when the clone is shallow: history starts where it was cut, not at the playbook's start."""
    start: dt.date | None = None
    """The date history starts: the first commit, or the oldest one a shallow clone holds."""
    releases: list[Release] = field(default_factory=list)
    """Newest first."""
    items: dict[tuple[str, str], ItemHistory] = field(default_factory=dict)
    """By kind name and id, every item that history shows."""
    tagged: bool = False
    """True when releases are the repository's tags, False when they are months."""
    commits: int = 0
    """How many commits changed the playbook's data."""

    def item(self, kind: str, item_id: str) -> ItemHistory | None:
        return self.items.get((kind, item_id))

    def entries(self) -> list[Entry]:
        """Every notable change, newest first."""
        return [entry for release in self.releases for entry in release.entries]

    def marks(self, today: dt.date, days: int) -> dict[tuple[str, str], str]:
        """``new`` for items added in the last ``days`` days (``today`` is the last of them), ``updated`` for items
        changed in them, by kind and id; ``days`` 0 marks nothing.

        Items there when history starts are not new: a playbook's first commit is its start, not news.
        """
        since = today - dt.timedelta(days=days)
        found = {}
        for key, item in self.items.items():
            if item.added is not None and item.added.day > since:
                found[key] = "new"
            elif item.last is not None and item.last.day > since and item.last is not item.added:
                found[key] = "updated"
        return found


def engine_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # pragma: no cover - a source tree never installed
        return "0"


def read_history(root: Path, cache: Path | None = None) -> History:
    """The playbook's history, or a History saying why it is missing; ``cache`` defaults to :data:`CACHE_FILE`."""
    repo = open_repository(root)
    if not repo.readable:
        return History(missing=repo.missing, reason=repo.reason)
    found = commits(repo)
    if not found:
        return History(missing=Missing.no_commits)
    cache_path = cache if cache is not None else root / CACHE_FILE
    key = fingerprint(engine_version(), repo.prefix)
    cached = load_cache(cache_path, key)
    changes = walk(repo, found, cached)
    starts = baselines(found)
    kept = {c.id: changes[c.id] for c in found if c.id not in starts}
    if kept.keys() != cached.keys():
        save_cache(cache_path, key, kept)
    return assemble(repo, found, changes, tags(repo))


def _releases_by_tag(repo: Repository, found: list[Commit], tag_list: list[Tag]) -> dict[str, Release] | None:
    """Each commit's release when the main line has tags; None when it has none."""
    line = main_line(repo)
    place = {commit: n for n, (commit, _day) in enumerate(line)}
    named: dict[int, list[str]] = {}
    for tag in tag_list:
        if tag.commit in place:
            named.setdefault(place[tag.commit], []).append(tag.name)
    if not named:
        return None
    days = dict(line)
    # The main line is newest first: a commit belongs to the nearest tagged commit at or after it in time.
    positions = sorted(named)
    newest = ", ".join(sorted(named[positions[0]]))
    releases: dict[str, Release] = {}
    for commit in found:
        at = place.get(commit.id)
        tagged_at = max((p for p in positions if at is not None and p <= at), default=None)
        if tagged_at is None:
            releases[commit.id] = Release("", None, commit.day, after=newest)
        else:
            name = ", ".join(sorted(named[tagged_at]))
            releases[commit.id] = Release(name, name, days[line[tagged_at][0]])
    return releases


def assemble(repo: Repository, found: list[Commit], changes: dict[str, list[Change]],
             tag_list: Iterable[Tag] = ()) -> History:
    """Put each commit's changes in releases and item histories."""
    history = History(shallow=bool(repo.shallow), commits=len(found))
    history.start = found[0].day if found else None
    starts = baselines(found)
    by_tag = _releases_by_tag(repo, found, list(tag_list)) if tag_list else None
    history.tagged = by_tag is not None
    releases: dict[str, Release] = {}
    for commit in found:
        if by_tag is not None:
            template = by_tag[commit.id]
        else:
            template = Release(f"{commit.day.year:04}-{commit.day.month:02}", None, commit.day)
        release = releases.setdefault(template.key, template)
        if by_tag is None or template.tag is None:
            release.day = max(release.day, commit.day)
        baseline = commit.id in starts
        for change in changes.get(commit.id, []):
            entry = Entry(commit, change)
            if baseline:
                release.started[change.kind] = release.started.get(change.kind, 0) + 1
                history.items[(change.kind, change.id)] = ItemHistory(since=commit.day, from_start=True)
                continue
            _note(history, entry)
            if change.notable:
                release.entries.append(entry)
    for release in releases.values():
        # Newest commit first; a commit's own changes stay in file order.
        by_commit = [list(group) for _id, group in groupby(release.entries, key=lambda entry: entry.commit.id)]
        release.entries = [entry for group in reversed(by_commit) for entry in group]
    # Newest first; the changes since the newest tag before the tags.
    history.releases = sorted(releases.values(), key=lambda r: (r.after is not None, r.day), reverse=True)
    return history


def _note(history: History, entry: Entry) -> None:
    change = entry.change
    if change.what is What.framework or not change.id:
        return
    key = (change.kind, change.id)
    if change.what is What.added:
        history.items[key] = ItemHistory(since=entry.day, added=entry, last=entry)
        return
    if change.what is What.removed:
        history.items.pop(key, None)
        return
    item = history.items.setdefault(key, ItemHistory())
    if change.what is What.moved:
        item.moves.append(entry)
    item.last = entry
