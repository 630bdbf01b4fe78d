"""The built site, read as a reader's browser gets it: HTML parsed by libxml2's HTML5 parser (tests/pagetext.py)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from lxml import etree
from lxml.html import HtmlElement
from sitelinks import site_links

import warm
from pagetext import one, read_page, texts, visible, words
from playbook.check.validate import check
from sitebuild import REPO, assemble, build

SMALL = REPO / "tests" / "fixtures" / "valid" / "small"


def _page(path: Path) -> HtmlElement:
    """The page without its headings' permalinks, parsed once for every test that reads it (tests only read it): a
    page built again is a new file, parsed anew."""
    stat = path.stat()
    return _parsed(path, stat.st_ino, stat.st_mtime_ns)


@functools.lru_cache(maxsize=512)
def _parsed(path: Path, _inode: int, _modified: int) -> HtmlElement:
    page = read_page(path)
    for permalink in page.cssselect("a.headerlink"):
        permalink.drop_tree()
    return page


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = assemble(SMALL, tmp_path_factory.mktemp("small"))
    pattern = root / "patterns" / "llm-gateway.yml"
    # A template and a script in YAML text must reach the reader as text.
    text = pattern.read_text(encoding="utf-8").replace(
        "summary: ", "summary: 'Payload {{ config.site_name }} <script>alert(1)</script> end.' #", 1
    )
    pattern.write_text(text, encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def html_pages(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


def test_every_pattern_and_policy_has_its_page(default_site: Path) -> None:
    playbook, _problems, _count = check(REPO)
    assert playbook.patterns and playbook.policies
    for kind, items in (("patterns", playbook.patterns), ("policies", playbook.policies)):
        for item_id, item in items.items():
            page = default_site / kind / item_id / "index.html"
            assert page.is_file(), f"no page for {kind}/{item_id}"
            assert visible(one(_page(page), "h1")) == item.title


def test_pattern_page_lists_the_policies_citing_it(default_site: Path) -> None:
    playbook, _problems, _count = check(REPO)
    for pattern_id in playbook.patterns:
        heading = one(_page(default_site / "patterns" / pattern_id / "index.html"), "#policies-that-cite-this-pattern")
        listed = (
            {visible(a) for a in heading.xpath("following::ul[1]")[0].iter("a")}
            if playbook.policies_citing(pattern_id)
            else set()
        )
        assert listed == {p.title for p in playbook.policies_citing(pattern_id)}, pattern_id


def test_policy_page_links_each_pattern_it_cites(default_site: Path) -> None:
    playbook, _problems, _count = check(REPO)
    for policy in playbook.policies.values():
        hrefs = {a.get("href") for a in _page(default_site / "policies" / policy.id / "index.html").cssselect(
            "article a[href]")}
        for pattern_id in policy.patterns:
            assert f"../../patterns/{pattern_id}/" in hrefs, (policy.id, pattern_id)


def test_yaml_text_is_shown_literally_never_run(small_site: Path) -> None:
    page = _page(small_site / "patterns" / "llm-gateway" / "index.html")
    summary = "".join(texts(one(page, ".pb-summary")))
    assert "Payload {{ config.site_name }} <script>alert(1)</script> end." in summary
    assert not any("alert(1)" in (s.text or "") for s in page.iter("script") if s.get("type") != "application/json")
    catalog = "".join(texts(_page(small_site / "standards" / "index.html")))
    assert "{{ config.site_name }}" in catalog


def test_search_index_holds_every_id_title_and_alias(default_site: Path) -> None:
    playbook, _problems, _count = check(REPO)
    index = json.loads((default_site / "search" / "playbook-index.json").read_text(encoding="utf-8"))
    records = {(r[0], r[1]): dict(zip(index["fields"], r, strict=True)) for r in index["records"]}
    for kind, items in (("pattern", playbook.patterns), ("policy", playbook.policies)):
        for item_id, item in items.items():
            record = records.get((kind, item_id))
            assert record is not None, f"{kind} {item_id} is not in the search index"
            assert record["title"] == item.title
            assert record["aliases"] == item.aliases
            page = default_site / record["url"] / "index.html"
            assert visible(one(_page(page), "h1")) == item.title, f"{kind} {item_id}: {record['url']}"


def test_material_search_is_not_built_and_the_header_has_ours(default_site: Path) -> None:
    assert not (default_site / "search" / "search_index.json").exists()
    for page in (default_site / "index.html", default_site / "patterns" / "llm-gateway" / "index.html"):
        read = _page(page)
        box = one(read, "header [data-playbook-search] input[data-playbook-search-input]")
        assert box.get("aria-label") == "Search the playbook", page
        assert read.cssselect("header [data-playbook-search] ol[data-playbook-search-results]"), page
        assert (page.parent / one(read, "[data-playbook-search]").get("data-index")).resolve() == (
            default_site / "search" / "playbook-index.json"
        ).resolve()


def test_no_page_loads_anything_from_another_host(default_site: Path) -> None:
    offenders = []
    for page in html_pages(default_site):
        read = _page(page)
        for tag, attribute in (
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("iframe", "src"),
            ("source", "src"),
            ("video", "src"),
            ("audio", "src"),
        ):
            for element in read.iter(tag):
                url = element.get(attribute)
                if url and urlparse(url).netloc:
                    offenders.append(f"{page.relative_to(default_site)}: <{tag} {attribute}={url}>")
    for css in default_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?(https?:)?//([^'\")]+)", css.read_text(encoding="utf-8")):
            offenders.append(f"{css.relative_to(default_site)}: url({url[1]})")
    assert not offenders, "\n".join(offenders)


def test_every_link_of_every_page_leads_to_a_page_and_its_anchor(default_site: Path) -> None:
    """mkdocs checks the links of a page's Markdown; the links the pages' HTML blocks hold are followed here."""
    links = site_links(default_site)
    assert len(links) > 2000
    assert [str(link) for link in links if link.broken] == []


def test_item_pages_edit_their_own_yaml_file(small_site: Path) -> None:
    edit = one(_page(small_site / "patterns" / "llm-gateway" / "index.html"), "a.md-content__button[href]")
    assert edit.get("href").endswith("/edit/main/patterns/llm-gateway.yml")
    edit = one(_page(small_site / "risk-tiers" / "index.html"), "a.md-content__button[href]")
    assert edit.get("href").endswith("/edit/main/docs/risk-tiers.md")


def test_tags_list_tagged_items(small_site: Path) -> None:
    text = "".join(texts(_page(small_site / "tags" / "index.html")))
    assert "status: adopted" in text and "LLM gateway" in text


def test_exports_are_published_at_stable_addresses(small_site: Path) -> None:
    document = json.loads((small_site / "playbook.json").read_text(encoding="utf-8"))
    assert "llm-gateway" in json.dumps(document)
    assert (small_site / "exports" / "patterns.csv").read_text(encoding="utf-8").count("llm-gateway") >= 1
    links = {a.get("href") for a in _page(small_site / "standards" / "index.html").cssselect("a[href]")}
    assert "../exports/patterns.csv" in links and "../playbook.json" in links
    home = {a.get("href") for a in _page(small_site / "index.html").cssselect("a[href]")}
    assert {"playbook.json", "exports/patterns.csv", "exports/policies.csv", "print/"} <= home


def test_item_pages_are_not_in_the_navigation(small_site: Path) -> None:
    nav = one(_page(small_site / "index.html"), "nav.md-nav--primary")
    assert not nav.cssselect('a[href*="patterns/"]'), "item pages must stay out of the navigation (quadratic builds)"


def test_a_dangling_policy_reference_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    root = assemble(SMALL, tmp_path / "pb")
    policy = next((root / "policies").glob("*.yml"))
    lines = policy.read_text(encoding="utf-8").splitlines()
    index = next(
        i
        for i, line in enumerate(lines)
        if line.startswith("patterns:") and "llm-gateway" in line or line.strip() == "- llm-gateway"
    )
    lines[index] = lines[index].replace("llm-gateway", "llm-gatway")
    policy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(root)
    assert result.returncode != 0
    expected = f"policies/{policy.name}:{index + 1}:"
    assert expected in result.stderr, result.stderr
    assert "unknown pattern 'llm-gatway' (did you mean 'llm-gateway'?)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


@pytest.mark.parametrize("quiet", [False, True], ids=["verbose", "quiet"])
def test_a_broken_link_in_a_page_fails_the_strict_build(tmp_path: Path, quiet: bool) -> None:
    root = assemble(SMALL, tmp_path / "pb")
    page = root / "docs" / "contributing.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [nowhere](no-such-page.md).\n", encoding="utf-8")
    # Quiet too: mkdocs' own --quiet stops counting warnings, and its --strict then let this link through.
    result = warm.playbook("build", "--root", str(root), *(["-q"] * quiet), cwd=root)
    assert result.returncode != 0
    assert "no-such-page.md" in result.stderr
    assert not (root / "site").exists()


def test_a_theme_override_edited_between_builds_shows_its_new_text(tmp_path: Path) -> None:
    """Builds keep the theme's compiled templates on disk; an edited template must never be served from them."""
    root = assemble(SMALL, tmp_path / "pb")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n",
                                                                 "  name: material\n  custom_dir: overrides\n", 1),
                      encoding="utf-8")
    override = root / "overrides" / "partials" / "copyright.html"
    override.parent.mkdir(parents=True)
    for footer in ("First footer", "Second footer"):
        override.write_text(f'<div class="md-copyright">{footer}</div>\n', encoding="utf-8")
        result = build(root)
        assert result.returncode == 0, result.stdout + result.stderr
        assert visible(one(_page(root / "site" / "index.html"), ".md-copyright")) == footer


def test_the_printable_page_holds_the_whole_playbook(default_site: Path) -> None:
    playbook, _problems, _count = check(REPO)
    text = " ".join(words(one(_page(default_site / "print" / "index.html"), "article")))
    expected = [*playbook.patterns, *playbook.policies, *(p.title for p in playbook.patterns.values()),
                *(t.name for t in playbook.tiers), *(p.name for p in playbook.pilots.values())]
    assert playbook.roadmap is not None and playbook.decision_rights is not None
    expected += [s.title for s in playbook.roadmap.steps] + [i.text for _s, i in playbook.checklist_items().values()]
    expected += [d.name for d in playbook.decision_rights.decisions]
    missing = [item for item in expected if item not in text]
    assert not missing, missing


def test_the_print_page_holds_each_item_as_its_page_renders_it(default_site: Path) -> None:
    """The print page takes the pattern and policy pages' HTML, two heading levels down, with links that lead
    where the page's own links lead, ids of its own, and without what only the item's page has."""
    playbook, _problems, _count = check(REPO)
    article = one(read_page(default_site / "print" / "index.html"), "article")
    titles = {" ".join(words(h)).rstrip("¶").strip() for h in article.iter("h3")}
    missing = [p.title for p in [*playbook.patterns.values(), *playbook.policies.values()] if p.title not in titles]
    assert not missing, f"not an h3 on the print page: {missing}"
    ids = [tag.get("id") for tag in article.xpath(".//*[@id]")]
    assert len(ids) == len(set(ids)), "two parts of the print page share an id"
    for link in article.xpath(".//a[@href]"):
        href = link.get("href")
        if href.startswith("#"):
            assert href[1:] in ids, f"{href} leads to no part of the print page"
        elif not urlparse(href).scheme:
            path = (default_site / "print" / urlparse(href).path).resolve()
            assert (path / "index.html").is_file() or path.is_file(), f"{href} leads nowhere"
    assert not article.cssselect("[data-playbook-history]"), "an item's history line is its own page's"
    markup = etree.tostring(article, encoding="unicode")
    assert "report-a-learning" not in markup, "the link that reports a learning is the item page's"
    assert "playbook:print" not in markup, "a mark for an item page was left unfilled"


def test_every_page_has_the_whole_navigation_and_marks_its_own_entry(default_site: Path) -> None:
    """The navigation a page outside it shows is rendered once per folder: on every page its links lead where they
    should, and a page in the navigation (a rollout step) still marks itself there."""
    playbook, _problems, _count = check(REPO)
    assert playbook.roadmap is not None
    step = playbook.roadmap.steps[-1]
    pages = [f"patterns/{next(iter(playbook.patterns))}", f"policies/{next(iter(playbook.policies))}",
             f"rollout/{step.id}", "standards"]
    for page in pages:
        nav = one(_page(default_site / page / "index.html"), "nav.md-nav--primary")
        assert "Pattern catalog" in " ".join(words(nav)), page
        for link in nav.cssselect("a[href]"):
            if urlparse(link.get("href")).scheme:
                continue
            target = (default_site / page / urlparse(link.get("href")).path).resolve()
            assert (target / "index.html").is_file() or target.is_file(), f"{page}: {link.get('href')} leads nowhere"
        active = [" ".join(words(a)) for a in nav.cssselect("a.md-nav__link--active")]
        if page.startswith(("patterns/", "policies/")):
            assert active == [], f"{page} is in no entry of the navigation: {active}"
        else:
            assert active, f"{page} does not mark its own entry"
    step_nav = one(_page(default_site / f"rollout/{step.id}" / "index.html"), "nav.md-nav--primary")
    assert step.title in " ".join(" ".join(words(a)) for a in step_nav.cssselect("a.md-nav__link--active"))


def test_a_template_escapes_every_value_once_and_leaves_its_own_markup_alone() -> None:
    """Values are escaped by one policy (finalize), never twice; what a template's own macro or ``set``
    block writes is Markup, written as it is."""
    from playbook.site.text import _environment

    template = _environment().from_string(
        "{{ value }}|{% set bold %}<b>{{ value }}</b>{% endset %}{{ bold }}|"
        "{% macro em(text) %}<em>{{ text }}</em>{% endmacro %}{{ em(value) }}|{{ number }}"
    )
    escaped = "&lt;script&gt;&#42;x&#42; &amp; &quot;q&quot;&lt;/script&gt;"
    assert template.render(value='<script>*x* & "q"</script>', number=3) == (
        f"{escaped}|<b>{escaped}</b>|<em>{escaped}</em>|3")
