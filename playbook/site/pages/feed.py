"""The Atom feed (RFC 4287) of what's new: one entry per change, newest first, each linking to its item's page.

Built with ElementTree, which escapes every value; worded like the what's new page (:func:`describe`).
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from playbook.data.model.playbook import Playbook
from playbook.history.timeline import History
from playbook.i18n import Messages
from playbook.site.pages.whatsnew import Links, describe

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
