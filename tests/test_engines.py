"""The generated tree on every engine: MkDocs 1.6.1, ProperDocs 1.6.7 (both with Material 9.8.1) and Zensical 0.0.73
build the shipped playbook's tree strictly, each in a virtualenv without our package, and their sites hold every
page. tests/browser/test_engines.py drives the built sites in Chromium.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from lxml import etree
from sitelinks import site_links

from enginesites import GENERATOR, SAME_SITE_AS, EngineSite, clean_env, engine_venv, engine_with_playbook_venv
from pagetext import one, read_page, texts, visible, words
from playbook.check.validate import check
from playbook.data.kinds import KINDS, USECASE
from playbook.site.build import ENGINES
from playbook.site.generated import SCRIPTS
from sitebuild import REPO, assemble

pytestmark = pytest.mark.engines

PLAYBOOK, _PROBLEMS, _COUNT = check(REPO)


def generator(page: Path) -> str | None:
    return one(read_page(page), 'meta[name="generator"]').get("content")


def item_pages() -> list[tuple[str, str, str]]:
    """(kind, id, title) of every item with a page of its own: patterns, policies, rollout steps, use cases."""
    pages = {(USECASE.name, case_id): case.title for case_id, case in PLAYBOOK.usecases.items()}
    for kind in KINDS:
        for item_id, entry in kind.pages(PLAYBOOK):
            pages[(kind.name, item_id)] = str(getattr(entry, "title"))  # noqa: B009
    return [(kind, item_id, title) for (kind, item_id), title in pages.items()]


def page_of(site: Path, kind: str, item_id: str) -> Path:
    route = next((k.route for k in KINDS if k.name == kind and k.route), "usecases/{id}.md")
    return site / route.format(id=item_id).removesuffix(".md") / "index.html"


def test_each_engine_builds_the_tree_strictly_without_our_package(engine_site: EngineSite) -> None:
    venv = engine_venv(ENGINES[engine_site.engine])
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", "import playbook"], capture_output=True, text=True,
                           cwd=venv, env=clean_env(venv))
    assert probe.returncode != 0 and "No module named 'playbook'" in probe.stderr, probe
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", "import mkdocs_macros"], capture_output=True,
                           text=True, cwd=venv, env=clean_env(venv))
    assert probe.returncode != 0, "mkdocs-macros is installed beside the engine"
    assert generator(engine_site.site / "index.html") == GENERATOR[engine_site.engine]
    assert "WARNING" not in engine_site.output and "Warning" not in engine_site.output, engine_site.output


def test_every_item_page_is_built_with_its_title(engine_site: EngineSite) -> None:
    pages = item_pages()
    assert len(pages) > 50
    missing = []
    for kind, item_id, title in pages:
        path = page_of(engine_site.site, kind, item_id)
        if not path.is_file():
            missing.append(f"{kind} {item_id}: no {path.relative_to(engine_site.site)}")
            continue
        h1 = read_page(path).find(".//h1")
        heading = None if h1 is None else visible(h1).removesuffix("¶").rstrip()
        # A rollout step's heading is numbered: "Step 1: Map current decision rights".
        if heading is None or not heading.endswith(title):
            missing.append(f"{kind} {item_id}: h1 {heading!r}, not {title!r}")
    assert not missing, "\n".join(missing)


def test_the_search_box_scripts_index_and_exports_are_in_every_site(engine_site: EngineSite) -> None:
    site = engine_site.site
    for page in (site / "index.html", site / "patterns" / "llm-gateway" / "index.html"):
        html = read_page(page)
        box = one(html, "header [data-playbook-search] input[data-playbook-search-input]")
        assert box.get("aria-label") == "Search the playbook", page
        index = one(html, "[data-playbook-search]").get("data-index")
        assert (page.parent / index).resolve() == (site / "search" / "playbook-index.json").resolve()
        scripts = [Path(s.get("src")).name for s in html.cssselect("script[src]")]
        assert scripts[-len(SCRIPTS):] == list(SCRIPTS)  # every page's scripts, ours last, messages.js first
    index = json.loads((site / "search" / "playbook-index.json").read_text(encoding="utf-8"))
    assert {r[2] for r in index["records"]} >= {p.title for p in PLAYBOOK.patterns.values()}
    assert json.loads((site / "playbook.json").read_text(encoding="utf-8"))["patterns"]
    assert (site / "exports" / "patterns.csv").is_file()
    assert (site / "usecases" / "register.json").is_file()


def test_every_link_of_every_page_leads_to_a_page_and_its_anchor(engine_site: EngineSite) -> None:
    """The links of the pages' HTML blocks too (use-case lists, catalog, candidates, what's new), which mkdocs does
    not check and Zensical reads from the page's file: the tree generated for each engine writes them its way."""
    links = site_links(engine_site.site)
    assert len(links) > 2000 and any(link.page.startswith("usecases/") for link in links)
    assert [str(link) for link in links if link.broken] == []


def test_item_pages_edit_their_own_yaml_file(engine_site: EngineSite) -> None:
    edit = one(read_page(engine_site.site / "patterns" / "llm-gateway" / "index.html"), "a[rel=edit]")
    assert edit.get("href").endswith("/edit/main/patterns/llm-gateway.yml")
    edit = one(read_page(engine_site.site / "risk-tiers" / "index.html"), "a[rel=edit]")
    assert edit.get("href").endswith("/edit/main/docs/risk-tiers.md")


def _article(path: Path) -> str:
    """A page's content as a reader gets it, without its edit button."""
    article = one(read_page(path), "article")
    for button in article.cssselect("a.md-content__button"):
        button.drop_tree()
    # Whitespace between tags as one newline or space: what a reader gets of it, however the templates indent.
    kept = {e for block in article.cssselect("pre, textarea") for e in block.iter()}  # their whitespace is shown
    for element in article.iter(etree.Element):
        if element not in kept:
            element.text = _between_tags(element.text)
        if element.getparent() not in kept:
            element.tail = _between_tags(element.tail)
    return etree.tostring(article, encoding="unicode", with_tail=False)


def _between_tags(text: str | None) -> str | None:
    if text is None or text.strip():
        return text
    return "\n" if "\n" in text else " "


PRINT_PAGE = "print/index.html"


def _printed(path: Path) -> tuple[list[str], list[str]]:
    """The print page as a reader gets it: its words, and where each link outside the page leads."""
    article = one(read_page(path), "article")
    for tag in article.cssselect("a.headerlink, a.md-content__button"):
        tag.drop_tree()
    links = [a.get("href") for a in article.cssselect("a[href]") if not a.get("href").startswith("#")]
    return words(article), links


def test_mkdocs_builds_the_tree_into_the_site_the_plugin_builds(
        engine_sites: Callable[[str], EngineSite], default_site: Path) -> None:
    """One renderer: the tree built by plain MkDocs holds every file of the plugin's build, and every page's content
    is the same. The search index differs only by the tags page, whose headings Material's tags plugin adds."""
    tree_site = engine_sites("mkdocs").site
    ours = {p.relative_to(default_site).as_posix() for p in default_site.rglob("*") if p.is_file()}
    theirs = {p.relative_to(tree_site).as_posix() for p in tree_site.rglob("*") if p.is_file()}
    assert ours - theirs == set()
    assert theirs - ours == {"assets/playbook/theme-search.css"}
    different = [rel for rel in sorted(ours) if rel.endswith(".html") and rel != PRINT_PAGE
                 and _article(default_site / rel) != _article(tree_site / rel)]
    assert different == []
    # The plugin's print page holds the item pages' HTML, where the tree's renders their Markdown again: the same
    # text and links, with ids of the plugin's own.
    assert _printed(default_site / PRINT_PAGE) == _printed(tree_site / PRINT_PAGE)
    plugin_index = json.loads((default_site / "search" / "playbook-index.json").read_text(encoding="utf-8"))
    tree_index = json.loads((tree_site / "search" / "playbook-index.json").read_text(encoding="utf-8"))
    assert ([r for r in plugin_index["records"] if r[1] != "tags"]
            == [r for r in tree_index["records"] if r[1] != "tags"])


GENERATOR_LINE = re.compile(rb'<meta name="generator" content="[^"]*">')
BUILD_DATE = re.compile(rb"<lastmod>[^<]*</lastmod>")
"""The sitemap's date of the build, which two builds may see either side of midnight."""


@pytest.mark.parametrize(("engine", "same_as"), SAME_SITE_AS.items())
def test_an_engine_builds_the_tree_into_another_engine_s_site_byte_for_byte(
        engine: str, same_as: str, engine_sites: Callable[[str], EngineSite]) -> None:
    """ProperDocs, a fork of MkDocs 1.6, writes MkDocs' site of the tree: every file the same, but the pages'
    generator line (and the sitemap's build date). The browser tests drive the other engine's site only
    (conftest.py, ``browsed_engine_site``)."""
    ours, theirs = engine_sites(engine).site, engine_sites(same_as).site
    files = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*") if p.is_file())
    assert len(files) > 100
    different = []
    for rel in files:
        mine, other = (ours / rel).read_bytes(), (theirs / rel).read_bytes()
        if rel.endswith(".html"):
            assert len(GENERATOR_LINE.findall(mine)) == 1, f"{engine}: {rel} has no generator line"
            mine, other = GENERATOR_LINE.sub(b"", mine), GENERATOR_LINE.sub(b"", other)
        elif rel.startswith("sitemap.xml"):
            if rel.endswith(".gz"):  # its header holds a time too
                mine, other = gzip.decompress(mine), gzip.decompress(other)
            mine, other = BUILD_DATE.sub(b"", mine), BUILD_DATE.sub(b"", other)
        if mine != other:
            different.append(rel)
    assert different == [], f"{engine} and {same_as} build these files of the tree differently"


def test_the_tree_names_neither_our_plugin_nor_mkdocs_macros(generated_tree: Path) -> None:
    config = yaml.safe_load((generated_tree / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert "playbook" not in names and "macros" not in names
    assert config["theme"]["custom_dir"] == "overrides"
    assert (generated_tree / "overrides" / "partials" / "header.html").is_file()
    calls = [page.relative_to(generated_tree).as_posix() for page in (generated_tree / "docs").rglob("*.md")
             if "{{ pattern_catalog()" in page.read_text(encoding="utf-8")
             or "{{ assessment()" in page.read_text(encoding="utf-8")]
    assert calls == [], "macros left unexpanded"


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_playbook_build_drives_the_engine(engine: str, tmp_path: Path) -> None:
    venv = engine_venv(ENGINES[engine])
    site = tmp_path / "site"
    env = clean_env(venv)
    result = subprocess.run([sys.executable, "-m", "playbook", "build", "--engine", engine, "--root", str(REPO),
                             "--site-dir", str(site), "-q"], capture_output=True, text=True, cwd=REPO, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"site built in {site} by {engine}\n"
    assert generator(site / "index.html") == GENERATOR[engine]
    assert (site / "patterns" / "llm-gateway" / "index.html").is_file()
    assert not list(tmp_path.glob(".site-*")), "the build left its working folders behind"


def test_zensical_runs_the_macros_module_on_the_hand_written_pages(tmp_path: Path) -> None:
    """Zensical's built-in macros (the `macros:` entry of mkdocs.yml) with our package installed but no plugin of
    ours, which Zensical never loads: the pages of docs/ render from the playbook the module loads itself. Item
    pages need `playbook generate`; Zensical builds none from the playbook's own mkdocs.yml."""
    venv = engine_with_playbook_venv(ENGINES["zensical"])
    root = assemble(REPO, tmp_path / "pb")
    result = subprocess.run([str(venv / "bin" / "zensical"), "build", "--strict", "--config-file",
                             str(root / "mkdocs.yml")], capture_output=True, text=True, cwd=root, env=clean_env(venv))
    assert result.returncode == 0, result.stdout + result.stderr
    standards = one(read_page(root / "site" / "standards" / "index.html"), "article")
    assert "{{" not in "".join(texts(standards))
    links = {a.get("href") for a in standards.cssselect("a[href]")}
    assert all(f"../patterns/{pattern_id}/" in links for pattern_id in PLAYBOOK.patterns), links
    assert read_page(root / "site" / "assessment" / "index.html").cssselect("form.pb-assess-form")
    assert not (root / "site" / "patterns").exists()
