"""The playbook's git history as the site shows it, read once per build: what's new, its Atom feed (RFC 4287), each
item's history line and the catalog's marks.

The plugin reads it for its build; ``playbook generate`` and the macros module without the plugin read the same,
so every engine's site says what changed.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playbook.data.model.playbook import Playbook
from playbook.history.log import Missing
from playbook.history.timeline import History, read_history
from playbook.i18n import Messages
from playbook.site.pages.whatsnew import FEED_PATH, Links, commit_links, describe

WHATS_NEW_PAGE = "whats-new.md"
"""The page the feed names as its home, when the playbook has it."""
RECENT_DAYS = 90
"""The default of the ``recent_days`` setting."""


def build_time() -> dt.datetime:
    """When the site is built: now, or ``SOURCE_DATE_EPOCH`` (reproducible builds) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class SiteHistory:
    """What one build knows of the playbook's history, and how it links to the repository's commits."""

    history: History = field(default_factory=lambda: History(missing=Missing.off))
    marks: dict[tuple[str, str], str] = field(default_factory=dict)
    """``new`` or ``updated`` by kind name and id, for the items changed in the last ``recent_days`` days."""
    recent_days: int = RECENT_DAYS
    commit_link: Callable[[str], str | None] = field(default_factory=lambda: commit_links(None))
    """The address of a commit on the repository's host (from ``repo_url``), or None."""
    built: dt.datetime = field(default_factory=build_time)
    """When the site is built; the marks are for what changed in the ``recent_days`` before it."""

    def marks_of(self, kind_name: str) -> dict[str, str]:
        """``new`` or ``updated`` by id, for the items of one kind changed lately."""
        return {item_id: mark for (name, item_id), mark in self.marks.items() if name == kind_name}

    def links(self, page: Callable[[str], str | None]) -> Links:
        """Links to pages (``page`` gives the address of the page built from a source path, or None) and commits."""
        return Links(page, self.commit_link)


def site_history(root: Path, *, enabled: bool = True, recent_days: int = RECENT_DAYS, repo_url: str | None = None,
                 edit_uri: str | None = None, read: Callable[[Path], History] = read_history) -> SiteHistory:
    """The history of the playbook at ``root`` (each commit's changes cached in ``.cache/playbook/``), or, with
    ``enabled`` false, a history that says it was switched off. ``ValueError`` for a negative ``recent_days``.

    ``read`` reads it: :func:`~playbook.history.timeline.read_history`, or under serve, its last answer while the
    repository has not moved."""
    if recent_days < 0:
        raise ValueError(f"recent_days is {recent_days}; give 0 or more days")
    history = read(root) if enabled else History(missing=Missing.off)
    built = build_time()
    return SiteHistory(history, history.marks(built.date(), recent_days), recent_days,
                       commit_links(repo_url, edit_uri), built)


# The feed is built with ElementTree, which escapes every value; worded like the what's new page (:func:`describe`).
ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
"""The newest changes the feed carries; the what's new page lists all of them."""
_IDS = uuid.UUID("6f1c52d4-53a5-4f65-9d1e-8d0b3c1e2a77")
"""The namespace of the feed's and its entries' ids (UUID 5): the same change keeps the same id in every build."""


@dataclass(frozen=True)
class FeedSite:
    """What the feed says of the site it belongs to."""

    name: str
    """The site's name (``site_name``)."""
    url: str | None
    """The site's address (``site_url``), when mkdocs.yml gives one: the feed's links are then absolute."""
    feed: str
    """The feed's own address."""
    page: str
    """The address of the what's new page."""
    author: str
    """Who publishes it (``site_author``, else the site's name)."""


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def _link(parent: ET.Element, href: str, rel: str, **attributes: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": href, **attributes})


def atom_feed(history: History, playbook: Playbook, m: Messages, links: Links, site: FeedSite,
              built: dt.datetime) -> str:
    """The feed as XML text; ``built`` dates it when history has no change to date it by."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": m.language})
    _text(feed, "id", f"urn:uuid:{uuid.uuid5(_IDS, site.url or site.name)}")
    _text(feed, "title", m("whatsnew.feed.title", site=site.name))
    _text(feed, "subtitle", m("whatsnew.feed.subtitle"))
    entries = history.entries()[:FEED_ENTRIES]
    _text(feed, "updated", (entries[0].commit.when if entries else built).isoformat())
    _link(feed, site.feed, "self", type="application/atom+xml")
    _link(feed, site.page, "alternate", type="text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", site.author)
    _text(feed, "generator", "ai-governance-playbook")
    for entry in entries:
        view = describe(entry, playbook, m, links)
        change = entry.change
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        key = f"{entry.commit.id}/{change.what.value}/{change.kind}/{change.id}"
        _text(item, "id", f"urn:uuid:{uuid.uuid5(_IDS, key)}")
        title = view.item.text
        _text(item, "title", m("whatsnew.feed.entry", what=view.label, kind=view.kind, title=title) if view.kind
              else m("whatsnew.feed.entry-framework", what=view.label, title=title))
        _text(item, "updated", entry.commit.when.isoformat())
        _text(item, "published", entry.commit.when.isoformat())
        _link(item, view.item.href or site.page, "alternate", type="text/html")
        if view.commit:
            _link(item, view.commit, "related")
        ET.SubElement(item, f"{{{ATOM}}}category", {"term": change.kind, "label": view.kind or view.label})
        _text(item, "summary", view.summary(m), type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


@dataclass(frozen=True)
class SiteInfo:
    """What the feed says of the site: mkdocs.yml's ``site_name``, ``site_url`` and ``site_author``."""

    name: str
    url: str | None = None
    author: str | None = None


def feed_text(living: SiteHistory, playbook: Playbook, messages: Messages, site: SiteInfo,
              page: Callable[[str], str | None]) -> str:
    """The Atom feed; ``page`` gives the address from the site's root of the page built from a source path, or
    None. With a ``site.url`` every link is absolute, as feed readers need."""
    def absolute(url: str) -> str:
        return f"{site.url.rstrip('/')}/{url}" if site.url else url

    def page_link(src_uri: str) -> str | None:
        url = page(src_uri)
        return absolute(url) if url is not None else None

    about = FeedSite(site.name, site.url or None, absolute(FEED_PATH), page_link(WHATS_NEW_PAGE) or absolute(""),
                     site.author or site.name)
    return atom_feed(living.history, playbook, messages, living.links(page_link), about, living.built)


def feed_head(messages: Messages, site_name: str) -> dict[str, str]:
    """What every page's head names the feed by (``theme/main.html`` reads ``config.extra.playbook_feed``)."""
    return {"href": FEED_PATH, "title": messages("whatsnew.feed.title", site=site_name)}
