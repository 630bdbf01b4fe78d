"""The mkdocs plugin: load and validate the playbook once per build, generate item pages, watch the YAML."""

from __future__ import annotations

import gc
import html
import json
import logging
from pathlib import Path

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from playbook.check.validate import check
from playbook.data.kinds import KINDS, data_folders
from playbook.data.model.items import Status
from playbook.data.model.playbook import Playbook
from playbook.data.problems import Problem, summary
from playbook.data.reporters import TextReporter
from playbook.data.wording import Wording
from playbook.i18n import Messages
from playbook.site.generated import generated_pages, site_data, site_exports
from playbook.site.scripts import messages_script
from playbook.site.search import INDEX_PATH, Record, index_data, index_json, item_records, page_record

log = logging.getLogger("mkdocs.plugins.playbook")

ASSETS = Path(__file__).parent / "assets"
ASSET_DIR = "assets/playbook"
THEME_DIR = Path(__file__).parent / "theme"
"""Template overrides the plugin puts in front of the theme's own: the header with the playbook's search."""
STEMMERS = ASSETS / "vendor" / "stemmers"
MESSAGES_JS = "messages.js"
"""Generated per build: the scripts' words in the site's language, loaded before the scripts."""
DATA_DIRS = data_folders()
MACROS_LOGGER = "mkdocs.plugins.mkdocs_macros"
"""mkdocs-macros lists its modules, variables and macros at INFO on every build: noise to an author."""


class PlaybookConfig(Config):
    root = c.Optional(c.Dir(exists=True))
    """The playbook's folder; defaults to the folder holding mkdocs.yml."""
    exports = c.Type(bool, default=True)
    """Publish the JSON and CSV exports with the site."""
    strings = c.Type(dict, default={})
    """Overrides of the words the engine writes on the site, by message key (see ``playbook/i18n/en/``)."""


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    """Makes a playbook's YAML into pages; macros read ``plugin.playbook`` for the hand-written ones."""

    playbook: Playbook
    messages: Messages
    """The site's words in ``theme.language``, with the playbook's own overrides."""
    files: Files | None = None
    pages_found: list[Record] = []
    """The hand-written pages, by title and headings, for the search index; filled as pages render."""
    serving = False
    """True under ``mkdocs serve``, where errors show in the browser instead of stopping the server."""
    errors: list[Problem] | None = None
    """Under serve, the errors of the last build: its pages list them instead of the site."""
    page_uris: set[str] = set()
    """Under serve, every page the last good build made, so a broken build answers at each of their URLs."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this plugin object across the rebuilds of one serve session.
        self.serving = command == "serve"
        logging.getLogger(MACROS_LOGGER).setLevel(logging.WARNING)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        # The playbook stays alive for the whole build, and every full collection would walk its
        # hundreds of thousands of objects again: frozen, the collector leaves them be (a large build
        # takes a tenth less time). The next build under serve thaws and collects them first, or the
        # old playbook would be frozen again with the new one, 14 MB a rebuild at 300 items.
        if gc.get_freeze_count():
            gc.unfreeze()
            gc.collect()
        playbook, problems, count = check(self.root)
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
        # After a custom_dir, before the theme's own templates: a playbook's overrides still win.
        dirs = config.theme.dirs
        if str(THEME_DIR) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        for asset, target in (
            ("playbook.css", config.extra_css),
            ("search.css", config.extra_css),
            ("layout.css", config.extra_css),
            (MESSAGES_JS, config.extra_javascript),
            ("playbook.js", config.extra_javascript),
            ("assess.js", config.extra_javascript),
            ("register.js", config.extra_javascript),
            ("usecases.js", config.extra_javascript),
            ("search.js", config.extra_javascript),
        ):
            path = f"{ASSET_DIR}/{asset}"
            if path not in target:
                target.append(path)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self.pages_found = []
        if self.errors is not None:
            return self._error_files(files, config, self.errors)
        for file in files:
            if not file.generated_by and file.src_uri.endswith(".md"):
                file.edit_uri = f"{Path(config.docs_dir).name}/{file.src_uri}"
        for src_uri, content, edit_path in generated_pages(self.playbook, self.messages, config.use_directory_urls):
            file = File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
            file.edit_uri = edit_path
            files.append(file)
        for asset in self.published_assets():
            uri = f"{ASSET_DIR}/{asset.relative_to(ASSETS).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(asset)))
        for dest, data in site_data(self.playbook, self.messages).items():
            files.append(File.generated(config, dest, content=data))
        files.append(File.generated(config, f"{ASSET_DIR}/{MESSAGES_JS}", content=messages_script(self.messages)))
        if self.config.exports:
            for dest, data in site_exports(self.playbook, self.messages).items():
                files.append(File.generated(config, dest, content=data))
        self.files = files
        if self.serving:
            self.page_uris = {file.src_uri for file in files if file.is_documentation_page()}
        return files

    def _error_files(self, files: Files, config: MkDocsConfig, errors: list[Problem]) -> Files:
        """The theme's files, and the problems page at the URL of every page the site had."""
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

    def published_assets(self) -> list[Path]:
        """The scripts, styles and vendored libraries the site serves; of the stemmers, only the site language's."""
        stemmer = self.stemmer()
        return sorted(
            path for path in ASSETS.rglob("*")
            if path.is_file() and path.suffix in (".js", ".css", ".txt")
            and (path.parent != STEMMERS or path == stemmer or path.suffix == ".txt")
        )

    def stemmer(self) -> Path | None:
        """The vendored Snowball stemmer for the site's language, if there is one."""
        path = STEMMERS / f"{self.messages.language}.js"
        return path if path.is_file() else None

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """What the header's search box needs: where the index and engine are, its words and facet values.

        Its script's words come with every page's ``messages.js``.
        """
        m = self.messages
        stemmer = self.stemmer()
        kinds = ["pattern", "policy", "step", "tier", "page"]
        # Serving a broken playbook, the pages list its problems; the box has no facet values to offer.
        playbook = self.playbook if self.errors is None else Playbook(root=self.root)
        categories = sorted({p.category for p in playbook.patterns.values()}, key=str.casefold)
        env.globals["playbook_search"] = {
            "t": m,
            "index": INDEX_PATH,
            "worker": f"{ASSET_DIR}/search-worker.js",
            "stemmer": f"{ASSET_DIR}/{stemmer.relative_to(ASSETS).as_posix()}" if stemmer else "",
            "facets": [
                ("kind", [(k, m(f"kind.{k}")) for k in kinds]),
                ("tier", [(t.id, t.name) for t in playbook.tiers]),
                ("status", [(s.value, m(f"status.{s.value}")) for s in Status]),
                ("category", [(c, c) for c in categories]),
            ],
        }
        return env

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Note a hand-written page's title and headings for the search index; item pages come from the data.

        Read here, not when the page's content is ready: the tags plugin fills its index's headings in between.
        """
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
            self.pages_found.append(page_record(page.file.src_uri, page.url, page.title or "", headings))
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the search index, now that the hand-written pages' headings are known."""
        if self.errors is not None:
            return

        def url_of(src_uri: str) -> str | None:
            file = self.files.get_file_from_path(src_uri) if self.files is not None else None
            return file.url if file is not None else None

        records = item_records(self.playbook, url_of) + self.pages_found
        path = Path(config.site_dir) / INDEX_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(index_json(index_data(records, self.messages.language)), encoding="utf-8")

    def has_page(self, src_uri: str) -> bool:
        """True when this build makes a page from ``src_uri`` (a hand-written page or a generated one)."""
        return self.files is not None and self.files.get_file_from_path(src_uri) is not None

    def url_of(self, src_uri: str, page_url: str) -> str:
        """The link from the page at ``page_url`` to the page built from ``src_uri``."""
        assert self.files is not None
        file = self.files.get_file_from_path(src_uri)
        if file is None:
            raise PluginError(f"no page is built from {src_uri}")
        return get_relative_url(file.url, page_url)

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        for folder in DATA_DIRS:
            path = self.root / folder
            if path.is_dir():
                server.watch(str(path))
        return server


def _problems_page(errors: list[Problem], messages: Messages) -> str:
    """A page listing the errors as ``playbook check`` prints them, in the site's language where the catalog
    words them; its text is data, never a template."""
    reporter = TextReporter(wording=Wording(messages))
    lines = "\n".join(html.escape(reporter.line(problem), quote=False) for problem in errors)
    # Material writes a page's title into <title> and the header as HTML: escaped, like every page's.
    title = html.escape(messages("site.problems.title"), quote=False)
    fix = messages("site.problems.fix-one" if len(errors) == 1 else "site.problems.fix-many")
    return (
        f"---\ntitle: {json.dumps(title)}\nrender_macros: false\nsearch:\n  exclude: true\n"
        "hide:\n  - navigation\n  - toc\n---\n\n"
        f"# {title}\n\n"
        f"{html.escape(fix, quote=False)}\n\n"
        f'<pre class="playbook-problems"><code>{lines}</code></pre>\n'
    )
