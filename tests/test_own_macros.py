"""The playbook's own macros (the repository's macros/ folder) run beside the engine's, and a broken one
stops the build with a message naming its file and line."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, Tag

from sitebuild import REPO, assemble, build

SMALL = REPO / "tests" / "fixtures" / "valid" / "small"
"""A small playbook: the repository's pages and macros beside it, as in every assembled playbook."""


def owner_list(site: Path) -> dict[str, list[tuple[str, str]]]:
    """The contributing page's list of pattern owners: owner -> (title, address) of each pattern linked."""
    page = BeautifulSoup((site / "contributing" / "index.html").read_text(encoding="utf-8"), "html.parser")
    heading = page.find(id="pattern-owners")
    assert isinstance(heading, Tag), "the contributing page has no pattern owners section"
    listed = heading.find_next("ul")
    assert isinstance(listed, Tag)
    owners = {}
    for item in listed.find_all("li", recursive=False):
        owner = item.find("strong").get_text().removesuffix(":")
        owners[owner] = [(a.get_text(), a["href"]) for a in item.find_all("a")]
    return owners


def test_the_contributing_page_names_each_pattern_owner_and_links_their_patterns(default_site: Path) -> None:
    expected: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in sorted((REPO / "patterns").glob("*.yml")):
        pattern = yaml.safe_load(path.read_text(encoding="utf-8"))
        expected[pattern["owner"]].append((pattern["title"], f"../patterns/{pattern['id']}/"))
    shown = owner_list(default_site)
    assert list(shown) == sorted(expected, key=str.casefold)
    for owner, patterns in expected.items():
        assert shown[owner] == sorted(patterns, key=lambda p: p[0].casefold()), owner
    for _owner, patterns in shown.items():
        for _title, href in patterns:
            assert (default_site / "contributing" / href / "index.html").resolve().is_file(), href


def test_a_macro_that_fails_to_load_stops_the_build_at_its_line(tmp_path: Path) -> None:
    root = assemble(SMALL, tmp_path / "pb")
    macros = root / "macros" / "__init__.py"
    text = macros.read_text(encoding="utf-8")
    macros.write_text(text + "\nLIMIT = 1 / 0\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    result = build(root)
    assert result.returncode == 1
    assert (f"the playbook's own macros in macros/ did not load: macros/__init__.py:{line}: "
            "ZeroDivisionError: division by zero") in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (root / "site").exists()


def test_a_macro_that_fails_on_a_page_stops_the_build_naming_page_and_line(tmp_path: Path) -> None:
    root = assemble(SMALL, tmp_path / "pb")
    macros = root / "macros" / "__init__.py"
    text = macros.read_text(encoding="utf-8")
    assert "pattern.owner," in text
    macros.write_text(text.replace("pattern.owner,", "pattern.owners,"), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "pattern.owner," in row)
    result = build(root)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "_File_: `contributing.md`" in output
    assert f'macros/__init__.py", line {line}, in pattern_owners' in output
    assert "AttributeError: 'Pattern' object has no attribute 'owners'" in output
    assert not (root / "site").exists()
