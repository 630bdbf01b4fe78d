"""The macros the hand-written pages call, as plain functions of a playbook, its words and the page being rendered,
and their expansion into the pages without mkdocs-macros.

mkdocs-macros and Zensical's built-in macros (through :mod:`playbook.macros`) and ``playbook generate`` register
these same functions. They read the plugin's playbook when the plugin runs; without it, the playbook loaded here,
once per root and state of its files.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import posixpath
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any, Protocol

import jinja2
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from mkdocs.utils import meta as front_matter

from playbook.check.validate import valid_playbook
from playbook.data.kinds import KINDS, data_folders
from playbook.data.model.playbook import Playbook
from playbook.data.problems import PlaybookError
from playbook.i18n import Messages
from playbook.register.candidates import pattern_candidates as candidates_of
from playbook.register.key_figures import key_figures as figures_of
from playbook.register.metrics import register_metrics
from playbook.register.trends import register_trends
from playbook.site.config import MACROS, PLUGIN, plugin_options, resolved, text_setting
from playbook.site.living import RECENT_DAYS, SiteHistory, site_history
from playbook.site.pages import home, overview
from playbook.site.pages.assessment import assessment_form
from playbook.site.pages.learnings import learning_index
from playbook.site.pages.metrics import candidates_page, metrics_page, pilot_trends
from playbook.site.pages.print import Placeholder, printable_playbook
from playbook.site.pages.propose import Editor, learning_form, pattern_form
from playbook.site.pages.register import REGISTER_JSON, assessed, register_block, register_page, usecase_counts
from playbook.site.pages.whatsnew import FEED_PATH, Links, whats_new_page


class MacroContext(Protocol):
    """What every macro reads when it runs: one loaded playbook, its words, and where the page being rendered is."""

    @property
    def playbook(self) -> Playbook: ...

    @property
    def messages(self) -> Messages:
        """The site's words in ``theme.language``, with the playbook's own ``strings:``."""

    def page_src(self) -> str:
        """The source path of the page being rendered, relative to the docs folder (``rollout/index.md``)."""

    def url_of(self, src_uri: str) -> str:
        """The link from the page being rendered to the page built from a source path (``patterns/x.md``), from the
        page's address: for data the scripts read (JSON, ``data-`` attributes)."""

    def href(self, src_uri: str) -> str:
        """:meth:`url_of` for a link in the page's own HTML. Under Zensical, which moves every relative link of a
        page's HTML from its source file to its address, the link from the source file's folder."""

    def file_url(self, path: str) -> str:
        """The link in the page's HTML to a file of the site that is no page (``feed.xml``), as :meth:`href`."""

    @property
    def living(self) -> SiteHistory:
        """The playbook's history, as this build read it."""

    def links(self) -> Links:
        """Links in the page's HTML to the pages the site has (None for one it has not), as :meth:`href`, and to
        commits."""

    def new_file_editor(self) -> Editor | None:
        """Where the forms open a new file: the repository's new-file editor, or None for a download."""

    def print_pages(self) -> Placeholder | None:
        """The marks the print page holds for the item pages, which the build fills with their rendered HTML;
        None when the print page writes their Markdown itself (no plugin to fill them)."""

    def hold(self, html: str) -> str:
        """What a page's Markdown holds for a block of HTML the page shows as it is: with the plugin, a mark it
        replaces once the page is converted, so that Python-Markdown does not read a long table tag by tag; without
        it, the HTML itself."""


def _never() -> bool:
    return False


@dataclass(frozen=True)
class LoadedContext:
    """A :class:`MacroContext` for an engine without our plugin: the playbook loaded here, and links worked out from
    the pages' source paths."""

    playbook: Playbook
    messages: Messages
    page_src: Callable[[], str]
    living: SiteHistory
    pages: frozenset[str]
    """The source path of every page the site has: the generated ones and the hand-written ones."""
    new_file: Editor | None
    directory_urls: bool = True
    links_from_source: Callable[[], bool] = _never
    """Whether the page being rendered is read as Zensical reads a page: every relative link of its HTML from its
    source file's folder, moved to its address."""

    def url_of(self, src_uri: str) -> str:
        return get_relative_url(page_url(src_uri, self.directory_urls), page_url(self.page_src(), self.directory_urls))

    def href(self, src_uri: str) -> str:
        return self.file_url(page_url(src_uri, self.directory_urls))

    def file_url(self, path: str) -> str:
        if self.links_from_source():
            folder = posixpath.dirname(self.page_src())
            return get_relative_url(path, f"{folder}/" if folder else ".")
        return get_relative_url(path, page_url(self.page_src(), self.directory_urls))

    def new_file_editor(self) -> Editor | None:
        return self.new_file

    def print_pages(self) -> Placeholder | None:
        return None

    def hold(self, html: str) -> str:
        return html

    def links(self) -> Links:
        return self.living.links(lambda src_uri: self.href(src_uri) if src_uri in self.pages else None)


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The address of the page built from ``src_uri``, relative to the site root, as mkdocs gives it."""
    return File(src_uri, None, "", directory_urls).url


def site_pages(playbook: Playbook, docs: Path | None) -> frozenset[str]:
    """The source path of every page a site of ``playbook`` has: one per item of a kind with a route, and each
    Markdown file of the ``docs`` folder."""
    pages = {kind.route.format(id=entry_id) for kind in KINDS if kind.route for entry_id, _ in kind.pages(playbook)}
    if docs is not None and docs.is_dir():
        pages |= {path.relative_to(docs).as_posix() for path in docs.rglob("*.md")}
    return frozenset(pages)


def page_macros(context: MacroContext) -> dict[str, Callable[..., Any]]:
    """Every macro by the name pages call it with; docstrings are what mkdocs-macros lists.

    Each reads the context when it runs: under ``playbook serve`` the plugin loads a new playbook per rebuild.
    """
    def base() -> str:
        """Relative path from the current page's source to the docs root, for Markdown links."""
        folder = posixpath.dirname(context.page_src())
        return "../" * (folder.count("/") + 1 if folder else 0)

    def url_if_built(src_uri: str) -> str | None:
        """The link to the page built from ``src_uri``, or None when this site has no such page."""
        return context.links().page(src_uri)

    def search_button() -> str:
        """A large button that opens the header's search: the front door's first move."""
        return home.search_button(context.messages)

    def task_cards() -> str:
        """A card per reader's task (build, find a pattern, pilot, run the playbook, what's new), each on its page."""
        return home.task_cards(context.messages, url_if_built)

    def key_figures() -> str:
        """Patterns adopted, use cases this quarter and the median turnaround, from the catalog and the register."""
        return home.key_figures(figures_of(context.playbook), context.messages, url_if_built)

    def pattern_catalog() -> str:
        """Every pattern grouped by category, with a filter; the ones added or changed lately marked."""
        living = context.living
        return overview.pattern_catalog(context.playbook, context.messages, context.href,
                                        marks=living.marks_of("pattern"), days=living.recent_days, hold=context.hold)

    def policy_index() -> str:
        """Every policy with its tiers and the patterns that satisfy it; the ones added or changed lately marked."""
        living = context.living
        return overview.policy_index(context.playbook, context.messages, context.href,
                                     marks=living.marks_of("policy"), days=living.recent_days, hold=context.hold)

    def whats_new() -> str:
        """Each release's changes, newest first, from the git history; the feed to subscribe to."""
        return whats_new_page(context.living.history, context.playbook, context.messages, context.links(),
                              feed=context.file_url(FEED_PATH))

    def tier_table() -> str:
        """The tiers with review path, audit sampling and turnaround, a section each."""
        return overview.tier_table(context.playbook, context.messages, base())

    def threshold_table() -> str:
        """The rules that place a use case in a tier."""
        return overview.threshold_table(context.playbook, context.messages)

    def example_table() -> str:
        """The worked example use cases, classified at build time."""
        return overview.example_table(context.playbook, context.messages)

    def assessment() -> str:
        """The self-service risk assessment form."""
        return assessment_form(context.playbook, context.url_of, context.messages)

    def roadmap_overview() -> str:
        """The rollout steps as a visual roadmap."""
        return overview.roadmap_overview(context.playbook, context.messages, base())

    def full_checklist() -> str:
        """Every checklist item of every step, tickable."""
        return overview.full_checklist(context.playbook, context.messages)

    def pilot_progress() -> str:
        """Each pilot's step, progress, quarter window and metrics, and its trend period by period."""
        playbook = context.playbook
        cases = assessed(playbook)
        months = register_trends(playbook, cases).months
        mine = {team: register_trends(playbook, cases, team=team, months=months) for team in playbook.pilots}
        return overview.pilot_progress(playbook, context.messages, base(), usecases=usecase_counts(playbook),
                                       trends=pilot_trends(playbook, mine, context.messages))

    def decision_matrix() -> str:
        """Who decides what: R, A, C, I by role."""
        return overview.decision_matrix(context.playbook, context.messages, base())

    def usecase_register() -> str:
        """Every registered use case, filtered and paged in the browser, with counts per team."""
        return register_page(context.playbook, context.messages, context.url_of, context.href)

    def usecase_metrics() -> str:
        """Use cases per tier and team, adoption of the governed path, decision turnaround, value by team, over time."""
        return metrics_page(context.playbook, register_metrics(context.playbook), context.messages, base(),
                            trends=register_trends(context.playbook, assessed(context.playbook)))

    def pattern_candidates() -> str:
        """Capabilities that several teams built outside the patterns, with their use cases; then a watch list."""
        return candidates_page(context.playbook, candidates_of(context.playbook), context.messages, context.href)

    def register_usecase() -> str:
        """The end of the assessment: a new use case's file with the answers filled in, proposed in one click."""
        return register_block(context.playbook, context.messages, context.url_of, context.new_file_editor())

    def learning_list() -> str:
        """Every learning, newest first, with its team, status and what it affects."""
        return learning_index(context.playbook, context.messages, base())

    def report_learning() -> str:
        """The form that reports a learning: its file, proposed in one click."""
        return learning_form(context.playbook, context.messages, context.url_of(REGISTER_JSON),
                             context.new_file_editor())

    def propose_pattern() -> str:
        """The form that proposes a pattern: its file, proposed in one click."""
        return pattern_form(context.playbook, context.messages, context.new_file_editor())

    def printable() -> str:
        """The whole playbook on one page, in reading order."""
        return printable_playbook(context.playbook, context.messages, base(), context.print_pages())

    def count(kind: str) -> int:
        """How many items of a kind the playbook holds: patterns, adopted, policies, tiers, pilots, steps, learnings."""
        return overview.stats(context.playbook)[kind]

    def export_url(path: str) -> str:
        """Markdown link target of a published export (playbook.json, exports/patterns.csv, ...)."""
        return base() + path

    macros = (search_button, task_cards, key_figures, pattern_catalog, policy_index, whats_new, tier_table,
              threshold_table, example_table, assessment, roadmap_overview, full_checklist, pilot_progress,
              decision_matrix, usecase_register, usecase_metrics, pattern_candidates, register_usecase, learning_list,
              report_learning, propose_pattern, printable, count, export_url)
    return {macro.__name__: macro for macro in macros}


FileState = tuple[tuple[str, int, int], ...]
_loaded: dict[Path, tuple[FileState, Playbook]] = {}


def file_state(root: Path) -> FileState:
    """(path, modification time, size) of every entry of the playbook's data folders: any save changes it."""
    state = []
    for folder in data_folders():
        try:
            with os.scandir(root / folder) as listing:
                for entry in listing:
                    stat = entry.stat()
                    state.append((f"{folder}/{entry.name}", stat.st_mtime_ns, stat.st_size))
        except (FileNotFoundError, NotADirectoryError):
            continue
    return tuple(sorted(state))


def loaded_playbook(root: Path, purpose: str = "the pages can show it") -> Playbook:
    """The playbook at ``root``, loaded and checked once, and again only when one of its files changed.

    An engine that calls the macros without our plugin (Zensical, or mkdocs-macros alone) asks for it once per
    page; an error in the playbook raises :class:`~playbook.data.problems.PlaybookError` listing every error,
    its message ending "fix them before <purpose>".
    """
    root = root.resolve()
    state = file_state(root)
    cached = _loaded.get(root)
    if cached is not None and cached[0] == state:
        return cached[1]
    playbook = valid_playbook(root, purpose)
    _loaded[root] = (state, playbook)
    return playbook


_histories: dict[Path, tuple[FileState, SiteHistory]] = {}


def loaded_history(root: Path, config: dict[str, Any]) -> SiteHistory:
    """The history of the playbook at ``root`` as its mkdocs.yml (``config``) asks the plugin to read it: once,
    and again when one of its files changed."""
    root = root.resolve()
    state = file_state(root)
    cached = _histories.get(root)
    if cached is not None and cached[0] == state:
        return cached[1]
    options = plugin_options(config, PLUGIN) or {}
    try:
        living = site_history(root, enabled=bool(options.get("history", True)),
                              recent_days=int(options.get("recent_days", RECENT_DAYS)),
                              repo_url=text_setting(config, "repo_url"), edit_uri=text_setting(config, "edit_uri"))
    except ValueError as error:
        raise PlaybookError(f"mkdocs.yml: the playbook plugin's {error}") from None
    _histories[root] = (state, living)
    return living


class PageExpander:
    """The hand-written pages with their macros expanded, as mkdocs-macros would expand them in the build.

    The macros modules are those the configuration names (``modules:`` and the project's ``module_name``), each
    given an ``env`` with what mkdocs-macros and Zensical give one: ``macro``, ``filter``, ``variables``,
    ``conf``, ``page`` and ``project_dir``. Pages with ``render_macros: false`` are left as they are.
    """

    def __init__(self, config_file: Path, config: dict[str, Any], docs: Path, directory_urls: bool,
                 links_from_source: bool = False) -> None:
        options = plugin_options(config, MACROS)
        self.links_from_source = links_from_source
        self.docs_name = docs.name
        self.enabled = options is not None
        options = options or {}
        self.render_by_default = bool(options.get("render_by_default", True))
        self.env = MacroEnv(
            conf={**resolved(config), "config_file_path": str(config_file), "docs_dir": str(docs),
                  "use_directory_urls": directory_urls},
            project_dir=str(config_file.parent),
        )
        if not self.enabled:
            return
        for name in options.get("modules") or []:
            self.env.load(importlib.import_module(str(name).rpartition(":")[2]))
        local = str(options.get("module_name") or "main")
        module = _local_module(config_file.parent, local)
        if module is not None:
            self.env.load(module)
        elif "module_name" in options:
            raise PlaybookError(f"mkdocs.yml: the macros module '{local}' is not in {config_file.parent}")
        undefined = {"keep": jinja2.DebugUndefined, "silent": jinja2.Undefined, "strict": jinja2.StrictUndefined,
                     "lax": jinja2.ChainableUndefined}[str(options.get("on_undefined") or "keep")]
        delimiters = {key.removeprefix("j2_"): value for key, value in options.items()
                      if key.startswith("j2_") and key != "j2_extensions" and value}
        include_dir = config_file.parent / str(options.get("include_dir") or docs)
        self.jinja = jinja2.Environment(  # noqa: S701 - Markdown, as mkdocs-macros renders it: not HTML-escaped
            loader=jinja2.FileSystemLoader(str(include_dir)), undefined=undefined,
            extensions=list(options.get("j2_extensions") or []), **delimiters,
        )
        self.jinja.filters.update(self.env.filters)

    def expand(self, rel: str, text: str) -> tuple[str, dict[str, Any]]:
        """The page's text with the macros in its body expanded, and its front matter."""
        body, meta = front_matter.get_data(text)
        if not self.enabled or meta.get("render_macros") is False:
            return text, meta
        if not self.render_by_default and meta.get("render_macros") is not True:
            return text, meta
        head = text[: len(text) - len(body)] if text.endswith(body) else ""
        self.env.page = _Page(rel, meta, self.env.conf["use_directory_urls"], self.links_from_source)
        variables = {
            **self.env.conf.get("extra", {}), "config": self.env.conf, "extra": self.env.conf.get("extra", {}),
            **self.env.variables, **self.env.macros, "page": self.env.page, **meta,
        }
        where = f"{self.docs_name}/{rel}"
        lines = head.count("\n")  # the template starts after the front matter
        try:
            rendered = self.jinja.from_string(body).render(**variables)
        except PlaybookError:
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise PlaybookError(f"{where}:{lines + exc.lineno}: the page's macros cannot be read: {exc.message}"
                                ) from None
        except Exception as exc:  # a macro's own error, named with its page and the line that called it
            called = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__)
                      if frame.filename == "<template>" and frame.lineno is not None]
            at = f":{lines + called[-1]}" if called else ""
            raise PlaybookError(f"{where}{at}: a macro failed: {type(exc).__name__}: {exc}") from None
        return head + rendered + ("\n" if body.endswith("\n") and not rendered.endswith("\n") else ""), meta


class MacroEnv:
    """The ``env`` a macros module's ``define_env(env)`` is given, with what the playbook's macros read."""

    def __init__(self, conf: dict[str, Any], project_dir: str) -> None:
        self.conf = conf
        self.project_dir = project_dir
        self.page: Any = None
        self.variables: dict[str, Any] = {}
        self.macros: dict[str, Callable[..., Any]] = {}
        self.filters: dict[str, Callable[..., Any]] = {}

    def macro(self, function: Callable[..., Any] | None = None, name: str | None = None) -> Any:
        if function is None:
            return lambda f: self.macro(f, name)
        self.macros[name or function.__name__] = function
        return function

    def filter(self, function: Callable[..., Any] | None = None, name: str | None = None) -> Any:
        if function is None:
            return lambda f: self.filter(f, name)
        self.filters[name or function.__name__] = function
        return function

    def load(self, module: ModuleType) -> None:
        define_env = getattr(module, "define_env", None)
        if define_env is not None:
            define_env(self)


def _Page(rel: str, meta: dict[str, Any], directory_urls: bool, zensical: bool) -> SimpleNamespace:  # noqa: N802
    """The page being expanded, with the attributes macros read of mkdocs' ``Page``, or for a tree Zensical builds,
    of Zensical's, which has no ``file`` but a ``path``: the playbook's macros then write the links of the page's HTML
    as Zensical reads them, from the source file's folder."""
    url = page_url(rel, directory_urls)
    if zensical:
        return SimpleNamespace(path=rel, meta=meta, title=meta.get("title"), url=url)
    return SimpleNamespace(file=SimpleNamespace(src_uri=rel, src_path=rel), meta=meta, title=meta.get("title"),
                           url=url)


def _local_module(project_dir: Path, name: str) -> ModuleType | None:
    """The project's own macros module (``main.py`` or ``main/__init__.py``), imported from its file."""
    for path in (project_dir / f"{name}.py", project_dir / name / "__init__.py"):
        if path.is_file():
            spec = importlib.util.spec_from_file_location(name, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules.setdefault(name, module)
            spec.loader.exec_module(module)
            return module
    return None
