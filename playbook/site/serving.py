"""What ``playbook serve`` (``mkdocs serve --dirty``) keeps from one rebuild to the next: the plugin object lives
for the whole session, mkdocs' configuration, files, pages and theme environment are made anew each rebuild."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from pathlib import Path

from jinja2 import BytecodeCache, Environment, FileSystemLoader
from jinja2.bccache import Bucket
from mkdocs import utils
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.theme import Theme

from playbook.site.search import Record


class TrackedFile(File):
    """A page under ``playbook serve --dirty``: built again only when the plugin says it changed."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


@dataclass
class Kept:
    """What a dirty serve keeps of a hand-written page it left as built: what the other pages read of it."""

    digest: str
    """Of its Markdown, its macros expanded."""
    title: str | None = None
    record: Record | None = None
    """Its entry in the search index."""
    anchors: set[str] | None = None
    """Its ids, for the links into it that the build checks."""
    skipped: bool = False


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, by template and source checksum (Jinja checks it on load)."""

    def __init__(self) -> None:
        self.buckets: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.buckets.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.buckets[bucket.key] = bucket.bytecode_to_string()


class DirtyNotice(logging.Filter):
    """Drops mkdocs' warning that a dirty build may show stale navigation: the plugin rebuilds what changed."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class ThemeListing:
    """The theme's files as mkdocs lists them at the start of each build, to publish its assets.

    Listing Material's folder means walking its 14,500 files (its icons) and matching each name against mkdocs'
    patterns, a fifth of a small rebuild. The folders of an installed theme do not change while a session serves:
    they are listed once. A folder inside the playbook (a ``custom_dir``, where the author may add a file) is listed
    each build, as mkdocs lists it.
    """

    def __init__(self) -> None:
        self.listed: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        """The names mkdocs keeps of a folder, by folder and what mkdocs' choice of names depends on."""

    def install(self, theme: Theme, project: Path) -> None:
        """Make the environments ``theme`` gives this build list its installed folders from memory."""
        make_env = theme.get_env

        def get_env() -> Environment:
            env = make_env()
            list_all = env.list_templates

            def list_templates(extensions: object = None, filter_func: object = None) -> list[str]:
                if extensions is not None or not callable(filter_func):
                    return list_all(extensions, filter_func)  # type: ignore[arg-type]
                # mkdocs' filter (Files.add_files_from_theme) reads these and the name; nothing else.
                keep = (*theme.static_templates, *utils.markdown_extensions)
                names: set[str] = set()
                for folder in theme.dirs:
                    if Path(folder).resolve().is_relative_to(project):
                        names.update(_listed(folder, filter_func))
                        continue
                    found = self.listed.get((folder, keep))
                    if found is None:
                        found = self.listed[(folder, keep)] = _listed(folder, filter_func)
                    names.update(found)
                return sorted(names)

            env.list_templates = list_templates  # type: ignore[method-assign]
            return env

        theme.get_env = get_env  # type: ignore[method-assign]


def _listed(folder: str, keep: object) -> list[str]:
    """The names of the files in ``folder`` (and below) that ``keep`` keeps, as Jinja lists them."""
    return Environment(loader=FileSystemLoader(folder)).list_templates(filter_func=keep)  # type: ignore[arg-type]


@dataclass
class Converted:
    """A page's HTML as Python-Markdown made it, with what mkdocs read of it as it converted it: a page that only
    the end of the build fills (the print page, a tags index) is rebuilt at every save, but its own Markdown rarely
    changes, and converting the print page's is a tenth of a small rebuild."""

    digest: str
    """Of its Markdown, its macros expanded."""
    content: str | None = None
    toc: TableOfContents | None = None
    title: str | None = None
    """The title of its first heading, mkdocs' ``page._title_from_render``."""
    anchors: set[str] | None = None

    def keep(self, page: Page) -> None:
        """Keep what ``page``, just converted, holds; copies, since the tags plugin adds its index to a page's toc."""
        self.content, self.toc = page.content, copy.deepcopy(page.toc)
        self.title, self.anchors = page._title_from_render, set(page.present_anchor_ids or ())

    def restore(self, page: Page) -> str:
        """Give ``page``, converted from nothing, what the kept conversion held; its HTML."""
        page.toc = copy.deepcopy(self.toc) if self.toc is not None else page.toc
        page._title_from_render, page.present_anchor_ids = self.title, set(self.anchors or ())
        return self.content or ""
