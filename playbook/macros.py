"""The macros module mkdocs.yml names (``modules: [playbook.macros]``): the playbook's renderers for the pages in docs/.

It runs under mkdocs-macros and under Zensical's built-in macros. With our plugin in the build, every macro reads
the playbook the plugin loaded, worded with its messages; without it (Zensical never loads plugins), the module
loads the playbook itself, once per root and state of its files (:func:`playbook.site.pagemacros.loaded_playbook`).
The organisation's own macros, in the playbook repository's ``macros/`` folder, read the same playbook through
:func:`playbook_of`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.utils import get_relative_url

from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.config import PLUGIN, playbook_root, plugin_options, read_config, text_setting
from playbook.site.living import SiteHistory
from playbook.site.pagemacros import (
    LoadedContext,
    MacroContext,
    loaded_history,
    loaded_playbook,
    page_macros,
    site_pages,
)
from playbook.site.pages.print import Placeholder, placeholder
from playbook.site.pages.propose import Editor, editor
from playbook.site.pages.whatsnew import Links
from playbook.site.plugin import PlaybookPlugin


def define_env(env: Any) -> None:
    for name, macro in page_macros(macro_context(env)).items():
        env.macro(macro, name)


def playbook_of(env: Any) -> Playbook:
    """The playbook this build loaded and checked, for a macro of the organisation's own: the plugin's, or without
    the plugin (Zensical, ``playbook generate``) the one loaded here."""
    return macro_context(env).playbook


def docs_base(env: Any) -> str:
    """From the page being rendered back to the docs folder, for a Markdown link: "", "../", "../../".
    Reads mkdocs' ``page.file.src_uri`` or Zensical's ``page.path``, so a macro of the organisation's own runs
    under both."""
    return "../" * _page_source(env)().count("/")


def macro_context(env: Any) -> MacroContext:
    """The plugin's playbook and words when it runs in this build; else the playbook loaded here."""
    page_src = _page_source(env)
    plugins = getattr(env.conf, "plugins", None)
    plugin = plugins.get(PLUGIN) if plugins is not None else None
    if isinstance(plugin, PlaybookPlugin):
        return _PluginContext(plugin, env, page_src)
    config_file = Path(env.conf.get("config_file_path") or Path(env.project_dir) / "mkdocs.yml")
    config = read_config(config_file) if config_file.is_file() else {}
    options = plugin_options(config, PLUGIN) or {}
    theme = env.conf.get("theme") or {}
    language = theme.get("language") if hasattr(theme, "get") else None  # `theme: material` names only the theme
    messages = Messages(language, options.get("strings") or {})
    directory_urls = bool(env.conf.get("use_directory_urls", True))
    root = playbook_root(config_file, config)
    playbook = loaded_playbook(root)
    docs = env.conf.get("docs_dir")
    new_file = editor(text_setting(config, "repo_url"), text_setting(config, "edit_uri"),
                      options.get("propose", "auto"))
    # Zensical's page has no mkdocs File: it moves every relative link of a page's HTML from the source file to the
    # page's address.
    zensical = lambda: getattr(env.page, "file", None) is None  # noqa: E731
    return LoadedContext(playbook, messages, page_src, loaded_history(root, config),
                         site_pages(playbook, Path(docs) if docs else None), new_file, directory_urls, zensical)


class _PluginContext:
    """The plugin's playbook and words, read when a macro runs: a serve session's rebuilds replace them, and a
    server started on a broken playbook has none until the first good save."""

    def __init__(self, plugin: PlaybookPlugin, env: Any, page_src: Callable[[], str]) -> None:
        self.plugin, self.env, self.page_src = plugin, env, page_src

    @property
    def playbook(self) -> Playbook:
        return self.plugin.playbook

    @property
    def messages(self) -> Messages:
        return self.plugin.messages

    def url_of(self, src_uri: str) -> str:
        return self.plugin.url_of(src_uri, self.env.page.url)

    def href(self, src_uri: str) -> str:
        return self.url_of(src_uri)

    def file_url(self, path: str) -> str:
        return get_relative_url(path, self.env.page.url)

    @property
    def living(self) -> SiteHistory:
        return self.plugin.living

    def links(self) -> Links:
        return self.plugin.links(self.env.page.url)

    def new_file_editor(self) -> Editor | None:
        return editor(self.env.conf.get("repo_url"), self.env.conf.get("edit_uri"), self.plugin.config.propose)

    def print_pages(self) -> Placeholder | None:
        return placeholder

    def hold(self, html: str) -> str:
        return self.plugin.hold(html)


def _page_source(env: Any) -> Callable[[], str]:
    """The page being rendered, relative to the docs folder: mkdocs' ``page.file.src_uri``, Zensical's ``page.path``."""
    def page_src() -> str:
        page = env.page
        file = getattr(page, "file", None)
        return str(file.src_uri if file is not None else page.path)

    return page_src
