"""``playbook generate``: the site as a plain docs tree that stock engines build without our plugin or mkdocs-macros.

Every page is Markdown (item pages from :mod:`playbook.site.generated`, hand-written pages with their macros
expanded by the same functions the macros module registers), beside the assets, the search index, the scripts'
words, the theme overrides (a ``custom_dir``), the exports and an ``mkdocs.yml`` that names neither plugin.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from playbook.data.kinds import KINDS
from playbook.data.problems import PlaybookError
from playbook.i18n import Messages
from playbook.site.config import (
    MACROS,
    MARKER,
    PLUGIN,
    config_path,
    playbook_root,
    plugin_entries,
    plugin_options,
    read_config,
    refuse_source_target,
    resolved,
    swap_in,
    text_setting,
    without_plugins,
    write_config,
)
from playbook.site.generated import (
    ASSET_DIR,
    LEARNINGS_INDEX,
    THEME_DIR,
    generated_pages,
    scripts,
    search_box,
    site_files,
    stylesheets,
)
from playbook.site.living import SiteInfo, feed_head, feed_text
from playbook.site.pagemacros import PageExpander, loaded_history, loaded_playbook, page_url
from playbook.site.pages.whatsnew import FEED_PATH
from playbook.site.search import (
    INDEX_PATH,
    PageHeadings,
    Record,
    index_data,
    index_json,
    item_records,
    page_record,
)

DOCS = "docs"
OVERRIDES = "overrides"
"""The generated tree's ``theme.custom_dir``: our header and search box, then the playbook's own overrides."""


@dataclass
class Tree:
    """What ``generate`` wrote."""

    folder: Path
    config_file: Path
    pages: int = 0
    """Markdown pages: generated item pages and hand-written ones."""
    files: int = 0
    """Every file written."""


def refuse_foreign_folder(out: Path) -> None:
    """Never write over what ``generate`` did not write: the playbook's sources, or anything else."""
    if out.is_file():
        raise PlaybookError(f"{out} is a file; playbook generate writes a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise PlaybookError(
            f"{out} is not empty and was not written by playbook generate (it has no {MARKER}); "
            "nothing was written: choose a new or empty folder"
        )


def generate(root: Path, out: Path, links_from_source: bool = False) -> Tree:
    """Write the playbook's site as a docs tree into ``out``: a new or empty folder, or an earlier tree, which is
    replaced only once the new one is complete. ``links_from_source`` as for :func:`write_tree`."""
    config_file = config_path(root)
    target = out.resolve()
    refuse_source_target(root, target, "generated")
    refuse_foreign_folder(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        tree = write_tree(config_file, staging, links_from_source)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, target)
    tree.folder, tree.config_file = target, target / "mkdocs.yml"
    return tree


def write_tree(config_file: Path, folder: Path, links_from_source: bool = False) -> Tree:
    """The tree for the playbook configured in ``config_file``, written into the empty ``folder``.

    The links of the pages' HTML blocks are written from each page's address, as MkDocs and ProperDocs leave them;
    with ``links_from_source``, from its source file's folder: Zensical reads every relative link of a page's HTML
    so, and moves it to the address. (Markdown links are written from the source file on every engine.)
    """
    config = read_config(config_file)
    options = plugin_options(config, PLUGIN) or {}
    root = playbook_root(config_file, config)
    playbook = loaded_playbook(root, "the tree is generated")
    living = loaded_history(root, config)
    theme = config.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)  # `theme: material` says only the name
    messages = Messages(theme.get("language"), options.get("strings") or {})
    directory_urls = bool(config.get("use_directory_urls", True))
    docs = (config_file.parent / str(config.get("docs_dir") or "docs")).resolve()
    tree = Tree(folder, folder / "mkdocs.yml")
    out_docs = folder / DOCS

    def write(rel: str, content: str | Path) -> None:
        path = out_docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, path)
        else:
            path.write_text(content, encoding="utf-8")
        tree.files += 1

    handwritten = sorted(_docs_files(docs), key=_file_sort_key)
    generated = generated_pages(playbook, messages, directory_urls, living, LEARNINGS_INDEX in handwritten,
                                links_from_source=links_from_source)
    page_sources = {src for src, _md, _edit in generated} | {rel for rel in handwritten if rel.endswith(".md")}
    expander = PageExpander(config_file, config, docs, directory_urls, links_from_source)
    headings = PageHeadings(resolved(config.get("markdown_extensions") or []), config.get("nav"))
    records: list[Record] = []
    for rel in handwritten:
        source = docs / rel
        if not rel.endswith(".md"):
            write(rel, source)
            continue
        text, meta = expander.expand(rel, source.read_text(encoding="utf-8-sig"))
        write(rel, text)
        tree.pages += 1
        search = meta.get("search")
        if not (isinstance(search, dict) and search.get("exclude")):
            title, found = headings.read(rel, text, meta)
            url = page_url(rel, directory_urls)
            records.append(page_record(rel, "" if url == "./" else url, title, found))
    edit_url = _edit_url(config, docs.name)
    for src, text, edit in generated:
        write(src, _with_edit_url(text, edit_url(edit)))
        tree.pages += 1
    for uri, content in site_files(playbook, messages, bool(options.get("exports", True))).items():
        write(uri, content)
    write(THEME_SEARCH_CSS, theme_search_css())

    def url_of(src_uri: str) -> str | None:
        return page_url(src_uri, directory_urls) if src_uri in page_sources else None

    write(INDEX_PATH, index_json(index_data(item_records(playbook, url_of) + records, messages.language)))
    site_name = str(config.get("site_name") or "")
    site = SiteInfo(site_name, text_setting(config, "site_url"), text_setting(config, "site_author"))
    write(FEED_PATH, feed_text(living, playbook, messages, site, url_of))
    _write_overrides(config_file, theme, folder / OVERRIDES)
    steps = [f"rollout/{step.id}.md" for step in (playbook.roadmap.steps if playbook.roadmap else [])]
    extra = {"playbook_search": search_box(playbook, messages), "playbook_feed": feed_head(messages, site_name)}
    out_config = _tree_config(config, theme, extra, docs.name, steps)
    header = _HEADER + (_FROM_SOURCE if links_from_source else _FROM_ADDRESS)
    tree.config_file.write_text(header + write_config(out_config), encoding="utf-8")
    (folder / MARKER).write_text(
        "Written by `playbook generate`, which replaces this folder whole when run again. Do not edit here:\n"
        "edit the playbook's YAML and docs/, then generate again.\n", encoding="utf-8")
    return tree


THEME_SEARCH_CSS = f"{ASSET_DIR}/theme-search.css"
"""Material's own rules for its search box, which ours wears: an engine whose theme styles its search otherwise
(Zensical) has none of them. With Material they repeat its rules, to the same effect."""
_CSS_WANTED = re.compile(r"md-search|__search")


def theme_search_css() -> str:
    """Every rule of the installed Material's stylesheet about the search box, in its media queries, in order."""
    import material

    sheets = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    sheet = next(sheets.glob("main.*.min.css"))
    text = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.DOTALL)
    version = getattr(material, "__version__", "")
    return (f"/* From mkdocs-material {version} ({sheet.name}), MIT licence: its search box's rules. */\n"
            f"{_css_rules_wanted(text)}\n{_SEARCH_SHOWN}")


_SEARCH_SHOWN = """/* Zensical hides its own search box below 60em, where a dialog of its own takes over; ours
   opens from the header's button there, as Material's does. */
@media screen and (max-width: 59.984375em) {
  .md-search.pb-search { display: block; }
  .no-js .md-search.pb-search { display: none; }
}
"""


def _css_rules_wanted(text: str) -> str:
    kept = []
    at = 0
    while (start := text.find("{", at)) >= 0:
        depth, end = 1, start + 1
        while depth and end < len(text):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        prelude, body = text[at:start].strip(), text[start + 1:end - 1]
        at = end
        if prelude.startswith(("@media", "@supports")):
            inner = _css_rules_wanted(body)
            if inner:
                kept.append(f"{prelude}{{{inner}}}")
        elif not prelude.startswith("@") and _CSS_WANTED.search(prelude):
            kept.append(f"{prelude}{{{body}}}")
    return "".join(kept)


def _edit_url(config: dict[str, Any], docs_name: str) -> Callable[[str], str | None]:
    """The edit button's address for a file of the playbook (an item's YAML), as mkdocs makes it from
    ``repo_url`` and ``edit_uri``; None when the site has no edit buttons."""
    repo_url, edit_uri = text_setting(config, "repo_url"), text_setting(config, "edit_uri")
    if repo_url is None or edit_uri is None:
        return lambda path: None
    base = urljoin(repo_url.rstrip("/") + "/", edit_uri.rstrip("/") + "/")
    return lambda path: urljoin(base, path)


def _with_edit_url(page: str, url: str | None) -> str:
    """A generated page with ``edit_url`` in its front matter: its edit button opens the YAML it was made from
    (``partials/actions.html`` reads it), not a Markdown file that exists only in the tree."""
    if url is None or not page.startswith("---\n"):
        return page
    return f"---\nedit_url: {json.dumps(url)}\n{page[4:]}"


_HEADER = (
    "# Written by `playbook generate` from the playbook's own mkdocs.yml: every page is plain Markdown here,\n"
    "# so an engine that reads mkdocs.yml builds it without the playbook plugin or mkdocs-macros.\n"
)
_FROM_ADDRESS = (
    "# For MkDocs and ProperDocs: the links in the pages' HTML blocks are written from each page's address.\n"
    "# For Zensical, run `playbook generate --engine zensical`.\n"
)
_FROM_SOURCE = (
    "# For Zensical: the links in the pages' HTML blocks are written from each page's source folder, as Zensical\n"
    "# reads them. For MkDocs or ProperDocs, run `playbook generate` without --engine zensical.\n"
)


def _docs_files(docs: Path) -> Iterator[str]:
    """Every file of the docs folder, by path relative to it; hidden files and folders left out, as mkdocs does."""
    for folder, dirs, files in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder).relative_to(docs)
        for name in files:
            if not name.startswith("."):
                yield (base / name).as_posix()


def _file_sort_key(rel: str) -> tuple[Any, ...]:
    """mkdocs' order of files: by folder, each folder's index first (``mkdocs.structure.files.file_sort_key``)."""
    parts = tuple(rel.split("/"))
    stem = parts[-1].rsplit(".", 1)[0]
    return (parts[:-1], stem not in ("index", "README"), parts[-1])


def _write_overrides(config_file: Path, theme: dict[str, Any], target: Path) -> None:
    """Our header and search box, then the playbook's own ``custom_dir`` over them: its overrides win, as with
    the plugin."""
    shutil.copytree(THEME_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    own = theme.get("custom_dir")
    if own:
        shutil.copytree(config_file.parent / str(own), target, dirs_exist_ok=True)


def _tree_config(config: dict[str, Any], theme: dict[str, Any], extra: dict[str, Any], docs_name: str,
                 steps: list[str]) -> dict[str, Any]:
    """The playbook's configuration for the tree: no plugin of ours and no mkdocs-macros; the scripts, styles,
    overrides and the data of the search box and the feed link they added written out; the rollout steps in the
    navigation under the rollout page, as the plugin puts them; item pages kept out of it."""
    out = {"docs_dir": DOCS, **{key: value for key, value in config.items() if key not in ("docs_dir", "site_dir")}}
    # Zensical's own look ("modern") restyles the header our search box sits in; "classic" is Material's, which
    # our styles are made for. mkdocs and ProperDocs pass the option to Material, which does not read it.
    out["theme"] = {"variant": "classic", **theme, "custom_dir": OVERRIDES}
    out["plugins"] = without_plugins(config, PLUGIN, MACROS)
    if not any(name in ("search", "material/search") for name, _options in plugin_entries(config)):
        # The header's search is ours; an engine that adds its own by default (Zensical) need not index the site.
        out["plugins"].append({"search": {"enabled": False}})
    own_css = config.get("extra_css") or []
    out["extra_css"] = [*own_css, *(p for p in [THEME_SEARCH_CSS, *stylesheets()] if p not in own_css)]
    out["extra_javascript"] = [*(config.get("extra_javascript") or []), *(p for p in scripts()
                                                                        if p not in (config.get("extra_javascript")
                                                                                     or []))]
    out["extra"] = {**(config.get("extra") or {}), **extra}
    if isinstance(config.get("edit_uri"), str) and config["edit_uri"]:
        # The plugin points each hand-written page's edit button at docs/<page>; here the pages are at <page>.
        out["edit_uri"] = f"{config['edit_uri'].rstrip('/')}/{docs_name}/"
    if "nav" in config:
        out["nav"] = _with_steps(config["nav"], steps)
    routes = [f"/{kind.route.format(id='*')}" for kind in KINDS if kind.route] + ["/usecases/*.md"]
    not_in_nav = str(config.get("not_in_nav") or "").splitlines()
    out["not_in_nav"] = "\n".join(dict.fromkeys([*not_in_nav, *routes]))
    return out


def _with_steps(nav: Any, steps: list[str]) -> Any:
    """The navigation with the rollout steps after the rollout page, in its section."""
    if not isinstance(nav, list):
        return nav
    out: list[Any] = []
    for entry in nav:
        if isinstance(entry, dict):
            out.append({title: _with_steps(value, steps) for title, value in entry.items()})
        else:
            out.append(entry)
        if entry == "rollout/index.md" or (isinstance(entry, dict) and "rollout/index.md" in entry.values()):
            out.extend(steps)
    return out
