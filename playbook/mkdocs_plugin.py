"""The mkdocs plugin: load and validate the playbook once per build, generate item pages, watch the YAML."""

from __future__ import annotations

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

from .i18n import Messages
from .model import COLLECTIONS, Playbook, Status
from .problems import summary
from .search import INDEX_PATH, Record, index_data, index_json, item_records, page_record
from .site import generated_pages, site_exports
from .site.text import json_script
from .validate import check

log = logging.getLogger("mkdocs.plugins.playbook")

ASSETS = Path(__file__).parent / "site" / "assets"
ASSET_DIR = "assets/playbook"
THEME_DIR = Path(__file__).parent / "site" / "theme"
"""Template overrides the plugin puts in front of the theme's own: the header with the playbook's search."""
STEMMERS = ASSETS / "vendor" / "stemmers"
DATA_DIRS = ["framework", *COLLECTIONS]


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
    pages_found: list[Record]
    """The hand-written pages, by title and headings, for the search index; filled as pages render."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        playbook, problems, count = check(self.root)
        errors = [p for p in problems if p.severity == "error"]
        for problem in problems:
            if problem.severity == "warning":
                log.info("%s", problem)
        if errors:
            lines = "\n".join(str(p) for p in errors)
            raise PluginError(
                f"the playbook has errors; fix them and build again:\n{lines}\n{summary(problems, count)}"
            )
        self.playbook = playbook
        self.messages = Messages(config.theme.get("language"), self.config.strings)
        # After a custom_dir, before the theme's own templates: a playbook's overrides still win.
        dirs = config.theme.dirs
        if str(THEME_DIR) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        for asset, target in (
            ("playbook.css", config.extra_css),
            ("search.css", config.extra_css),
            ("playbook.js", config.extra_javascript),
            ("assess.js", config.extra_javascript),
            ("search.js", config.extra_javascript),
        ):
            path = f"{ASSET_DIR}/{asset}"
            if path not in target:
                target.append(path)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self.pages_found = []
        for file in files:
            if not file.generated_by and file.src_uri.endswith(".md"):
                file.edit_uri = f"{Path(config.docs_dir).name}/{file.src_uri}"
        for src_uri, content, edit_path in generated_pages(self.playbook):
            file = File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
            file.edit_uri = edit_path
            files.append(file)
        for asset in self.published_assets():
            uri = f"{ASSET_DIR}/{asset.relative_to(ASSETS).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(asset)))
        if self.config.exports:
            for dest, data in site_exports(self.playbook).items():
                files.append(File.generated(config, dest, content=data))
        self.files = files
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """List the rollout steps under the rollout page: five entries, not one per item."""
        if self.playbook.roadmap is None:
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
        """What the header's search box needs: where the index and engine are, its words and facet values."""
        m = self.messages
        stemmer = self.stemmer()
        kinds = ["pattern", "policy", "step", "tier", "page"]
        categories = sorted({p.category for p in self.playbook.patterns.values()}, key=str.casefold)
        words = {**m.subset("search."), **{f"kind.{k}": m(f"kind.{k}") for k in kinds}, **m.subset("status.")}
        env.globals["playbook_search"] = {
            "t": m,
            "index": INDEX_PATH,
            "worker": f"{ASSET_DIR}/search-worker.js",
            "stemmer": f"{ASSET_DIR}/{stemmer.relative_to(ASSETS).as_posix()}" if stemmer else "",
            "facets": [
                ("kind", [(k, m(f"kind.{k}")) for k in kinds]),
                ("tier", [(t.id, t.name) for t in self.playbook.tiers]),
                ("status", [(s.value, m(f"status.{s.value}")) for s in Status]),
                ("category", [(c, c) for c in categories]),
            ],
            "words_script": json_script("pb-search-words", words),
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

        def url_of(src_uri: str) -> str | None:
            file = self.files.get_file_from_path(src_uri) if self.files is not None else None
            return file.url if file is not None else None

        records = item_records(self.playbook, url_of) + self.pages_found
        path = Path(config.site_dir) / INDEX_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(index_json(index_data(records, self.messages.language)), encoding="utf-8")

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
