"""The mkdocs plugin: load and validate the playbook once per build, generate item pages, watch the YAML."""

from __future__ import annotations

import copy
import gc
import hashlib
import importlib.util
import json
import logging
import os
import posixpath
import re
import sys
import traceback
import zlib
from collections.abc import Callable, Iterator, MutableMapping
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any, cast, get_args

from jinja2 import BytecodeCache, Environment, TemplateNotFound
from jinja2.runtime import Context
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from playbook.check.validate import check
from playbook.data.kinds import KINDS, LEARNING, PATTERN, POLICY, data_folders
from playbook.data.load import ReadFiles
from playbook.data.model.playbook import Playbook
from playbook.data.problems import Problem, summary
from playbook.data.reporters import TextReporter
from playbook.data.wording import Wording
from playbook.export.formats import JsonPieces
from playbook.history.log import Missing
from playbook.history.timeline import History, read_history
from playbook.i18n import Messages
from playbook.site.config import MACROS
from playbook.site.generated import (
    LEARNINGS_INDEX,
    THEME_DIR,
    Maker,
    each_page_maker,
    scripts,
    search_box,
    site_files,
    stylesheets,
)
from playbook.site.living import RECENT_DAYS, SiteHistory, SiteInfo, feed_head, feed_text, site_history
from playbook.site.pages.print import PLACEHOLDER, nested_html
from playbook.site.pages.propose import Host
from playbook.site.pages.whatsnew import FEED_PATH, Links
from playbook.site.search import (
    INDEX_PATH,
    Record,
    RecordMemo,
    index_data,
    index_json,
    item_records,
    page_record,
)
from playbook.site.serving import (
    CompiledPages,
    Converted,
    DirtyNotice,
    Kept,
    MaterialSearch,
    MemoryBytecodeCache,
    Remembered,
    RepositoryState,
    ThemeListing,
    TrackedFile,
    remember_macros_git_info,
    skip_conversion,
    watch_natively,
)
from playbook.site.text import PageMemo, bytecode_cache, render

log = logging.getLogger("mkdocs.plugins.playbook")

DATA_DIRS = data_folders()
MACROS_LOGGER = "mkdocs.plugins.mkdocs_macros"
"""mkdocs-macros lists its modules, variables and macros at INFO on every build: noise to an author."""


PRINTED = tuple(f"{kind.route.split('/')[0]}/" for kind in (PATTERN, POLICY, LEARNING) if kind.route)
"""The generated pages the print page holds as they rendered: the patterns', the policies' and the learnings'."""
TAGS_PLUGIN = ("material/tags", "tags")
SEARCH_PLUGIN = ("material/search", "search")
"""The tags plugin's names: mkdocs names it for its theme when the theme has it (``- tags`` loads Material's)."""
MEMO_PARTIALS = ("partials/nav.html", "partials/tabs.html", "partials/playbook-search.html")
"""The partials that are the same on every page of a folder outside the navigation: the theme's sidebar and tabs
(Material's ``navigation.tabs``), and the header's search box."""
SHARED_BLOCK = re.compile(r'^<ul class="pb-links">\n.*?\n</ul>$', re.M | re.S)
"""A list of links that many generated pages hold the same (every use case of a tier lists the tier's policies)."""
SHARED_SIZE = 2000
"""A list this long or longer is held once: 10,000 use-case pages would otherwise hold 10,000 copies of it, as
Markdown and as HTML, until the build ends, and Python-Markdown would read each copy."""
SHARED_MARK = re.compile(r"<!-- playbook:shared (\w+) -->")
HELD_MARK = re.compile(r"<!-- playbook:held (\w+) -->")
"""A mark in a page's HTML for a block that Python-Markdown was spared (:meth:`PlaybookPlugin.hold`)."""
COMPRESSED_MARK = "<!-- playbook:compressed -->"
"""What a generated page's HTML is from when it is made until its template renders. mkdocs makes every page's HTML
before it writes the first: 10,000 use-case pages held 110 MB of HTML (11 KB each: text takes two bytes a
character once a page has one character beyond Latin-1, such as an arrow); compressed, 1.7 KB each."""
COMPRESS_LEVEL = 1
"""zlib's fastest level: about 0.05 ms to compress a use-case page and 0.02 ms to expand it; level 6 takes a tenth
more time for 7% less."""
WATCH_SECONDS = 0.05
"""Under serve, how often a data folder the system cannot watch is looked at for a save (mkdocs looks every half
second)."""
WATCH_FILES = 2000
"""A data folder of more files than this is looked at as often as mkdocs' own folders: a look costs a stat a file."""
QUIET_SECONDS = 0.02
"""Under serve, how long after a save the rebuild waits for another (mkdocs waits a tenth of a second): an editor
saves a file in one go, and the files a command changes together (a git checkout) are mostly seen by one look at
the folders; what a later look finds rebuilds again."""


class LateFile(TrackedFile):
    """A generated page whose Markdown is written when it is read (:meth:`Page.read_source`), not when the file is
    listed: mkdocs lists every file before it reads the first page, and the Markdown of 10,000 use-case pages
    would be held from then on. Read twice, it is written twice; once given content, it holds that content."""

    make: Callable[[], str] | None = None

    @classmethod
    def late(cls, config: MkDocsConfig, src_uri: str, make: Callable[[], str]) -> LateFile:
        """The page at ``src_uri``, out of the navigation, whose Markdown ``make`` writes."""
        file = cast(LateFile, cls.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
        file.make = make
        return file

    @property
    def content_string(self) -> str:
        return self.make() if self.make is not None else super().content_string

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.make = None
        self._content = value

    @property
    def content_bytes(self) -> bytes:
        return self.make().encode("utf-8") if self.make is not None else super().content_bytes

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.make = None
        self._content = value


class PlaybookConfig(Config):
    root = c.Optional(c.Dir(exists=True))
    """The playbook's folder; defaults to the folder holding mkdocs.yml."""
    exports = c.Type(bool, default=True)
    """Publish the JSON and CSV exports with the site."""
    strings = c.Type(dict, default={})
    """Overrides of the words the engine writes on the site, by message key (see ``playbook/i18n/en/``)."""
    history = c.Type(bool, default=True)
    """Read the playbook's git history for what's new, its feed, each item's history and the catalog's marks."""
    recent_days = c.Type(int, default=RECENT_DAYS)
    """Items added (or changed) in this many days before the build are marked new (or updated) in the pattern
    catalog and the policy index."""
    propose = c.Choice(get_args(Host), default="auto")
    """Where the forms that propose a new file open it: ``auto`` reads the host from ``repo_url`` (github.com,
    gitlab.com, a host named gitlab.*); ``github`` or ``gitlab`` name it for any other address (GitHub
    Enterprise, say); ``none`` offers the file as a download."""


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    """Makes a playbook's YAML into pages; macros read ``plugin.playbook`` for the hand-written ones."""

    playbook: Playbook
    messages: Messages
    """The site's words in ``theme.language``, with the playbook's own overrides."""
    files: Files | None = None
    pages_found: dict[str, Record] = {}
    """The hand-written pages' search records, by source path; filled as pages render (under a dirty serve, as they
    are left as built). The index lists them in the files' order, whatever order they came in."""
    serving = False
    """True under ``mkdocs serve``, where errors show in the browser instead of stopping the server."""
    errors: list[Problem] | None = None
    """Under serve, the errors of the last build: its pages list them instead of the site."""
    page_uris: set[str] = set()
    """Under serve, every page the last good build made, so a broken build answers at each of their URLs."""
    own_macros: Path | None = None
    """The folder of the playbook's own macros (``macros/``), loaded afresh each build; None if it has none."""
    living: SiteHistory = SiteHistory()
    """The playbook's git history, read once per build, and the marks of what changed lately."""
    dirty = False
    """Under ``playbook serve`` (``mkdocs serve --dirty``): a rebuild renders only the pages that changed."""
    rendered_urls: set[str] = set()
    """The addresses of the pages this build rendered (the others were left as built)."""
    material_search: MaterialSearch = MaterialSearch()
    """Under a dirty serve, Material's own search index (when mkdocs.yml has it), page by page."""
    sources: dict[str, tuple[str, MutableMapping[str, Any]]] = {}
    """Under a dirty serve, the front matter of the generated pages as read, with their Markdown's digest."""
    copied: dict[str, str] = {}
    """Under a dirty serve, the digest of each file :meth:`_generated` made that the last build wrote, by address."""
    copying: dict[str, str] = {}
    """The same, of this build: they become :attr:`copied` when it ends."""
    built: dict[str, str] = {}
    """Under a dirty serve, the Markdown digest of each generated page the last good build rendered."""
    site_digest: str | None = None
    """Under a dirty serve, the digest of what every page's HTML shares (the files, the config, the theme, the
    hand-written pages) at the last good build; when it changes, every page is built again."""
    written: set[str] = set()
    """Under a dirty serve, the files the last build wrote, so that a page that is gone is removed."""
    read_history: Callable[[Path], History] = staticmethod(read_history)
    """Reads the playbook's git history; under a dirty serve, again only when the repository moved."""
    json_pieces: JsonPieces | None = None
    """Under a dirty serve, the JSON export's text entry by entry."""
    compiled: CompiledPages | None = None
    """Under a dirty serve, the hand-written pages as mkdocs-macros compiled them."""
    records: RecordMemo | None = None
    """Under a dirty serve, each item's search record as the last index had it."""
    page_memo: PageMemo | None = None
    """Under a dirty serve, what each generated page's templates made last, from what: a page given the same is not
    rendered again."""
    read_files: ReadFiles | None = None
    """Under a dirty serve, the YAML files the last build read and what they parsed to: a save parses one file."""
    undo: Callable[[], None] | None = None
    """Under a dirty serve, what puts back the function of mkdocs-macros' that this plugin made remember its answer."""
    theme_files: ThemeListing | None = None
    """Under a dirty serve, the installed theme's files, listed once a session."""
    templates: BytecodeCache | None = None
    """Where the theme's compiled templates are kept: mkdocs makes its environment anew each build. In memory across
    the rebuilds of a dirty serve session; otherwise on disk, across builds (see :func:`bytecode_cache`). A changed
    template's source no longer matches its checksum and is compiled again."""
    same_site = False
    """Under a dirty serve, whether this build's :meth:`_site_digest` is the last good build's."""
    kept: dict[str, Kept] = {}
    """Under a dirty serve, each hand-written page's Markdown digest (its macros expanded), title and search record
    at the last good build: one whose Markdown comes out the same is left as built."""
    converted: dict[str, Converted] = {}
    """Under a dirty serve, the HTML Python-Markdown made of each page the end of the build fills (the print page, a
    tags index), by source path: the same Markdown is not converted again."""
    reused: dict[str, Converted] = {}
    """The pages of this build given the HTML of their last conversion, by source path."""
    nested: dict[str, tuple[str, str, str, str]] = {}
    """Under a dirty serve, each pattern and policy page's HTML as the print page holds it, with what it was made
    from: the page's HTML and address and the print page's address."""
    navigation: dict[tuple[str, str], str] = {}
    """The navigation partials rendered for the pages outside the navigation, by partial and folder."""
    held: dict[str, tuple[str, int]] = {}
    """The HTML blocks the pages' Markdown holds a mark for, by digest (:meth:`hold`), with the number of marks
    for each that are not yet replaced."""
    shared: dict[str, str] = {}
    """The long lists many generated pages share, by digest: their pages hold a mark until they are written."""
    compressed: dict[str, bytes] = {}
    """The HTML of each generated page but the patterns' and policies', compressed, by source path, from when it is
    made until its template renders: see :data:`COMPRESSED_MARK`."""
    rendered: dict[str, tuple[str, str]] = {}
    """The HTML (and URL) of each pattern and policy page, by source path, for the print page to hold; under a dirty
    serve, kept for the pages a rebuild leaves as they were."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this plugin object across the rebuilds of one serve session.
        self.serving = command == "serve"
        self.dirty = self.serving and dirty
        # What the last build of a session left, for the next: none yet (one process may run several sessions).
        self.built, self.kept, self.rendered, self.written, self.page_uris = {}, {}, {}, set(), set()
        self.converted, self.reused, self.nested, self.sources = {}, {}, {}, {}
        self.material_search = MaterialSearch()
        self.site_digest, self.templates = None, None
        self.theme_files = ThemeListing() if self.dirty else None
        self.read_history, self.copied = read_history, {}
        self.read_files = ReadFiles() if self.dirty else None
        self.page_memo = PageMemo() if self.dirty else None
        self.records = {} if self.dirty else None
        self.compiled = CompiledPages() if self.dirty else None
        self.json_pieces = JsonPieces() if self.dirty else None
        if self.undo is not None:
            self.undo()
            self.undo = None
        if self.dirty:
            # Saving a YAML file moves no commit: git is asked again only when the repository moved.
            repository = RepositoryState()
            self.read_history = Remembered(repository, read_history)
            self.undo = remember_macros_git_info(repository)
        if self.dirty:
            self.templates = MemoryBytecodeCache()
        logging.getLogger(MACROS_LOGGER).setLevel(logging.WARNING)
        if self.dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(DirtyNotice())

    def on_shutdown(self) -> None:
        if self.undo is not None:
            self.undo()
            self.undo = None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Under a dirty serve, let mkdocs-macros (set up in its on_config) reuse the code of the pages it compiled."""
        macros = config.plugins.get(MACROS)
        env = getattr(macros, "_env", None)
        if self.compiled is not None and isinstance(env, Environment):
            self.compiled.install(env)

    def on_build_error(self, *, error: Exception) -> None:
        """A build that stopped half way may have left pages unwritten: under a dirty serve the next builds all."""
        self.site_digest, self.built, self.kept, self.copied = None, {}, {}, {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        if self.theme_files is not None:
            self.theme_files.install(config.theme)
        self.own_macros = _load_own_macros(config)
        # The playbook stays alive for the whole build, and every full collection would walk its
        # hundreds of thousands of objects again: frozen, the collector leaves them be (a large build
        # takes a tenth less time). A next build in the same process thaws and collects them first, or the
        # old playbook would be frozen again with the new one, 14 MB a rebuild at 300 items. Under serve,
        # whose rebuilds render a few pages, nothing is frozen: the thaw and full collection would cost more.
        if gc.get_freeze_count():
            gc.unfreeze()
            gc.collect()
        playbook, problems, count = check(self.root, read=self.read_files)
        if not self.serving:
            gc.freeze()
        errors = [p for p in problems if p.severity == "error"]
        for problem in problems:
            if problem.severity == "warning":
                log.info("%s", problem)
        self.errors = None
        self.messages = Messages(config.theme.get("language"), self.config.strings)
        if errors:
            lines = "\n".join(str(p) for p in errors)
            if not self.serving:
                raise PluginError(
                    f"the playbook has errors; fix them and build again:\n{lines}\n{summary(problems, count)}"
                )
            # A raised error would leave the browser on the old site, looking stuck; show the problems instead.
            # INFO, not WARNING: a warning would abort this strict build, and the page would never show.
            log.info("the playbook has errors; the browser lists them until you save a fix:\n%s\n%s",
                     lines, summary(problems, count))
            self.errors = errors
        else:
            self.playbook = playbook
            self._read_history(config)
        # After a custom_dir, before the theme's own templates: a playbook's overrides still win.
        dirs = config.theme.dirs
        if str(THEME_DIR) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        for paths, target in ((stylesheets(), config.extra_css), (scripts(), config.extra_javascript)):
            target.extend(path for path in paths if path not in target)
        # Serving a broken playbook, the pages list its problems; the search box has no facet values to offer.
        config.extra["playbook_search"] = search_box(playbook if self.errors is None else Playbook(root=self.root),
                                                     self.messages)
        # Every page's head names the feed (theme/main.html), so a reader's mail or chat tool finds it.
        config.extra["playbook_feed"] = None if self.errors is not None else feed_head(self.messages,
                                                                                        config.site_name)
        return config

    def _read_history(self, config: MkDocsConfig) -> None:
        try:
            self.living = site_history(self.root, enabled=self.config.history, recent_days=self.config.recent_days,
                                       repo_url=config.repo_url, edit_uri=config.edit_uri, read=self.read_history)
        except ValueError as error:
            raise PluginError(f"the playbook plugin's {error}") from None
        history = self.living.history
        if history.missing not in (None, Missing.off):
            # The page says it in the site's language; the build's own output stays clean.
            log.debug("what's new: no history to read (%s) %s", history.missing.value, history.reason)

    def links(self, page_url: str | None) -> Links:
        """Links from the page at ``page_url`` (from the site's root when None) to pages and commits."""
        def page(src_uri: str) -> str | None:
            file = self._file(src_uri)
            if file is None:
                return None
            return get_relative_url(file.url, page_url) if page_url is not None else file.url

        return self.living.links(page)

    def _feed(self, config: MkDocsConfig) -> str:
        site = SiteInfo(config.site_name, config.site_url or None, config.site_author)
        return feed_text(self.living, self.playbook, self.messages, site, self.links(None).page)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self.pages_found = {}
        self.shared, self.held, self.compressed, self.rendered_urls = {}, {}, {}, set()
        if self.errors is not None:
            return self._error_files(files, config, self.errors)
        for file in list(files):
            if not file.generated_by and file.src_uri.endswith(".md"):
                if self.dirty:
                    # A hand-written page is built again each time: its macros read the whole playbook.
                    files.remove(file)
                    file = TrackedFile(file.src_path, file.src_dir, file.dest_dir, file.use_directory_urls,
                                       inclusion=file.inclusion)
                    files.append(file)
                file.edit_uri = f"{Path(config.docs_dir).name}/{file.src_uri}"
        has_index = files.get_file_from_path(LEARNINGS_INDEX) is not None
        pages = each_page_maker(self.playbook, self.messages, config.use_directory_urls, self.living, has_index,
                                memo=self.page_memo, hold=self.hold)
        digests: dict[str, str] = {}
        for src_uri, make, edit_path in pages:
            if self.dirty:
                # A dirty serve compares each page's Markdown with the last build's, so it writes them all now.
                content = self._with_marks(make)
                generated = TrackedFile.generated(config, src_uri, content=content,
                                                  inclusion=InclusionLevel.NOT_IN_NAV)
                digests[src_uri] = _digest(content)
            else:
                generated = LateFile.late(config, src_uri, partial(self._with_marks, make))
            generated.edit_uri = edit_path
            files.append(generated)
        self.copying = {}
        for uri, data in site_files(self.playbook, self.messages, self.config.exports, self.json_pieces).items():
            if isinstance(data, Path):
                files.append(File.generated(config, uri, abs_src_path=str(data)))
            else:
                files.append(self._generated(config, uri, data))
        self.files = files
        files.append(self._generated(config, FEED_PATH, self._feed(config)))
        if self.serving:
            self.page_uris = {file.src_uri for file in files if file.is_documentation_page()}
        if self.dirty:
            self._mark_changed(files, config, digests)
        return files

    def _generated(self, config: MkDocsConfig, uri: str, content: str) -> File:
        """A file of the site made here (the exports, the scripts' data, the feed); under a dirty serve, written
        again only when it changed (mkdocs writes such a file at every build)."""
        if not self.dirty:
            return File.generated(config, uri, content=content)
        file = TrackedFile.generated(config, uri, content=content)
        assert isinstance(file, TrackedFile)
        digest = self.copying[uri] = _digest(content)
        file.modified = self.copied.get(uri) != digest or not os.path.isfile(file.abs_dest_path)
        return file

    def hold(self, html: str) -> str:
        """A mark that stands for ``html`` in a page's Markdown until the page is converted (:meth:`on_page_content`):
        an HTML block that Python-Markdown would only pass through, reading each of its tags twice on the way (a
        200-policy index took 45 ms; the lists of a use-case page, half its build). The mark is the block's digest,
        so a page's Markdown is the same while its HTML is; a block is let go once each of its marks is replaced."""
        key = _digest(html)
        self.held[key] = (html, self.held[key][1] + 1 if key in self.held else 1)
        return f"<!-- playbook:held {key} -->"

    def _give_held(self, match: re.Match[str]) -> str:
        html, marks = self.held[match[1]]
        if marks == 1:
            del self.held[match[1]]
        else:
            self.held[match[1]] = (html, marks - 1)
        return html

    def _with_marks(self, make: Maker) -> str:
        """The page's Markdown, a mark in place of each long list it shares with other pages."""
        return SHARED_BLOCK.sub(self._shared_mark, make())

    def _shared_mark(self, match: re.Match[str]) -> str:
        """A mark for a long list many pages share, held once; :meth:`on_post_page` puts the list back in."""
        block = match[0]
        if len(block) < SHARED_SIZE:
            return block
        key = _digest(block)
        self.shared.setdefault(key, block)
        return f"<!-- playbook:shared {key} -->"

    def _mark_changed(self, files: Files, config: MkDocsConfig, digests: dict[str, str]) -> None:
        """Leave a generated page out of this dirty build when its Markdown and everything its HTML shares with
        the other pages are as the last good build had them: its HTML in the site folder is still right.

        The hand-written pages are always built: their macros read the whole playbook.
        """
        site = self._site_digest(files, config)
        same = self.same_site = site == self.site_digest
        self.site_digest, built, self.built = site, self.built, digests
        if not same:
            self.kept = {}
        for file in files.documentation_pages():
            if isinstance(file, TrackedFile) and file.src_uri in digests:
                file.modified = not (same and built.get(file.src_uri) == digests[file.src_uri]
                                     and os.path.isfile(file.abs_dest_path))

    def _site_digest(self, files: Files, config: MkDocsConfig) -> str:
        """What every page's HTML is built from besides its own Markdown: the site's file list (links), the
        configuration and what the plugin adds to it, the theme's overrides and the hand-written pages (the
        navigation takes their titles), and the languages' words."""
        parts: list[object] = [sorted(f.src_uri for f in files), json.dumps(config.extra, sort_keys=True,
                                                                             default=str)]
        project = Path(config.config_file_path).parent
        custom = [config.theme.custom_dir] if config.theme.custom_dir else []
        for folder in [project, *map(Path, custom), *([self.own_macros] if self.own_macros else [])]:
            for path in sorted(Path(folder).glob("*" if folder == project else "**/*")):
                if path.is_file():
                    stat = path.stat()
                    parts.append((str(path), stat.st_mtime_ns, stat.st_size))
        for file in files.documentation_pages():
            if not file.generated_by and file.abs_src_path:
                stat = os.stat(file.abs_src_path)
                parts.append((file.src_uri, stat.st_mtime_ns, stat.st_size))
        return _digest(repr(parts))

    @event_priority(101)
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """Render the theme's navigation once for all the generated pages of a folder that are not in it (see
        :func:`_memoized`). Under a dirty serve, read the pages left as they were, so the tags index still lists
        their tags and the navigation has their titles. Before the tags plugin's own on_env (priority 100) fills
        its index."""
        self.navigation = {}
        if self.templates is None:
            # mkdocs and Material set the theme's environment up.
            self.templates = bytecode_cache("theme", *map(metadata.version, ("mkdocs", "mkdocs-material")))
        env.bytecode_cache = self.templates
        for name in MEMO_PARTIALS:
            try:
                template = env.get_template(name)
            except TemplateNotFound:
                continue
            template.root_render_func = _memoized(template.root_render_func, name, self.navigation)
        if not self.dirty:
            return env
        tags = next((config.plugins[name] for name in TAGS_PLUGIN if name in config.plugins), None)
        for file in files.documentation_pages():
            page = file.page
            if isinstance(page, Page) and page.markdown is None:
                self._read_source(page, config)
                if tags is not None and page.markdown is not None:
                    # A generated page's tags are in its front matter, and it lists none: its Markdown need not be read.
                    markdown = "" if page.file.generated_by else page.markdown
                    tags.on_page_markdown(markdown, page=page, config=config, files=files)
        mappings = getattr(getattr(tags, "mappings", None), "data", None)
        if isinstance(mappings, dict):
            # In the pages' order, as a clean build adds them, so that the tags it exports come out the same.
            order = {file.url: n for n, file in enumerate(files.documentation_pages())}
            ordered = sorted(mappings.items(), key=lambda item: order.get(item[0], len(order)))
            mappings.clear()
            mappings.update(ordered)
        return env

    def _read_source(self, page: Page, config: MkDocsConfig) -> None:
        """Read the front matter of a page left as built, for its title and tags; of a generated page whose Markdown
        is the last build's, as read then (mkdocs parses the front matter's YAML: 300 pages' took 40 ms). No later
        step reads the Markdown of a page that is not built again."""
        src_uri = page.file.src_uri
        digest = self.built.get(src_uri)
        source = self.sources.get(src_uri)
        if digest is not None and source is not None and source[0] == digest:
            page.markdown, page.meta = "", copy.deepcopy(source[1])
            return
        page.read_source(config)
        if digest is not None and page.markdown is not None:
            self.sources[src_uri] = (digest, copy.deepcopy(page.meta))

    def _error_files(self, files: Files, config: MkDocsConfig, errors: list[Problem]) -> Files:
        """The theme's files, and the problems page at the URL of every page the site had."""
        self.built, self.site_digest, self.kept, self.copying = {}, None, {}, {}
        page = _problems_page(errors, self.messages)
        uris = self.page_uris | {file.src_uri for file in files if file.is_documentation_page()}
        # A server started on a broken playbook has no last good build: an item's page is at its file's name.
        for kind in KINDS:
            if kind.folder and kind.route and (self.root / kind.folder).is_dir():
                uris |= {kind.route.format(id=path.stem) for path in (self.root / kind.folder).glob("*.yml")}
        error_files = Files([file for file in files if not file.is_documentation_page()])
        for src_uri in sorted(uris):
            error_files.append(File.generated(config, src_uri, content=page, inclusion=InclusionLevel.NOT_IN_NAV))
        self.files = error_files
        return error_files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """List the rollout steps under the rollout page: five entries, not one per item."""
        if self.errors is not None or self.playbook.roadmap is None:
            return nav
        index = files.get_file_from_path("rollout/index.md")
        if index is None or not isinstance(index.page, Page) or index.page.parent is None:
            return nav
        section = index.page.parent
        position = section.children.index(index.page) + 1
        steps = []
        for step in self.playbook.roadmap.steps:
            file = files.get_file_from_path(f"rollout/{step.id}.md")
            if file is not None and isinstance(file.page, Page):
                file.page.parent = section
                steps.append(file.page)
        section.children[position:position] = steps
        at = nav.pages.index(index.page) + 1
        nav.pages[at:at] = steps
        for previous, page in zip(nav.pages, nav.pages[1:], strict=False):
            previous.next_page, page.previous_page = page, previous
        return nav

    @event_priority(100)
    def _give_back(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
                   ) -> TemplateContext:
        """Give a generated page its HTML back (see :meth:`_hold`) before any plugin's on_page_context reads it."""
        compressed = self.compressed.pop(page.file.src_uri, None)
        if compressed is not None:
            page.content = zlib.decompress(compressed).decode("utf-8")
        return context

    def _page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Note a hand-written page's title and headings for the search index; item pages come from the data.

        Read here, not when the page's content is ready: the tags plugin fills its index's headings in between.
        """
        self._fill_print(page)
        self.rendered_urls.add(page.url)
        if page.file.generated_by and page.parent is None and page not in nav.pages:
            # Outside the navigation, no entry of it is this page's: every page of the folder has the same one.
            cast(dict[str, object], context)["playbook_nav_key"] = posixpath.dirname(page.url.rstrip("/"))
        search_meta = page.meta.get("search")
        excluded = isinstance(search_meta, dict) and search_meta.get("exclude")
        if not page.file.generated_by and not excluded:
            headings = []
            stack = list(reversed(page.toc.items))
            while stack:
                entry = stack.pop()
                if entry.title != page.title:
                    headings.append(entry.title)
                stack.extend(reversed(entry.children))
            self.pages_found[page.file.src_uri] = page_record(page.file.src_uri, page.url, page.title or "",
                                                              headings)
        kept = self.kept.get(page.file.src_uri)
        if kept is not None:
            kept.title, kept.anchors = page.title, page.present_anchor_ids
            kept.record = self.pages_found.get(page.file.src_uri) if not page.file.generated_by and not excluded \
                else None
        return context

    on_page_context = CombinedEvent(_give_back, _page_context)

    @event_priority(-100)
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Under a dirty serve, leave a hand-written page as built when its Markdown, its macros expanded, is the
        last good build's and so is the rest of the site; after the macros and the tags plugin (priority -50).

        Not the print page, nor a page listing tags: they are filled once every page has rendered."""
        file = page.file
        if self.dirty and file.generated_by and file.src_uri in self.built:
            # Its front matter as read, for the builds that leave it as built (see _read_source).
            self.sources[file.src_uri] = (self.built[file.src_uri], copy.deepcopy(page.meta))
        if not self.dirty or not isinstance(file, TrackedFile) or file.generated_by:
            return markdown
        digest = _digest(markdown)
        if "<!-- playbook:print " in markdown or (f" {file.src_uri.replace(' ', '-')}:" in markdown
                                                   and "/name {" in markdown):
            # Built again, but from the HTML of the last conversion when its Markdown is the same.
            last = self.converted.get(file.src_uri)
            if self.same_site and last is not None and last.digest == digest:
                self.reused[file.src_uri] = last
                skip_conversion(page)
                return ""
            self.converted[file.src_uri] = Converted(digest)
            return markdown
        kept = self.kept.get(file.src_uri)
        self.kept[file.src_uri] = Kept(digest)
        if not (self.same_site and kept is not None and kept.digest == digest and os.path.isfile(file.abs_dest_path)):
            return markdown
        self.kept[file.src_uri] = Kept(digest, kept.title, kept.record, kept.anchors, skipped=True)
        file.modified = False
        if kept.title is not None:
            page.meta["title"] = kept.title
        if kept.record is not None:
            self.pages_found[file.src_uri] = kept.record
        skip_conversion(page)
        return ""

    def _page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Keep each pattern and policy page's HTML for the print page; under a dirty serve, the conversion of a
        page filled at the end of the build (see :meth:`on_page_markdown`)."""
        reused = self.reused.pop(page.file.src_uri, None)
        if reused is not None:
            html = reused.restore(page)
        if "<!-- playbook:held " in html:
            # Before any on_page_context: Material's search reads the page's content there.
            html = HELD_MARK.sub(self._give_held, html)
        if reused is not None:
            return html
        converted = self.converted.get(page.file.src_uri)
        if self.dirty and converted is not None and converted.content is None:
            converted.keep(page)
        kept = self.kept.get(page.file.src_uri)
        if kept is not None and kept.skipped:
            page.present_anchor_ids = kept.anchors
            return html
        if page.file.generated_by and page.file.src_uri.startswith(PRINTED):
            self.rendered[page.file.src_uri] = (html, page.url)
        return html

    @event_priority(-100)
    def _hold(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Let go of a generated page's Markdown, and hold its HTML compressed until :meth:`_give_back`, once every
        plugin's on_page_content has seen it. The print page keeps the pattern and policy pages' HTML anyway."""
        file = page.file
        if not file.generated_by:
            return html
        _release_markdown(page, self.dirty)
        if file.src_uri.startswith(PRINTED):
            return html
        self.compressed[file.src_uri] = zlib.compress(html.encode("utf-8"), COMPRESS_LEVEL)
        return COMPRESSED_MARK

    on_page_content = CombinedEvent(_page_content, _hold)

    def _fill_print(self, page: Page) -> None:
        """Put the pattern and policy pages' HTML in the marks the print page holds for them; every page has
        rendered by the time a page's template does."""
        def page_html(match: re.Match[str]) -> str:
            src_uri = match[1]
            html, url = self.rendered[src_uri]
            last = self.nested.get(src_uri)
            if last is not None and last[:3] == (html, url, page.url):
                return last[3]
            nested = nested_html(html, url, page.url, src_uri.removesuffix(".md").replace("/", "-") + "-")
            if self.dirty:
                self.nested[src_uri] = (html, url, page.url, nested)
            return nested

        if page.content is not None and "<!-- playbook:print " in page.content:
            page.content = PLACEHOLDER.sub(page_html, page.content)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Let go of a generated page's HTML once its file is written: no later step reads it (the print page has
        its own copy of the pattern and policy pages'), and at 10,000 use cases they would all be held to the end
        of the build."""
        if "<!-- playbook:shared " in output:
            output = SHARED_MARK.sub(lambda match: self.shared[match[1]], output)
        file = page.file
        if file.generated_by and file.is_documentation_page():
            _release_markdown(page, self.dirty)
            page.content = None
        return output

    @event_priority(50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the search index, now that the hand-written pages' headings are known; under a dirty serve, before
        Material's search plugin writes its own (priority 0), complete it with the pages left as built."""
        if self.dirty and self.files is not None:
            self._remove_stale(self.files)
            self.copied = self.copying
            search = next((config.plugins[name] for name in SEARCH_PLUGIN if name in config.plugins), None)
            if search is not None:
                urls = [file.page.url for file in self.files.documentation_pages() if file.page is not None]
                self.material_search.complete(search, urls, self.rendered_urls)
        if not self.dirty:
            self.rendered = {}
        if self.errors is not None:
            return

        def url_of(src_uri: str) -> str | None:
            file = self._file(src_uri)
            return file.url if file is not None else None

        pages = self.files.documentation_pages() if self.files is not None else []
        records = item_records(self.playbook, url_of, self.records) + [self.pages_found[file.src_uri] for file in pages
                                                         if file.src_uri in self.pages_found]
        path = Path(config.site_dir) / INDEX_PATH
        text = index_json(index_data(records, self.messages.language))
        if self.dirty:
            # Written again only when it changed, as the other files this plugin makes.
            digest = _digest(text)
            if self.copied.get(INDEX_PATH) == digest and path.is_file():
                return
            self.copied[INDEX_PATH] = digest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def _remove_stale(self, files: Files) -> None:
        """Under a dirty serve, remove what the last build wrote and this one did not: a page whose file is gone."""
        written = {file.abs_dest_path for file in files}
        for path in self.written - written:
            Path(path).unlink(missing_ok=True)
        self.written = written

    def _file(self, src_uri: str) -> File | None:
        """This build's file made from ``src_uri``: looked up as it is first, since mkdocs' own lookup makes a path of
        it each time, and the macros ask thousands of times a build."""
        if self.files is None:
            return None
        return self.files.src_uris.get(src_uri) or self.files.get_file_from_path(src_uri)

    def has_page(self, src_uri: str) -> bool:
        """True when this build makes a page from ``src_uri`` (a hand-written page or a generated one)."""
        return self._file(src_uri) is not None

    def url_of(self, src_uri: str, page_url: str) -> str:
        """The link from the page at ``page_url`` to the page built from ``src_uri``."""
        file = self._file(src_uri)
        if file is None:
            raise PluginError(f"no page is built from {src_uri}")
        return get_relative_url(file.url, page_url)

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        folders = [str((self.root / folder).absolute()) for folder in DATA_DIRS if (self.root / folder).is_dir()]
        if self.own_macros is not None:
            folders.append(str(self.own_macros.absolute()))
        # The system reports a save in the data folders at once (see serving.watch_natively); a folder it cannot
        # watch is polled by mkdocs, every twentieth of a second rather than every half second, which alone would
        # take most of the second an author waits for a saved YAML file to show.
        polled = watch_natively(server, folders)
        native = [os.path.relpath(path, self.root) for path in folders if path not in polled]
        if native:
            # mkdocs names only the paths it polls itself.
            log.info(f"Watching the playbook's data for changes as they are saved: {', '.join(map(repr, native))}")
        quick = set()
        for path in polled:
            server.watch(path)
            if os.path.isdir(path) and sum(1 for _ in os.scandir(path)) <= WATCH_FILES:
                quick.add(path)
        server.build_delay = min(server.build_delay, QUIET_SECONDS)
        for emitter in server.observer.emitters:
            if getattr(emitter, "watch", None) is not None and emitter.watch.path in quick \
                    and hasattr(emitter, "_timeout"):
                emitter._timeout = WATCH_SECONDS
        return server


def _memoized(render: Callable[[Context], Iterator[str]], name: str, memo: dict[tuple[str, str], str]
              ) -> Callable[[Context], Iterator[str]]:
    """A template's render function that renders once per ``playbook_nav_key`` in the context and hands out the
    same HTML after: a page outside the navigation has no entry of it active, and its links, relative to the
    page's folder, are the same for every page of that folder. Without the key (a page in the navigation) it
    renders as the theme does. Thousands of item pages would otherwise render the same navigation each."""
    def root(context: Context) -> Iterator[str]:
        key = context.get("playbook_nav_key")
        if not isinstance(key, str):
            yield from render(context)
            return
        html = memo.get((name, key))
        if html is None:
            html = memo[(name, key)] = "".join(render(context))
        yield html

    return root


def _release_markdown(page: Page, dirty: bool) -> None:
    """Let go of a generated page's Markdown once its HTML is made: mkdocs makes every page's HTML before it writes
    the first, and 10,000 use-case pages would otherwise hold their Markdown twice each (the file's, and the page's
    without its front matter) until then. Under a dirty serve the file keeps its own, for the next rebuild."""
    # Empty, not None: a page whose Markdown is None has no title, and the navigation asks for it.
    page.markdown = ""
    if not dirty:
        page.file.content_string = ""


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _load_own_macros(config: MkDocsConfig) -> Path | None:
    """Import the playbook's own macros package (mkdocs-macros' ``module_name``, such as ``macros/``) ahead of
    mkdocs-macros, which then finds it imported; its folder, or None when the playbook has none.

    A package that fails to load stops the build with one line naming its file and line, where mkdocs-macros
    would print a traceback, or for an ImportError inside it, only that it "could not find" the package.
    Imported afresh each build, so that ``playbook serve`` runs the macros as last saved.
    """
    macros = config.plugins.get("macros")
    name = getattr(macros, "config", {}).get("module_name") if macros is not None else None
    project = Path(config.config_file_path).parent.resolve()
    if not isinstance(name, str) or not name.isidentifier() or not (project / name / "__init__.py").is_file():
        return None
    folder = project / name
    for loaded in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        del sys.modules[loaded]
    spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    assert spec is not None and spec.loader is not None
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[name]
        raise PluginError(f"the playbook's own macros in {name}/ did not load: {_where(error, project)}") from None
    return folder


def _where(error: Exception, project: Path) -> str:
    """``macros/__init__.py:12: NameError: name 'x' is not defined``: the error at its line in the playbook's files."""
    if isinstance(error, SyntaxError) and error.filename:
        place, line, what = error.filename, error.lineno, error.msg
    else:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename).is_relative_to(project)]
        place, line, what = (frames[-1].filename, frames[-1].lineno, str(error)) if frames else ("", None, str(error))
    if not place:
        return f"{type(error).__name__}: {what}"
    shown = Path(place).relative_to(project).as_posix() if Path(place).is_relative_to(project) else place
    return f"{shown}:{line}: {type(error).__name__}: {what}"


def _problems_page(errors: list[Problem], messages: Messages) -> str:
    """A page listing the errors as ``playbook check`` prints them, in the site's language where the catalog
    words them."""
    reporter = TextReporter(wording=Wording(messages))
    return render("problems.md", messages, title=messages("site.problems.title"),
                  lines=[reporter.line(problem) for problem in errors])
