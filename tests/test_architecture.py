"""The package's layout holds: the stages import downwards only (import-linter's contracts in pyproject.toml),
no module imports one that imports it back, and no folder holds more than 12 modules."""

from __future__ import annotations

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
