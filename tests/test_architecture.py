"""The package's layout holds: the stages import downwards only (import-linter's contracts in pyproject.toml),
no module imports one that imports it back, no folder holds more than 12 modules, and no Python code builds
HTML: markup lives in the Jinja2 templates of playbook/site/templates/, which escape every value."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the package in ``root``, with ``root``'s pyproject.toml and no cache."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
    )


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layout")
    shutil.copytree(REPO / "playbook", root / "playbook", ignore=shutil.ignore_patterns("__pycache__", "example"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_package_keeps_every_contract() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("lower", "higher"), [
    ("playbook/data/source.py", "playbook.cli.main"),
    ("playbook/assess/classify.py", "playbook.register.cases"),
    ("playbook/register/cases.py", "playbook.check.validate"),
    ("playbook/data/model/items.py", "playbook.data.kinds"),
    ("playbook/site/pages/items.py", "playbook.site.plugin"),
])
def test_a_lower_module_importing_a_higher_one_breaks_the_check(scratch: Path, lower: str, higher: str) -> None:
    path = scratch / lower
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + f"\nimport {higher}  # noqa\n", encoding="utf-8")
        result = lint_imports(scratch)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1, result.stdout
    importer = lower.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {higher}" in result.stdout
    assert "BROKEN" in result.stdout


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = grimp.build_graph("playbook", include_external_packages=False)
    circles = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )
    assert circles == []


def test_no_folder_holds_more_than_twelve_modules() -> None:
    crowded = {
        str(folder.relative_to(REPO)): count
        for folder in [REPO / "playbook", *(p for p in (REPO / "playbook").rglob("*") if p.is_dir())]
        if (count := len(list(folder.glob("*.py")))) > 12
    }
    assert crowded == {}


def test_help_lists_every_command_under_its_stage() -> None:
    from click.testing import CliRunner

    from playbook.cli.main import SECTIONS, main

    listed = [name for names in SECTIONS.values() for name in names]
    assert sorted(listed) == sorted(main.commands)
    help_text = CliRunner().invoke(main, ["--help"]).output
    assert "Other commands" not in help_text
    for title, names in SECTIONS.items():
        section = help_text.split(f"{title}:\n", 1)[1].split("\n\n", 1)[0]
        assert [line.split()[0] for line in section.splitlines()] == list(names)


HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s>/])")
"""An opening or closing tag: ``<li>``, ``<span class=``, ``</ul>``, ``<br/>``; not ``a < b`` or ``<{id}>``."""
HTML_IN_PYTHON: frozenset[str] = frozenset()
"""The places allowed to build HTML in Python, as ``"path: function"``, each with a comment there saying why.
There may be at most three; today there is none."""


def _text(node: ast.AST) -> str | None:
    """The text of a string literal; an f-string's with ``{}`` for each value it inserts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _has_tag(node: ast.AST) -> bool:
    text = _text(node)
    return text is not None and HTML_TAG.search(text) is not None


def html_built_in_python(source: str) -> list[tuple[int, str]]:
    """(line, how) of every f-string, ``%``, ``.format``, ``+`` or ``join`` that makes text holding an HTML tag."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr) and _has_tag(node):
            found.append((node.lineno, "f-string"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _has_tag(node.left):
            found.append((node.lineno, "%"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and (
                _has_tag(node.left) or _has_tag(node.right)):
            found.append((node.lineno, "+"))
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and any(
                _has_tag(part) for part in ast.walk(node.value)):
            found.append((node.lineno, "+="))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "format" and _has_tag(node.func.value):
                found.append((node.lineno, ".format"))
            elif node.func.attr == "join" and any(_has_tag(part) for arg in node.args for part in ast.walk(arg)):
                found.append((node.lineno, "join"))
    return sorted(set(found))


def _function_at(tree: ast.Module, line: int) -> str:
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                 and node.lineno <= line <= (node.end_lineno or node.lineno)]
    return min(functions, key=lambda f: (f.end_lineno or f.lineno) - f.lineno).name if functions else "<module>"


@pytest.mark.parametrize(("snippet", "how"), [
    ('x = f"<li>{title}</li>"', "f-string"),
    ("x = '<a href=\"%s\">' % url", "%"),
    ("x = '<span class=\"{}\">'.format(css)", ".format"),
    ("x = '<ul>' + items", "+"),
    ("x = items + '</ul>'", "+"),
    ("out += ['<br/>']", "+="),
    ("x = ''.join('<td>' for c in cells)", "join"),
])
def test_the_html_check_finds_each_way_of_building_a_tag(snippet: str, how: str) -> None:
    assert html_built_in_python(snippet) == [(1, how)]


@pytest.mark.parametrize("snippet", [
    'x = f"{a} < {b}"', 'x = f"# keep the file at {folder}/<{id}>.yml"', 'x = f"{title} <{url}>"',
    '"""A docstring may name <li> elements."""', "x = '<li>'",
])
def test_the_html_check_leaves_comparisons_placeholders_and_plain_strings_alone(snippet: str) -> None:
    assert html_built_in_python(snippet) == []


def test_no_python_module_of_the_package_builds_html() -> None:
    assert len(HTML_IN_PYTHON) <= 3
    found = []
    for path in sorted((REPO / "playbook").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(REPO).as_posix()
        tree = ast.parse(source)
        found += [f"{rel}:{line}: {how} in {function}" for line, how in html_built_in_python(source)
                  if f"{rel}: {(function := _function_at(tree, line))}" not in HTML_IN_PYTHON]
    assert found == [], "HTML belongs in a template of playbook/site/templates/, rendered with autoescape"
