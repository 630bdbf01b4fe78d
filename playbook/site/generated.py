"""What turns a Playbook into site content: the generated pages, the data files the scripts read, the exports,
the assets and the search box's data; the plugin serves them from memory, ``playbook generate`` writes them out."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playbook.data.kinds import KINDS, LEARNING, PATTERN, POLICY, ROADMAP, USECASE, Kind
from playbook.data.model.items import Status
from playbook.data.model.learning import LearningStatus
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.living import SiteHistory
from playbook.site.pages.items import pattern_page, pilot_names, policy_page, step_page, tier_names
from playbook.site.pages.learnings import learning_page
from playbook.site.pages.register import register_files
from playbook.site.pages.usecase import UseCasePages
from playbook.site.pages.whatsnew import HistoryLine, history_line
from playbook.site.scripts import messages_script
from playbook.site.search import INDEX_PATH
from playbook.site.text import PageMemo

if TYPE_CHECKING:
    from playbook.export.formats import JsonPieces

Renderer = Callable[[Any, int], "str | None"]
"""Writes the page of an entry, given the entry (what ``Kind.public`` lets pages see) and its 1-based place;
None when the entry gets no page. A renderer that knows which entries get a page without writing them has
``has_page(entry_id)``: the plugin then writes each of those pages only when mkdocs reads it
(:func:`each_page_maker`)."""
Maker = Callable[[], str]
"""Writes one generated page's Markdown, each time it is called."""
LEARNINGS_INDEX = "learnings/index.md"
"""The hand-written list of learnings; item pages link to it and to its form only when the site has it."""


def page_renderers(playbook: Playbook, messages: Messages | None = None, directory_urls: bool = True,
                   living: SiteHistory | None = None, learnings_index: bool = True, *,
                   links_from_source: bool = False, hold: Callable[[str], str] | None = None) -> dict[Kind, Renderer]:
    """What writes the page of each kind that has a route (``Kind.route``).

    A renderer is built once per site, with what its pages share: the patterns' citing policies and learnings,
    each use case's computed assessment. Pages are worded in ``messages``' language, English when none is given;
    ``directory_urls`` is mkdocs' setting, for links the use-case pages write as HTML: from the page's address, or
    with ``links_from_source`` from its source file's folder (Zensical reads them so); ``hold`` is what a use-case
    page's Markdown carries for each of its HTML blocks (the plugin's mark; the block itself when None). With the
    playbook's history (``living``), pattern, policy and learning pages say when the item was added or moved, linking
    to the change where the repository's host can show it. ``learnings_index`` is whether the site has the list of
    learnings (:data:`LEARNINGS_INDEX`), with its form: pages link to it only then, so a playbook written before
    learnings existed builds as it did.
    """
    messages = messages or Messages()
    citations = playbook.citations()
    names = tier_names(playbook)
    about_patterns = playbook.learnings_about("patterns")
    about_policies = playbook.learnings_about("policies")
    teams = pilot_names(playbook)

    def line(kind: Kind, item_id: str) -> HistoryLine | None:
        if living is None or living.history.missing is not None:
            return None
        history = living.history
        return history_line(history.item(kind.name, item_id), kind.name, messages, living.links(lambda _src: None),
                            history.shallow)

    return {
        PATTERN: lambda p, _n: pattern_page(playbook, p, messages, citing=citations.get(p.id, []), names=names,
                                            history=line(PATTERN, p.id), learned=about_patterns.get(p.id, []),
                                            report=learnings_index),
        POLICY: lambda p, _n: policy_page(playbook, p, messages, names=names, history=line(POLICY, p.id),
                                          learned=about_policies.get(p.id, []), report=learnings_index),
        ROADMAP: lambda s, n: step_page(playbook, s, n, messages),
        USECASE: UseCasePages(playbook, messages, directory_urls, links_from_source=links_from_source, hold=hold),
        LEARNING: lambda x, _n: learning_page(playbook, x, messages, teams=teams, index=learnings_index,
                                             history=line(LEARNING, x.id)),
    }


def generated_pages(playbook: Playbook, messages: Messages | None = None, directory_urls: bool = True,
                    living: SiteHistory | None = None, learnings_index: bool = True, *,
                    links_from_source: bool = False) -> list[tuple[str, str, str]]:
    """(page path in the site, Markdown, YAML file to edit) for every generated page, kind by kind;
    ``living``, ``learnings_index`` and ``links_from_source`` as for :func:`page_renderers`.

    Renderers get each entry as :meth:`Kind.public` makes it: a use case without its internal fields.
    """
    return list(each_generated_page(playbook, messages, directory_urls, living, learnings_index,
                                    links_from_source=links_from_source))


def each_generated_page(playbook: Playbook, messages: Messages | None = None, directory_urls: bool = True,
                        living: SiteHistory | None = None, learnings_index: bool = True, memo: PageMemo | None = None,
                        *, links_from_source: bool = False) -> Iterator[tuple[str, str, str]]:
    """:func:`generated_pages` one page at a time, so that a caller that keeps less of each page never holds every
    page's whole Markdown at once; ``memo`` as for :func:`each_page_maker`."""
    for path, make, edit in each_page_maker(playbook, messages, directory_urls, living, learnings_index, memo,
                                            links_from_source=links_from_source):
        yield path, make(), edit


def each_page_maker(playbook: Playbook, messages: Messages | None = None, directory_urls: bool = True,
                    living: SiteHistory | None = None, learnings_index: bool = True, memo: PageMemo | None = None,
                    *, links_from_source: bool = False, hold: Callable[[str], str] | None = None
                    ) -> Iterator[tuple[str, Maker, str]]:
    """(page path in the site, what writes its Markdown, YAML file to edit) for every generated page, in the order
    of :func:`generated_pages`. The pages of a kind whose renderer has ``has_page`` (the use cases') are written
    when their maker is called, the others at once: the plugin asks for a page's Markdown when mkdocs reads the
    page, and a build of 10,000 use cases never holds every page's Markdown. With ``memo``, a page given what it
    was given at the memo's last build is not rendered again (``playbook serve``); ``links_from_source`` and
    ``hold`` as for :func:`page_renderers`."""
    messages = messages or Messages()
    renderers = page_renderers(playbook, messages, directory_urls, living, learnings_index,
                               links_from_source=links_from_source, hold=hold)
    if memo is not None:
        memo.start(messages)
    for kind in KINDS:
        if kind.route is None:
            continue
        render = renderers[kind]
        has_page: Callable[[str], bool] | None = getattr(render, "has_page", None)
        for n, (entry_id, entry) in enumerate(kind.pages(playbook), 1):
            route = kind.route.format(id=entry_id)
            make: Maker
            if has_page is not None:
                if not has_page(entry_id):
                    continue
                make = partial(_written, render, kind.public, entry, n, route, memo)
            else:
                with memo.page(route) if memo is not None else nullcontext():
                    markdown = render(kind.public(entry), n)
                if markdown is None:
                    continue
                make = partial(str, markdown)
            edit = kind.path_of(entry_id) if kind.collection else kind.path_of()
            yield route, make, edit


def _written(render: Renderer, public: Callable[[Any], Any], entry: Any, n: int, route: str,
             memo: PageMemo | None) -> str:
    """The page ``render`` writes of ``entry``, which its ``has_page`` said it has."""
    with memo.page(route) if memo is not None else nullcontext():
        markdown = render(public(entry), n)
    if markdown is None:
        raise ValueError(f"{render!r} has a page for {entry!r} and wrote none")
    return markdown


def site_files(playbook: Playbook, messages: Messages, exports: bool = True, pieces: JsonPieces | None = None
               ) -> dict[str, str | Path]:
    """Every file the site serves beside its pages, by address: the assets (a file to copy), the data and words
    the scripts read, the exports. The plugin adds them to the build and ``playbook generate`` writes them: a file
    added here reaches both. ``pieces`` keeps the JSON export's text between builds (``playbook serve``)."""
    files: dict[str, str | Path] = dict(published_assets(messages.language))
    files.update(site_data(playbook, messages))
    files[f"{ASSET_DIR}/{MESSAGES_JS}"] = messages_script(messages)
    if exports:
        files.update(site_exports(playbook, messages, pieces))
    return files


def site_data(playbook: Playbook, messages: Messages) -> dict[str, str]:
    """Data files the site's own scripts read, published whatever the exports setting."""
    return register_files(playbook, messages)


def site_exports(playbook: Playbook, messages: Messages, pieces: JsonPieces | None = None) -> dict[str, str]:
    """Exports published beside the pages, at stable addresses; CSV column headers in the site's language.

    ``playbook export`` writes the same files with the field names as headers, in English.
    """
    from playbook.export.formats import export_csv_files, export_json_text

    files = {"playbook.json": export_json_text(playbook, pieces)}
    files.update(
        {f"exports/{name}": _headed(text, messages) for name, text in export_csv_files(playbook).items()}
    )
    return files


def _headed(text: str, messages: Messages) -> str:
    """The CSV with its header row's field names replaced by their ``site.csv.*`` words."""
    header, _, rows = text.partition("\r\n")
    buffer = io.StringIO()
    csv.writer(buffer).writerow(messages(f"site.csv.{field}") for field in next(csv.reader([header])))
    return buffer.getvalue() + rows


ASSETS = Path(__file__).parent / "assets"
"""The site's own scripts, styles and vendored libraries."""
ASSET_DIR = "assets/playbook"
"""Where they are published in the site."""
STEMMERS = ASSETS / "vendor" / "stemmers"
THEME_DIR = Path(__file__).parent / "theme"
"""Template overrides put in front of the theme's own: the header with the playbook's search."""
MESSAGES_JS = "messages.js"
"""Generated per build: the scripts' words in the site's language, loaded before the scripts."""
STYLESHEETS = ("playbook.css", "search.css", "layout.css", "whatsnew.css", "propose.css", "standards.css")
SCRIPTS = (MESSAGES_JS, "playbook.js", "assess.js", "propose.js", "register.js", "usecases.js", "search.js")
"""Every page's scripts, in order: messages.js first, so each script finds its words loaded."""


def stylesheets() -> list[str]:
    """``extra_css`` entries of the site's own styles."""
    return [f"{ASSET_DIR}/{name}" for name in STYLESHEETS]


def scripts() -> list[str]:
    """``extra_javascript`` entries of the site's own scripts."""
    return [f"{ASSET_DIR}/{name}" for name in SCRIPTS]


def stemmer(language: str) -> Path | None:
    """The vendored Snowball stemmer for the site's language, if there is one."""
    path = STEMMERS / f"{language}.js"
    return path if path.is_file() else None


def published_assets(language: str) -> list[tuple[str, Path]]:
    """(address in the site, file) of the scripts, styles and vendored libraries the site serves; of the
    stemmers, only the site language's."""
    own = stemmer(language)
    return [
        (f"{ASSET_DIR}/{path.relative_to(ASSETS).as_posix()}", path)
        for path in sorted(ASSETS.rglob("*"))
        if path.is_file() and path.suffix in (".js", ".css", ".txt")
        and (path.parent != STEMMERS or path == own or path.suffix == ".txt")
    ]


SEARCH_WORDS = ("open", "close", "label", "placeholder", "reset", "facets", "hint", "results")
"""The search box's own words (``search.<word>``) the header partial writes."""


def search_box(playbook: Playbook, messages: Messages) -> dict[str, Any]:
    """What the header's search box needs (``partials/playbook-search.html``), as plain data any engine's
    templates read from ``config.extra.playbook_search``: where the index and engine are, its words and facets.

    Its script's words come with every page's ``messages.js``.
    """
    own = stemmer(messages.language)
    kinds = ["pattern", "policy", "step", "tier", "learning", "page"]
    categories = sorted({p.category for p in playbook.patterns.values()}, key=str.casefold)
    facets = {
        "kind": [(k, messages(f"kind.{k}")) for k in kinds],
        "tier": [(t.id, t.name) for t in playbook.tiers],
        "status": [(s.value, messages(f"status.{s.value}")) for s in [*Status, *LearningStatus]],
        "category": [(c, c) for c in categories],
    }
    return {
        "index": INDEX_PATH,
        "worker": f"{ASSET_DIR}/search-worker.js",
        "stemmer": f"{ASSET_DIR}/{own.relative_to(ASSETS).as_posix()}" if own else "",
        "words": {word: messages(f"search.{word}") for word in SEARCH_WORDS},
        "any": messages("search.facet.any"),
        "facets": [
            {"name": name, "label": messages(f"search.facet.{name}"),
             "options": [{"value": value, "label": label} for value, label in options]}
            for name, options in facets.items()
        ],
    }
