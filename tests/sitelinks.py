"""Every link a built site's pages hold, followed as a browser follows it: to a file of the site, and to an element
with the link's fragment as its id. mkdocs checks the links of a page's Markdown; this checks its HTML blocks too,
and the engines that rewrite them (Zensical)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class _Page(HTMLParser):
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.ids.add(str(values["name"]))
        if tag == "a" and values.get("href") is not None:
            self.links.append(str(values["href"]))


@dataclass(frozen=True)
class Link:
    page: str
    """The page holding the link, relative to the site."""
    href: str
    broken: str | None
    """Why it leads nowhere, or None."""

    def __str__(self) -> str:
        return f"{self.page}: {self.href} ({self.broken or 'fine'})"


def site_links(site: Path) -> list[Link]:
    """Each distinct link to this site of each page of ``site``, and whether it leads to a file and to an element
    of its fragment."""
    @cache
    def page(path: Path) -> _Page:
        parsed = _Page()
        parsed.feed(path.read_text(encoding="utf-8"))
        parsed.close()
        return parsed

    site = site.resolve()
    links = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        for href in dict.fromkeys(page(path).links):
            if _is_local(href):
                links.append(Link(rel, href, _why_broken(site, path, href, page)))
    return links


def _is_local(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and not href.startswith("//")


def _why_broken(site: Path, page_path: Path, href: str, page: Callable[[Path], _Page]) -> str | None:
    parts = urlsplit(href)
    target = page_path
    if parts.path:
        # A link from the root (the 404 page's, which mkdocs writes so for any address) is one from the site's.
        folder = site if parts.path.startswith("/") else page_path.parent
        target = Path(posixpath.normpath(posixpath.join(folder.as_posix(), unquote(parts.path).lstrip("/"))))
        if not target.is_relative_to(site):
            return "leads out of the site"
        if parts.path.endswith("/") or target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return "no such file"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and fragment not in page(target).ids:
        return f"no element with the id {fragment!r}"
    return None
