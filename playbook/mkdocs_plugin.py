"""The mkdocs plugin: load and validate the playbook once per build, generate item pages, watch the YAML."""

from __future__ import annotations

import logging
from pathlib import Path

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

from .i18n import Messages
from .kinds import data_folders
from .model import Playbook
from .problems import summary
from .site import generated_pages, site_data, site_exports
from .validate import check

log = logging.getLogger("mkdocs.plugins.playbook")

ASSETS = Path(__file__).parent / "site" / "assets"
ASSET_DIR = "assets/playbook"
DATA_DIRS = data_folders()


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
        for asset, target in (
            ("playbook.css", config.extra_css),
            ("playbook.js", config.extra_javascript),
            ("assess.js", config.extra_javascript),
            ("register.js", config.extra_javascript),
            ("usecases.js", config.extra_javascript),
        ):
            path = f"{ASSET_DIR}/{asset}"
            if path not in target:
                target.append(path)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for file in files:
            if not file.generated_by and file.src_uri.endswith(".md"):
                file.edit_uri = f"{Path(config.docs_dir).name}/{file.src_uri}"
        for src_uri, content, edit_path in generated_pages(self.playbook, self.messages, config.use_directory_urls):
            file = File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
            file.edit_uri = edit_path
            files.append(file)
        for asset in sorted(ASSETS.iterdir()):
            files.append(File.generated(config, f"{ASSET_DIR}/{asset.name}", abs_src_path=str(asset)))
        for dest, data in site_data(self.playbook, self.messages).items():
            files.append(File.generated(config, dest, content=data))
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
