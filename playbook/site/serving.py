"""What ``playbook serve`` (``mkdocs serve --dirty``) keeps from one rebuild to the next: the plugin object lives
for the whole session, mkdocs' configuration, files, pages and theme environment are made anew each rebuild."""

from __future__ import annotations

import copy
import logging
import os
import site
import subprocess
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from threading import Condition
from types import CodeType
from typing import Generic, TypeVar

from jinja2 import BytecodeCache, Environment, FileSystemLoader
from jinja2.bccache import Bucket
from mkdocs import utils
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.theme import Theme

from playbook.site.search import Record

T = TypeVar("T")
log = logging.getLogger("mkdocs.plugins.playbook")


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
    patterns, a fifth of a small rebuild. The folders of an installed package (in site-packages) do not change while
    a session serves: they are listed once. Any other folder (a ``custom_dir``, where the author may add a file) is
    listed each build, as mkdocs lists it.
    """

    def __init__(self) -> None:
        self.listed: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        """The names mkdocs keeps of a folder, by folder and what mkdocs' choice of names depends on."""

    def install(self, theme: Theme) -> None:
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
                    if not _installed(folder):
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


def _installed(folder: str) -> bool:
    """Whether ``folder`` is in an installed package: in a site-packages folder of this Python or the user's."""
    paths = sysconfig.get_paths()
    places = {paths["purelib"], paths["platlib"], site.getusersitepackages()}
    where = Path(folder).resolve()
    return any(where.is_relative_to(Path(place).resolve()) for place in places)


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


class RepositoryState:
    """What tells that a git repository's commits, branches or tags moved, read from its files without running git:
    a rebuild asks git again only then. Saving a YAML file moves none of them."""

    def __init__(self) -> None:
        self.folders: dict[Path, tuple[Path, Path]] = {}
        """The git folder and the common one (of all worktrees) of the repository holding each folder asked about."""

    def key(self, folder: Path) -> tuple[object, ...] | None:
        """A value that changes whenever HEAD, a branch or a tag of the repository holding ``folder`` moves; None
        when ``folder`` is in no repository that git can read (then nothing is kept)."""
        found = self.folders.get(folder)
        if found is None:
            # Asked again each time while there is none: the author may run git init.
            found = _git_folders(folder)
            if found is None:
                return None
            self.folders[folder] = found
        git, common = found
        try:
            head = (git / "HEAD").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        paths = [git / "HEAD", git / "logs" / "HEAD", common / "packed-refs"]
        if head.startswith("ref: "):
            paths.append(common / head[5:].strip())
        # A ref is written to a new file renamed over the old one: its inode changes with every move.
        tags = [Path(where) for where, _folders, _files in os.walk(common / "refs" / "tags")]
        return head, tuple(_stat(path) for path in [*paths, *tags])


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _git_folders(folder: Path) -> tuple[Path, Path] | None:
    try:
        done = subprocess.run(["git", "rev-parse", "--absolute-git-dir", "--git-common-dir"], cwd=folder,
                              capture_output=True, text=True, check=False,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    except OSError:
        return None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != 2:
        return None
    return Path(lines[0]), (folder / lines[1]).resolve()


class Remembered(Generic[T]):
    """The answers of a function that asks git about the repository holding a folder, each kept while the
    repository's :class:`RepositoryState` stays the same."""

    def __init__(self, state: RepositoryState, ask: Callable[[Path], T]) -> None:
        self.state, self.ask = state, ask
        self.answers: dict[Path, tuple[object, T]] = {}

    def __call__(self, folder: Path) -> T:
        key = self.state.key(folder)
        last = self.answers.get(folder)
        if key is not None and last is not None and last[0] == key:
            return last[1]
        answer = self.ask(folder)
        if key is not None:
            self.answers[folder] = (key, answer)
        return answer


def remember_macros_git_info(state: RepositoryState) -> Callable[[], None] | None:
    """Make mkdocs-macros ask git about the last commit (its ``git`` variable, 12 commands) only when the
    repository moved; returns what puts its own function back, or None when there is none to replace."""
    try:
        from mkdocs_macros import context
    except ImportError:  # pragma: no cover - mkdocs-macros is a dependency
        return None
    ask = getattr(context, "get_git_info", None)
    if not callable(ask):
        return None
    remembered = Remembered(state, lambda _folder: ask())

    def get_git_info() -> object:
        # It runs git in the working folder; a copy, so that no page's use of it changes what is kept.
        return copy.copy(remembered(Path.cwd()))

    context.get_git_info = get_git_info

    def undo() -> None:
        context.get_git_info = ask

    return undo


class MaterialSearch:
    """Material's own search plugin (``- search`` in mkdocs.yml) under a dirty serve. It indexes the pages a build
    renders, and keeps the rest of its last index on the belief that a rebuild renders one page; this plugin's
    rebuilds render every page an edit changed and leave the others as built. Its index is made here as a clean
    build makes it: each page's entries in the pages' order, the ones of a page left as built from the build before."""

    def __init__(self) -> None:
        self.entries: dict[str, list[object]] = {}
        """The last index's entries, by the address of their page."""

    def complete(self, search: object, pages: list[str], rendered: set[str]) -> None:
        """Give ``search`` (the plugin, before its ``on_post_build``) the whole index: ``pages`` are the addresses of
        the site's pages in order, ``rendered`` those this build rendered."""
        index = getattr(search, "search_index", None)
        entries = getattr(index, "entries", None)
        if not isinstance(entries, list) or not hasattr(search, "search_index_prev"):
            return
        now: dict[str, list[object]] = {}
        for entry in entries:
            location = entry.get("location", "") if isinstance(entry, dict) else ""
            now.setdefault(str(location).split("#")[0], []).append(entry)
        self.entries = {url: now.get(url, []) if url in rendered else self.entries.get(url, []) for url in pages}
        entries[:] = [entry for url in pages for entry in self.entries[url]]
        search.search_index_prev = None  # its own merge would add back what a rebuilt page no longer has


class CompiledPages:
    """The hand-written pages as mkdocs-macros' Jinja compiled them: it makes its environment anew each build and
    compiles every page again, though a save changes none of them (a fifth of the macros' time). The code is kept by
    page text and by every setting of the environment that shapes it; an environment set up otherwise compiles anew."""

    def __init__(self) -> None:
        self.last: dict[tuple[object, ...], CodeType] = {}
        self.now: dict[tuple[object, ...], CodeType] = {}

    def install(self, env: Environment) -> None:
        """Make ``env`` (this build's) take the code of a page compiled before."""
        self.last, self.now = self.now, {}
        compile_anew = env.compile
        settings = _settings(env)

        def compile(source: str, name: str | None = None, filename: str | None = None, raw: bool = False,
                    defer_init: bool = False) -> object:
            if raw or not isinstance(source, str):
                return compile_anew(source, name, filename, raw, defer_init)
            key = (settings, source, name, filename, defer_init)
            code = self.now.get(key) or self.last.get(key)
            if code is None:
                code = compile_anew(source, name, filename, raw, defer_init)
            self.now[key] = code
            return code

        env.compile = compile  # type: ignore[method-assign,assignment]


def _settings(env: Environment) -> tuple[object, ...]:
    """Every setting of a Jinja environment that the code it compiles depends on."""
    return (type(env), env.code_generator_class, env.block_start_string, env.block_end_string,
            env.variable_start_string, env.variable_end_string, env.comment_start_string, env.comment_end_string,
            env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
            env.newline_sequence, env.keep_trailing_newline, tuple(sorted(env.extensions)), env.optimized,
            env.undefined, env.finalize, env.autoescape, env.is_async)


def skip_conversion(page: Page) -> None:
    """Spare ``page`` mkdocs' conversion of its Markdown, which this build does not use (a page left as built, or one
    given its last conversion's HTML): mkdocs makes a Python-Markdown instance, with every extension, for each
    page it converts, even of nothing (a tenth of a small rebuild for the hand-written pages)."""
    def render(config: object, files: object) -> None:
        page.content = ""

    page.render = render  # type: ignore[method-assign,assignment]


def watch_natively(server: object, paths: list[str]) -> list[str]:
    """Have the operating system report saves under ``paths`` (inotify, FSEvents, kqueue or Windows' change
    notices, as watchdog has them), and tell ``server`` to rebuild as its own watch does; the paths it cannot
    watch so are returned, for the server's polling, and so is a path that is no folder.

    mkdocs' server looks at every watched folder for changes: each look costs a ``stat`` per file, so looking
    often enough to show a save at once kept an idle server busy. A native watch costs nothing until a file
    changes, and reports it at once. It needs the server's rebuild signal (``_rebuild_cond``, ``_want_rebuild``
    of mkdocs 1.6's ``LiveReloadServer``); without it, or on a system whose only observer polls, every path is
    left to the server. A path the system refuses (inotify's limit on watches) is left to it too.
    """
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    found = getattr(server, "_rebuild_cond", None)
    if Observer is PollingObserver or not isinstance(found, Condition) or not hasattr(server, "_want_rebuild") \
            or not paths:
        return paths
    condition = found

    class Rebuild(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                return
            with condition:
                server._want_rebuild = True  # type: ignore[attr-defined]
                condition.notify_all()

    observer = Observer()
    observer.daemon = True
    observer.start()
    left = []
    for path in paths:
        if not os.path.isdir(path):
            # A module of the organisation's macros: a file, which not every system's observer takes.
            left.append(path)
            continue
        try:
            observer.schedule(Rebuild(), path, recursive=True)
        except OSError as error:
            log.debug(f"playbook: {path} is polled: {error}")
            left.append(path)
    return left
