"""Fixtures shared by the site tests: the default playbook built once per session, and its generated tree built by
each engine."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from enginesites import EngineSite, build_tree, engine_names, generate
from playbook.site.build import ENGINES
from sitebuild import REPO, assemble, build, once_per_run


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own playbook, built strictly as `playbook build` does, once for all workers."""

    def make(folder: Path) -> Path:
        root = assemble(REPO, folder)
        result = build(root)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "end of life" not in (result.stdout + result.stderr).lower()
        return root / "site"

    return once_per_run(tmp_path_factory, "default", make)


@pytest.fixture(scope="session")
def generated_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`playbook generate` of the repository's own playbook, once per session."""
    root = assemble(REPO, tmp_path_factory.mktemp("tree-source"))
    return generate(root, tmp_path_factory.mktemp("tree") / "tree")


@pytest.fixture(scope="session")
def engine_sites(generated_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], EngineSite]:
    """The generated tree built by an engine, in its own virtualenv; each engine builds once per session."""
    built: dict[str, EngineSite] = {}

    def site_of(name: str) -> EngineSite:
        if name not in built:
            tree = tmp_path_factory.mktemp(f"tree-{name}") / "tree"
            shutil.copytree(generated_tree, tree)
            built[name] = build_tree(ENGINES[name], tree)
        return built[name]

    return site_of


@pytest.fixture(scope="session", params=engine_names())
def engine_site(request: pytest.FixtureRequest, engine_sites: Callable[[str], EngineSite]) -> EngineSite:
    """Each engine's build of the generated tree: a test taking it runs once per engine."""
    return engine_sites(request.param)
