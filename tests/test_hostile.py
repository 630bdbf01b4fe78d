"""Hostile input and safe output: broken files fail fast with their line, payloads stay text, nothing is lost.

Every broken case starts from a copy of ``tests/fixtures/valid/small`` with one file changed; the payload cases
go into one copy together, each with items of its own. The cases themselves are in ``tests/hostile/cases.py``.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hostile.cases import (
    BROKEN,
    CYRILLIC_A,
    FRAMEWORK_PAYLOAD,
    HTML_PAYLOADS,
    MARKDOWN_FIELDS,
    PWNED,
    TEMPLATE_PAYLOADS,
    TEXT_FIELDS,
    BrokenCase,
    PayloadCase,
    edit,
    item_ids,
    labelled,
    shown,
    write_framework_payload,
    write_payloads,
)
from hostile.cases import (
    plain as plain_case,
)
from lxml import etree
from lxml.html import HtmlElement

import warm
from pagetext import read_page, visible
from playbook.cli.main import main
from sitebuild import REPO, assemble, build, once_per_run
from warm import Ran

BASE = REPO / "tests" / "fixtures" / "valid" / "small"
CHECK_SECONDS = 2.0
BUILD_SECONDS = 10.0
PEAK_MIB = 300
HANG_SECONDS = 60
"""A command still running after this long is killed and the case fails as a hang."""


def playbook_copy(tmp_path: Path) -> Path:
    """The base playbook with the repository's site sources, at ``tmp_path/pb``."""
    root = assemble(BASE, tmp_path / "pb")
    index = root / "docs" / "index.md"
    if not index.exists():
        index.write_text("---\ntitle: Home\n---\n\n# AI governance playbook\n\nStart with the "
                         "[pattern catalog](standards.md).\n", encoding="utf-8")
    return root


def playbook_command(root: Path, *args: str) -> Ran:
    """``playbook ARGS --root ROOT``, measured, and killed as a hang after HANG_SECONDS."""
    return warm.playbook(*args, "--root", str(root), cwd=root, timeout=HANG_SECONDS)


def leftovers(folder: Path) -> list[str]:
    """Staging folders a build left behind."""
    return sorted(p.name for p in folder.iterdir() if re.match(r"^\.site-(new|old)-", p.name))


def snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """SHA-256 of every file under ``root`` by relative path, not following links, except under ``skip``."""
    hashes = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in skip or "__pycache__" in rel or path.is_dir() and not path.is_symlink():
            continue
        data = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
        hashes[rel] = hashlib.sha256(data).hexdigest()
    return hashes


# Broken files ---------------------------------------------------------------------------------


def test_corpus_is_large_enough() -> None:
    assert len(BROKEN) + len(TEMPLATE_PAYLOADS) + len(HTML_PAYLOADS) >= 30
    names = [c.name for c in BROKEN] + [c.name for c in TEMPLATE_PAYLOADS + HTML_PAYLOADS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", BROKEN, ids=lambda c: c.name)
def test_broken_file_fails_check_and_build_fast_at_its_line(case: BrokenCase, tmp_path: Path) -> None:
    root = playbook_copy(tmp_path)
    case.make(root)

    check = playbook_command(root, "check")
    assert check.stdout.splitlines() == case.expected
    assert check.returncode == 1
    assert check.stderr == ""
    assert check.cpu_seconds < CHECK_SECONDS, f"check used {check.cpu_seconds:.2f} s of CPU"
    assert check.peak_mib < PEAK_MIB, f"check peaked at {check.peak_mib:.0f} MiB"
    # CPU time, not wall time: on a busy machine wall time counts other processes' work, and speed
    # targets live in benchmarks/. A file that makes the reader spin shows here; one that hangs, in run_measured.

    built = playbook_command(root, "build")
    assert built.returncode == 1, built.output
    assert "Traceback" not in built.output
    lines = built.output.splitlines()
    for expected in case.expected:
        assert expected in lines, f"the build does not print {expected!r}:\n{built.output}"
    assert f"error: the site was not built; {root / 'site'} is unchanged" in lines
    assert built.cpu_seconds < BUILD_SECONDS, f"build used {built.cpu_seconds:.2f} s of CPU"
    assert built.peak_mib < PEAK_MIB, f"build peaked at {built.peak_mib:.0f} MiB"
    assert not (root / "site").exists()
    assert leftovers(root) == []
    assert not (tmp_path / PWNED).exists(), "a YAML tag ran a command"


def test_unsafe_tag_payload_would_run_if_loaded_unsafely(tmp_path: Path) -> None:
    """The tag cases above are live: an unsafe YAML loader runs them, so their file not appearing means something."""
    case = next(c for c in BROKEN if c.name == "python-object-apply")
    root = playbook_copy(tmp_path)
    case.make(root)
    yaml.unsafe_load((root / "patterns" / "llm-gateway.yml").read_text(encoding="utf-8"))
    assert (tmp_path / PWNED).exists()


# Payloads -------------------------------------------------------------------------------------
# Every payload case writes a pattern, a policy, a learning and a use case of its own into one playbook, each field
# labelled with the case's name; the framework files and the pilot hold FRAMEWORK_PAYLOAD. Beside it the same
# playbook is built with plain words for every payload. Page for page, the payload site may hold nothing the plain
# one does not: each finding is put down to the case whose label comes last before it, so a case's test fails for
# what its payload did, and the framework's test for what no case's did.

UNSAFE_SCHEME = re.compile(r"^(javascript|data|vbscript|file):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset"}
EMBEDDING = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style"}
EVALUATED = ("docs_dir", "site_url", "markdown_extensions", "navigation.tabs", "<class", "AI Governance Playbook")
"""What a payload would print if Jinja ran it: config keys, mkdocs.yml lines, Python classes, site_name."""
MACRO_BLOCKS = ("pb-filter", "pb-assess", "pb-checklist", "pb-roadmap", "pb-question")
"""Classes of the blocks macros write; a macro called from YAML text would add one."""
PAYLOADS = TEMPLATE_PAYLOADS + HTML_PAYLOADS
SHARED_PAGES = {
    "learning-index": "learnings/index.html",
    "catalog": "standards/index.html",
    "policy-index": "policies/index.html",
    "print": "print/index.html",
    "assessment": "assessment/index.html",
    "candidates": "pattern-candidates/index.html",
}
"""Pages that show every case's items."""
LABEL = re.compile(r"\b(?:pattern|policy|learning|usecase)-[a-z0-9-]+?-("
                   + "|".join(sorted((re.escape(c.name) for c in PAYLOADS), key=len, reverse=True)) + r")(?![\w-])")
"""A field's label (cases.label); its group is the case's name."""
PARTS = {"article", "header", "nav", "aside", "footer", "form", "dialog"}
"""The parts of a page a finding is put down to a case within."""


def case_pages(case: PayloadCase) -> dict[str, str]:
    """The pages that show the case's fields: its own items' pages, then the shared ones."""
    ids = item_ids(case)
    own = {kind: f"{folder}/{ids[kind]}/index.html" for kind, folder in
           (("pattern", "patterns"), ("policy", "policies"), ("learning", "learnings"), ("usecase", "usecases"))}
    return {**own, **SHARED_PAGES}


def is_unsafe_url(value: str) -> bool:
    squeezed = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value))
    return bool(UNSAFE_SCHEME.match(squeezed))


def element_hazards(element: HtmlElement) -> set[tuple[str, ...]]:
    """What in one element can run code or load a page: a script, a handler, an unsafe address, an embed.

    Our own ``<script type="application/json">`` data blocks are data, checked by :func:`data_blocks`.
    """
    found: set[tuple[str, ...]] = set()
    if element.tag == "script" and element.get("type") != "application/json":
        body = hashlib.sha256((element.text or "").encode()).hexdigest()
        found.add(("script", element.get("src") or "", body))
    elif element.tag in EMBEDDING:
        found.add((element.tag, hashlib.sha256(etree.tostring(element, with_tail=False)).hexdigest()))
    elif element.tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
        found.add(("meta-refresh", str(element.get("content"))))
    for attribute, value in element.attrib.items():
        if attribute.lower().startswith("on"):
            found.add(("handler", element.tag, attribute, value))
        if attribute.lower() in URL_ATTRIBUTES and is_unsafe_url(value):
            found.add(("url", element.tag, attribute, value))
    return found


def data_blocks(page: HtmlElement) -> list[object]:
    """The parsed JSON of every data block; each must parse and none may close its script element."""
    parsed = []
    for element in page.iter("script"):
        if element.get("type") != "application/json":
            continue
        raw = element.text or ""
        assert "</" not in raw, f"a data block can be closed from inside: {raw[:200]}"
        if (element.get("id") or "").startswith("pb-"):
            assert "<" not in raw and ">" not in raw, "our data blocks escape < and >"
        parsed.append(json.loads(raw))
    return parsed


def strings_in(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings_in(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings_in(value)]
    return []


def article(page: HtmlElement) -> HtmlElement:
    found = page.find(".//article")
    assert found is not None
    return found


class Labels:
    """The cases' labels in a text, in order, to name the case a finding comes right after."""

    def __init__(self, text: str) -> None:
        found = list(LABEL.finditer(text))
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]
        self.cases = [m[1] for m in found]

    def before(self, offset: int, since: int = 0) -> str | None:
        """The case of the last label ending before ``offset`` and starting at ``since`` or later."""
        index = bisect.bisect_right(self.ends, offset) - 1
        return self.cases[index] if index >= 0 and self.starts[index] >= since else None


def _labels(text: str | None) -> list[str]:
    return LABEL.findall(text) if text else []


class PageLabels:
    """Where each case's labels are in a page, in the order the page's source has them (its tree walked in document
    order: a start tag's attributes, its text, its children each with the text after it), to name the case each
    element belongs to: the last label in its attributes, else the last one before it in the same part of the page
    (the article, the header, the navigation: every page's header lists every case's category, and they say nothing
    of what the article holds)."""

    def __init__(self, page: HtmlElement) -> None:
        self.cases: list[str] = []
        self.of: dict[HtmlElement, str | None] = {}
        self._walk(page, 0)

    def _walk(self, element: HtmlElement, since: int) -> None:
        if not isinstance(element.tag, str):  # a comment or a processing instruction: its text is in the source
            self.cases += _labels(element.text)
            return
        before = len(self.cases)
        own = [case for value in element.attrib.values() for case in _labels(value)]
        self.of[element] = own[-1] if own else self.cases[-1] if before > since else None
        self.cases += own
        self.cases += _labels(element.text)
        inner = before if element.tag in PARTS else since
        for child in element:
            self._walk(child, inner)
            self.cases += _labels(child.tail)


@dataclass(frozen=True)
class PageFacts:
    text: str
    """What a reader sees of the whole page."""
    hazards: Counter[tuple[tuple[str, ...], str | None]]
    """What can run code or load a page, with the case it comes after."""
    evaluated: Counter[tuple[str, str | None]]
    """Evaluation markers in the article's text, with the case whose label comes last before each."""
    blocks: Counter[tuple[str, str | None]]
    """Macro blocks, with the case each comes after."""


def page_facts(path: Path) -> PageFacts:
    """What a page holds; its data blocks are checked on the way."""
    page = read_page(path)
    data_blocks(page)
    labels = PageLabels(page)
    hazards: Counter[tuple[tuple[str, ...], str | None]] = Counter()
    blocks: Counter[tuple[str, str | None]] = Counter()
    for element, case in labels.of.items():
        for hazard in element_hazards(element):
            hazards[hazard, case] += 1
        classes = (element.get("class") or "").split()
        for name in MACRO_BLOCKS:
            if name in classes:
                blocks[name, case] += 1
    body = page.find(".//article")
    words = visible(body if body is not None else page)
    text_labels = Labels(words)
    evaluated = Counter((marker, text_labels.before(m.start()))
                        for marker in EVALUATED for m in re.finditer(re.escape(marker), words))
    return PageFacts(visible(page), hazards, evaluated, blocks)


def findings(payload: dict[str, PageFacts], plain: dict[str, PageFacts]) -> list[tuple[str | None, str]]:
    """What the payload site holds and the plain one does not, each with the case it is put down to (None: no
    case's label comes before it) and a line saying what and where."""
    found: list[tuple[str | None, str]] = []
    for rel in sorted(payload.keys() ^ plain.keys()):
        case = next((c.name for c in sorted(PAYLOADS, key=lambda c: -len(c.name)) if f"-{c.name}/" in rel), None)
        found.append((case, f"{rel} is in the {'payload' if rel in payload else 'plain'} site only"))
    known = {hazard for facts in plain.values() for hazard, _case in facts.hazards}
    for rel in sorted(payload.keys() & plain.keys()):
        facts, base = payload[rel], plain[rel]
        found += [(case, f"{rel} holds what the theme does not: {hazard}")
                  for hazard, case in facts.hazards if hazard not in known]
        for kind, counts, base_counts in (("evaluated", facts.evaluated, base.evaluated),
                                          ("macro block", facts.blocks, base.blocks)):
            for (what, case) in (counts - base_counts) + (base_counts - counts):
                found.append((case, f"{rel}: {kind} {what!r} {counts[what, case]} times, "
                                    f"with plain words {base_counts[what, case]}"))
    return found


@dataclass
class PayloadSites:
    site: Path
    """The payload site."""
    pages: dict[str, PageFacts]
    """Its pages by path."""
    findings: list[tuple[str | None, str]]
    read: dict[str, HtmlElement] = field(default_factory=dict)

    def page(self, rel: str) -> HtmlElement:
        if rel not in self.read:
            self.read[rel] = read_page(self.site / rel)
        return self.read[rel]


def built_payload_site(folder: Path, cases: list[PayloadCase], framework_payload: str) -> dict[str, PageFacts]:
    root = playbook_copy(folder)
    write_payloads(root, cases)
    write_framework_payload(root, framework_payload)
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    return {page.relative_to(site).as_posix(): page_facts(page) for page in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="session")
def payload_sites(tmp_path_factory: pytest.TempPathFactory) -> PayloadSites:
    """Every payload case in one site, and the same site with plain words, built and read once."""
    def make(folder: Path) -> PayloadSites:
        plain = built_payload_site(folder / "plain", [plain_case(c) for c in PAYLOADS], "plain words")
        payload = built_payload_site(folder / "payload", PAYLOADS, FRAMEWORK_PAYLOAD)
        return PayloadSites(folder / "payload" / "pb" / "site", payload, findings(payload, plain))

    return once_per_run(tmp_path_factory, "payloads", make)


def where_shown(kind: str, label: str) -> tuple[str, ...]:
    # The printed playbook leaves the register out.
    return (kind, *(() if kind == "usecase" else ("print",)), *TEXT_FIELDS[kind][label])


@pytest.mark.parametrize("case", PAYLOADS, ids=lambda c: c.name)
def test_payload_is_shown_as_text_and_never_run(case: PayloadCase, payload_sites: PayloadSites) -> None:
    pages = case_pages(case)
    texts = {name: payload_sites.pages[rel].text for name, rel in pages.items()}
    read = {name: payload_sites.page(pages[name]) for name in ("pattern", "policy", "learning", "assessment")}

    for kind, fields in TEXT_FIELDS.items():
        for label in fields:
            expected = shown(kind, label, case)
            for page in where_shown(kind, label):
                assert expected in texts[page], f"{kind} {label} is not shown literally on the {page} page"
            if (kind, label) in MARKDOWN_FIELDS:
                for extra in case.markdown_extra_shown:
                    assert " ".join(extra.split()) in texts[kind], f"{kind} {label}: {extra!r} is not shown"

    title = shown("pattern", "title", case)
    assert visible(read["pattern"].find(".//h1")).removesuffix("¶") == title
    assert visible(read["pattern"].find(".//title")).startswith(title)
    assert visible(read["policy"].find(".//title")).startswith(shown("policy", "title", case))
    assert visible(read["learning"].find(".//h1")).removesuffix("¶") == shown("learning", "title", case)
    assert visible(read["learning"].find(".//title")).startswith(shown("learning", "title", case))
    data = [s for block in data_blocks(read["assessment"]) for s in strings_in(block)]
    for kind in ("pattern", "policy"):
        assert labelled(kind, "title", case).strip() in data, f"the assessment data lacks the {kind} title"

    # Nothing runs: no page holds a script, handler, address, macro block or evaluated text after this case's
    # labels that the same page with plain words does not.
    mine = [line for name, line in payload_sites.findings if name == case.name]
    assert not mine, "\n".join(mine)

    # The search index is data: search.js shows its text as text (textContent), never as HTML, so the
    # payload must be there as written, neither escaped nor dropped.
    index = json.loads((payload_sites.site / "search" / "playbook-index.json").read_text(encoding="utf-8"))
    titles = {(r[0], r[1]): " ".join(r[2].split()) for r in index["records"]}
    ids = item_ids(case)
    for kind in ("pattern", "policy", "learning"):
        assert titles[(kind, ids[kind])] == shown(kind, "title", case)


def test_framework_text_is_shown_as_text(payload_sites: PayloadSites) -> None:
    """Tiers, thresholds, roadmap, decision rights and pilots go through the same renderers' escaping."""
    no_case = [line for name, line in payload_sites.findings if name is None]
    assert not no_case, "\n".join(no_case)
    roadmap = visible(article(payload_sites.page("rollout/index.html")))
    assert f"Agree who decides what and publish the first patterns. {FRAMEWORK_PAYLOAD}" in roadmap


def test_unsafe_markdown_links_lose_their_address(payload_sites: PayloadSites) -> None:
    case = next(c for c in HTML_PAYLOADS if c.name == "markdown-links")
    pages = case_pages(case)
    for page in (pages["pattern"], pages["policy"]):
        body = article(payload_sites.page(page))
        links = {a.text_content(): a.get("href") for a in body.cssselect(".pb-md a")}
        for text in ("js", "JS", "ent", "sp", "vb", "dt", "ref"):
            assert text in links and links[text] is None, (page, text, links.get(text))
        assert links["ok"] == "https://example.com/ok"
        assert all(img.get("src") is None for img in body.cssselect(".pb-md img"))


# Nothing is lost ------------------------------------------------------------------------------

ANSWERS = ["-a", "personal-data=no", "-a", "budget=0", "-a", "audience=staff", "-a", "data-kinds=public"]
OUTPUTS = ("site", "out", "schemas")
"""Where the commands below may write; everything else must keep its bytes."""
COMMANDS: list[tuple[list[str], int | None, str]] = [
    # (arguments, exit code or None for either, text the output must hold)
    (["check"], 0, "0 errors, 0 warnings in 10 files"),
    (["check", "--strict", "--format", "json"], 0, "[]"),
    (["report"], 0, ""),
    (["report", "--format", "json"], 0, ""),
    (["assess", "--questions"], 0, ""),
    (["assess", *ANSWERS, "-p", "llm-gateway"], 0, ""),
    (["assess", "-f", "patterns/llm-gateway.yml"], 1, ""),
    (["export"], 0, '"patterns"'),
    (["export", "--out", "out/playbook.json"], 0, ""),
    (["export", "--out", "out/playbook.json"], 1, "already exists"),
    (["export", "--format", "csv", "--out", "out/csv"], 0, ""),
    (["export", "--out", "patterns/llm-gateway.yml"], 1, "error: "),
    (["export", "--out", "framework/risk-tiers.yml"], 1, "error: "),
    (["export", "--format", "csv", "--out", "patterns/llm-gateway.yml"], 1, ""),
    (["new", "pattern", "llm-gateway", "--title", "Replacement", "--no-interactive"], 1,
     "patterns/llm-gateway.yml already exists"),
    (["new", "policy", "pii-redaction", "--pattern", "llm-gateway", "--no-interactive"], 1,
     "policies/pii-redaction.yml already exists"),
    (["new", "pilot", "claims-team", "--no-interactive"], 1, "pilots/claims-team.yml already exists"),
    (["new", "learning", "triage-missed-new-claim-types", "--team", "claims-team", "--no-interactive"], 1,
     "learnings/triage-missed-new-claim-types.yml already exists"),
    (["new", "learning", "index", "--team", "claims-team", "--no-interactive"], 1, "its page would be"),
    (["new", "pattern", "LLM-Gateway", "--no-interactive"], 1, ""),
    (["new", "pattern", "../framework/roadmap", "--no-interactive"], 1, ""),
    (["new", "pattern", f"llm-g{CYRILLIC_A}teway", "--no-interactive"], 1, ""),
    (["synth", "--out", "patterns"], 1, "not an empty folder"),
    (["diff", "HEAD"], None, ""),
    (["schemas"], 0, ""),
    (["build", "--quiet"], 0, "site built in"),
    (["build", "--quiet"], 0, "site built in"),
    (["build", "--site-dir", "."], 1, "holds the playbook itself"),
    (["build", "--site-dir", ".."], 1, "holds the playbook itself"),
    (["build", "--site-dir", "patterns"], 1, "inside patterns/"),
    (["build", "--site-dir", "docs"], 1, "inside docs/"),
]


def invoke(root: Path, args: list[str]) -> tuple[int, str]:
    """Run one command in-process from the playbook's folder; a traceback fails the test."""
    full = args if args[0] == "synth" else [*args, "--root", str(root)]
    result = CliRunner().invoke(main, full)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"playbook {' '.join(args)} crashed:\n{result.output}") from result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_no_command_changes_or_removes_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = playbook_copy(tmp_path)
    monkeypatch.chdir(root)
    before = snapshot(root)
    outside = snapshot(tmp_path, skip=("pb",))
    for args, code, text in COMMANDS:
        exit_code, output = invoke(root, args)
        assert code is None or exit_code == code, f"playbook {' '.join(args)} exited {exit_code}:\n{output}"
        assert text in output, f"playbook {' '.join(args)} does not say {text!r}:\n{output}"
    after = snapshot(root)
    assert {rel: h for rel, h in after.items() if rel.split("/")[0] not in OUTPUTS} == before
    assert snapshot(tmp_path, skip=("pb",)) == outside
    assert leftovers(root) == [] and leftovers(tmp_path) == []
    assert (root / "site" / "index.html").is_file()


@pytest.mark.parametrize("kind, item_id", [("pattern", "rag-search"), ("policy", "pii-redaction"),
                                           ("pilot", "claims-team"), ("learning", "triage-missed-new-claim-types")])
def test_new_refuses_to_overwrite(kind: str, item_id: str, tmp_path: Path) -> None:
    root = playbook_copy(tmp_path)
    before = snapshot(root)
    extra = {"policy": ["--pattern", "llm-gateway"], "learning": ["--team", "claims-team"]}.get(kind, [])
    exit_code, output = invoke(root, ["new", kind, item_id, *extra, "--no-interactive"])
    folder = {"pattern": "patterns", "policy": "policies", "pilot": "pilots", "learning": "learnings"}[kind]
    assert exit_code == 1
    assert f"error: {folder}/{item_id}.yml already exists" in output
    assert snapshot(root) == before


def break_yaml(root: Path) -> None:
    edit("patterns/llm-gateway.yml", "tiers: [minimal, elevated, high]", "tiers: [minimal, elevated, high")(root)


def break_link(root: Path) -> None:
    page = root / "docs" / "contributing.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the missing page](missing.md).\n", encoding="utf-8")


@pytest.mark.parametrize("breakage", [break_yaml, break_link], ids=["broken-yaml", "broken-link"])
def test_failed_build_leaves_the_previous_site(breakage: Callable[[Path], None], tmp_path: Path) -> None:
    root = playbook_copy(tmp_path)
    first = build(root)
    assert first.returncode == 0, first.stdout + first.stderr
    (root / "site" / ".git").mkdir()
    (root / "site" / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    site = snapshot(root / "site")
    breakage(root)
    again = build(root)
    assert again.returncode == 1
    assert "Traceback" not in again.stdout + again.stderr
    assert f"error: the site was not built; {root / 'site'} is unchanged" in again.stderr
    assert snapshot(root / "site") == site
    assert leftovers(root) == []


def test_successful_rebuild_keeps_hidden_entries(tmp_path: Path) -> None:
    root = playbook_copy(tmp_path)
    assert build(root).returncode == 0
    (root / "site" / ".git").mkdir()
    (root / "site" / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (root / "site" / "stale.html").write_text("old page\n", encoding="utf-8")
    assert build(root).returncode == 0
    assert (root / "site" / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/gh-pages\n"
    assert not (root / "site" / "stale.html").exists()
    assert leftovers(root) == []

