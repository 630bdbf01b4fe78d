"""What's new: each release's changes on their page, each item's history line, and the catalog's new and updated
marks; the Atom feed (:mod:`playbook.site.living`) words its entries with :func:`describe` too.

Everything is read from a :class:`~playbook.history.timeline.History`, and worded from the ``whatsnew.*`` keys
of the message catalog. Links go through a :class:`Links`: to the item's page where the site has one, and to
the commit on the repository's host where ``repo_url`` names one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse

from pydantic import BaseModel

from playbook.data.kinds import BY_NAME, Kind
from playbook.data.model.playbook import Playbook
from playbook.history.changes import Change, What
from playbook.history.compare import title_of
from playbook.history.timeline import Entry, History, ItemHistory, Release
from playbook.i18n import Messages
from playbook.site.text import render

FEED_PATH = "feed.xml"
"""Where the Atom feed is published, from the site's root."""
SECTION_PAGES = {"pilot": "pilots.md", "risk-tiers": "risk-tiers.md"}
"""The page that shows items of a kind that has no page per item."""


def commit_links(repo_url: str | None, edit_uri: str | None = None) -> Callable[[str], str | None]:
    """The address of a commit on the repository's host, from mkdocs.yml's ``repo_url``; none without one.

    GitLab (its host, or an ``edit_uri`` in its ``-/edit/`` form) shows a commit at ``/-/commit/<id>``,
    Bitbucket at ``/commits/<id>``, GitHub and the hosts that copy it (Gitea, Forgejo) at ``/commit/<id>``.
    """
    if not repo_url or urlparse(repo_url).scheme not in ("http", "https"):
        return lambda _commit: None
    base = repo_url.rstrip("/").removesuffix(".git")
    host = urlparse(base).netloc.lower()
    if "gitlab" in host or (edit_uri or "").lstrip("/").startswith("-/"):
        form = "/-/commit/"
    elif "bitbucket" in host:
        form = "/commits/"
    else:
        form = "/commit/"
    return lambda commit: f"{base}{form}{commit}"


def page_of(kind_name: str, item_id: str) -> str | None:
    """The source path of the page that shows an item (``patterns/x.md``), or None when its kind has none."""
    kind = BY_NAME.get(kind_name)
    route = kind.route if kind is not None else None
    if kind is not None and route is not None and kind.pages_from is None:
        return route.format(id=item_id)
    return SECTION_PAGES.get(kind_name)


@dataclass(frozen=True)
class Links:
    """Where the links of a page (or the feed) go."""

    page: Callable[[str], str | None]
    """The address of the page built from a source path, from where the links are; None when no such page."""
    commit: Callable[[str], str | None]
    """The address of a commit on the repository's host, or None."""


@dataclass(frozen=True)
class Line:
    """Text with, where it has one, a link: a title, a use case, a successor."""

    text: str
    href: str | None = None


@dataclass
class EntryView:
    """One change as the page and the feed show it."""

    entry: Entry
    what: str
    """``added``, ``removed``, ``moved``, ``statement`` or ``framework``: the page's hook and the badge's style."""
    label: str
    """What happened, in a word or two: New, Adopted, Removed, Statement changed, Thresholds changed."""
    kind: str
    """The kind in the site's language: Pattern, Policy ..."""
    item: Line
    status: str | None = None
    """The status (for a new item) or the status move (``Trial → Adopted``), worded."""
    status_class: str | None = None
    successor: Line | None = None
    details: list[str] = field(default_factory=list)
    """A framework change's rules and tiers, one line each."""
    moves: list[tuple[str, Line, str]] = field(default_factory=list)
    """The registered use cases a framework change moves: id, title (linked) and the move worded."""
    commit: str | None = None
    """The address of the change on the repository's host."""

    @property
    def day(self) -> str:
        return self.entry.day.isoformat()

    def summary(self, m: Messages) -> str:
        """The change in a sentence or a few, as plain text: the feed's summary."""
        parts = [f"{self.kind}: {self.item.text}" if self.kind else self.item.text]
        if self.status:
            parts.append(self.status)
        if self.successor:
            parts.append(m("whatsnew.detail.successor", successor=self.successor.text))
        parts += self.details
        if self.what == "framework":
            parts.append(m("whatsnew.framework.moves", count=len(self.moves)) if self.moves
                         else m("whatsnew.framework.no-moves"))
            parts += [f"{case.text}: {move}" for _id, case, move in self.moves]
        return "\n".join(parts)


def _key(m: Messages, *keys: str, default: str) -> str:
    for key in keys:
        if key in m.strings:
            return m(key)
    return default


def kind_label(m: Messages, kind_name: str) -> str:
    """What one item of a kind is called: ``kind.<name>`` (the search's words) or ``whatsnew.kind.<name>``."""
    kind = BY_NAME.get(kind_name)
    return _key(m, f"kind.{kind_name}", f"whatsnew.kind.{kind_name}", default=kind.title if kind else kind_name)


def kinds_label(m: Messages, kind: Kind | None, kind_name: str) -> str:
    """What several items of a kind are called: ``whatsnew.kinds.<name>``, else the kind's own title."""
    return _key(m, f"whatsnew.kinds.{kind_name}", default=kind.title if kind else kind_name)


def status_label(m: Messages, kind_name: str, status: str) -> str:
    """A status in the site's language: ``<kind>.status.<value>`` (the register's), else ``status.<value>``."""
    return _key(m, f"{kind_name}.status.{status}", f"status.{status}", default=status)


def _current(playbook: Playbook, kind_name: str, item_id: str) -> BaseModel | None:
    """The item as the playbook holds it today, or None when it is gone (or its kind is unknown to this build)."""
    kind = BY_NAME.get(kind_name)
    items = getattr(playbook, kind.attribute, None) if kind is not None and kind.collection else None
    return items.get(item_id) if isinstance(items, dict) else None


def _title(playbook: Playbook, change: Change) -> str:
    """The item's title today where it still exists (its page says so), else as it was then, else its id."""
    item = _current(playbook, change.kind, change.id)
    return (title_of(item) if item is not None else "") or change.title or change.id


def _exists(playbook: Playbook, kind_name: str, item_id: str) -> bool:
    return _current(playbook, kind_name, item_id) is not None


def _item_line(playbook: Playbook, change: Change, links: Links) -> Line:
    source = page_of(change.kind, change.id) if _exists(playbook, change.kind, change.id) else None
    return Line(_title(playbook, change), links.page(source) if source else None)


def _tier_name(playbook: Playbook, tier_id: str) -> str:
    return next((t.name for t in playbook.tiers if t.id == tier_id), tier_id)


def _case_side(playbook: Playbook, m: Messages, side: tuple[str, str] | None) -> str:
    """A use case's tier and review path on one side of a move, worded."""
    if side is None:
        return m("whatsnew.framework.unclassified")
    tier, review = side
    return m("whatsnew.case", tier=_tier_name(playbook, tier), review=_key(m, f"review.{review}", default=review))


def _framework_detail(m: Messages, entry_list: str, what: str, ident: str, values: str) -> str:
    return m(f"whatsnew.framework.{entry_list}.{what}", id=ident, values=values)


def describe(entry: Entry, playbook: Playbook, m: Messages, links: Links) -> EntryView:
    """One notable change, worded and linked."""
    change = entry.change
    commit = links.commit(entry.commit.id)
    if change.what is What.framework:
        details = []
        for touched in change.entries:
            values = "; ".join(f"{v.path}: {v.before} → {v.after}" if v.before and v.after else v.path
                               for v in touched.values)
            name = _tier_name(playbook, touched.id) if touched.list == "tiers" else touched.id
            details.append(_framework_detail(m, touched.list, touched.what, name, values))
        moves = []
        for move in change.moved:
            source = page_of("usecase", move.id) if move.id in playbook.usecases else None
            before, after = (_case_side(playbook, m, side) for side in (move.before, move.after))
            moves.append((move.id, Line(move.title or move.id, links.page(source) if source else None),
                          m("whatsnew.move", before=before, after=after)))
        rules = any(item.list == "rules" for item in change.entries)
        page = page_of(change.kind, "")
        return EntryView(entry, "framework", m("whatsnew.change.rules" if rules else "whatsnew.change.tiers"),
                         "", Line(m("whatsnew.framework.title"), links.page(page) if page else None),
                         details=details, moves=moves, commit=commit)
    kind = kind_label(m, change.kind)
    item = _item_line(playbook, change, links)
    if change.what is What.added:
        status = status_label(m, change.kind, change.status) if change.status else None
        return EntryView(entry, "added", m("whatsnew.change.added"), kind, item, status=status, commit=commit)
    if change.what is What.removed:
        return EntryView(entry, "removed", m("whatsnew.change.removed"), kind, Line(change.title or change.id),
                         commit=commit)
    if change.what is What.moved:
        now = status_label(m, change.kind, change.status or "")
        was = status_label(m, change.kind, change.before) if change.before else None
        successor = None
        if change.successor:
            target = change.successor
            found = _exists(playbook, change.kind, target)
            source = page_of(change.kind, target) if found else None
            title = _title(playbook, Change(what=What.added, kind=change.kind, id=target)) if found else target
            successor = Line(title, links.page(source) if source else None)
        return EntryView(entry, "moved", now, kind, item,
                         status=m("whatsnew.move", before=was, after=now) if was else None,
                         status_class=change.status, successor=successor, commit=commit)
    return EntryView(entry, "statement", m("whatsnew.change.statement"), kind, item, commit=commit)


@dataclass
class ReleaseView:
    release: Release
    heading: str
    anchor: str
    entries: list[EntryView]
    started: list[tuple[str, int]]


_ANCHOR = re.compile(r"[^a-z0-9.-]+")


def release_heading(release: Release, m: Messages) -> str:
    if release.after is not None:
        return m("whatsnew.release.since", tag=release.after)
    if release.tag is not None:
        return m("whatsnew.release.tag", tag=release.tag, date=release.day.isoformat())
    year, month = release.month
    return m("whatsnew.release.month", month=m(f"whatsnew.month.{month}"), year=year)


def release_anchor(release: Release) -> str:
    if release.after is not None:
        return "since-" + (_ANCHOR.sub("-", release.after.lower()).strip("-") or "release")
    return "release-" + (_ANCHOR.sub("-", release.key.lower()).strip("-") or "release")


def release_views(history: History, playbook: Playbook, m: Messages, links: Links) -> list[ReleaseView]:
    views = []
    for release in history.releases:
        started = [(kinds_label(m, BY_NAME.get(name), name), count) for name, count in release.started.items()]
        views.append(ReleaseView(release, release_heading(release, m), release_anchor(release),
                                 [describe(entry, playbook, m, links) for entry in release.entries], started))
    return views


def history_note(history: History, m: Messages) -> tuple[str, str] | None:
    """Why the page cannot show everything, as (state, sentence); None when history is whole."""
    if history.missing is not None:
        return history.missing.value, m(f"whatsnew.missing.{history.missing.value}")
    if history.shallow and history.start is not None:
        return "shallow", m("whatsnew.shallow", date=history.start.isoformat())
    return None


def whats_new_page(history: History, playbook: Playbook, m: Messages, links: Links, feed: str) -> str:
    """The what's new page's body: how to subscribe, what history cannot show, then each release's changes."""
    return render("whatsnew.md", m, releases=release_views(history, playbook, m, links), feed=feed,
                  note=history_note(history, m), start=history.start.isoformat() if history.start else None,
                  shallow=history.shallow, tagged=history.tagged)


@dataclass(frozen=True)
class HistoryLine:
    """An item's history as its page shows it: "Adopted on 2026-10-15 (trial since 2026-09-01)"."""

    main: str
    """The sentence, with its dates."""
    commit: str | None
    """The address of the change it names."""
    edited: str | None = None
    """"Last changed on ...", when the item changed since."""
    edited_commit: str | None = None


def history_line(item: ItemHistory | None, kind_name: str, m: Messages, links: Links,
                 shallow: bool = False) -> HistoryLine | None:
    """The line an item's page shows, or None when history knows nothing of the item."""
    if item is None:
        return None
    main_entry: Entry | None = None
    if item.moves:
        main_entry = item.moves[-1]
        change = main_entry.change
        status = change.status or ""
        date = main_entry.day.isoformat()
        label = status_label(m, kind_name, status)
        key = f"whatsnew.history.moved.{status}"
        main = m(key, date=date) if key in m.strings else m("whatsnew.history.moved", status=label, date=date)
        if change.before:
            was = _key(m, f"whatsnew.was.{change.before}", default=status_label(m, kind_name, change.before))
            since = item.status_since(len(item.moves) - 1)
            cut = since is not None and item.from_start and shallow and len(item.moves) == 1
            if since is not None and not cut:
                main += " " + m("whatsnew.history.was", status=was, date=since.isoformat())
            else:
                main += " " + m("whatsnew.history.was-before", status=was)
    elif item.added is not None:
        main_entry = item.added
        main = m("whatsnew.history.added", date=item.added.day.isoformat())
    elif item.since is not None:
        key = "whatsnew.history.start-cut" if shallow else "whatsnew.history.start"
        main = m(key, date=item.since.isoformat())
    else:
        return None
    commit = links.commit(main_entry.commit.id) if main_entry else None
    last = item.last
    if last is not None and (main_entry is None or last.commit.id != main_entry.commit.id):
        return HistoryLine(main, commit, m("whatsnew.history.edited", date=last.day.isoformat()),
                           links.commit(last.commit.id))
    return HistoryLine(main, commit)
