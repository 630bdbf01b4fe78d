"""Fixtures shared by the site tests: the default playbook built once per run, and its generated tree built by
each engine; and the order the tests start in, the longest first."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import warm
from enginesites import EngineSite, build_tree, engine_names, generate
from playbook.site.build import ENGINES
from sitebuild import REPO, Initialised, assemble, build, once_per_run

LONGEST_FIRST = (
    "tests/test_install.py",
    "tests/browser/test_search_hits.py::test_a_sample_of_a_large_synthetic_playbook",
    "tests/test_engines.py",
    "tests/browser/test_engines.py",
    "tests/browser/test_assessment.py::test_answers_given_in_the_form_classify_as_in_python",
    "tests/test_hostile.py::test_payload_is_shown_as_text_and_never_run",
    "tests/test_whatsnew_site.py",
    "tests/test_serve.py",
    "tests/test_init.py",
    "tests/test_site.py",
)
"""Tests that take longest (seconds to a minute each, as ``--durations`` shows them), by node id or its start.
pytest-xdist hands each worker a share of the tests in this order and moves waiting ones to a worker that has run
out: a long test started last would keep its worker busy after the others have finished. Whole modules move, or
tests that use no module fixture, so module fixtures are still made once."""


BROWSER = Path(__file__).parent / "browser"
"""Every test in here drives Chromium: `make test-fast` does not even collect the folder."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(BROWSER):
            item.add_marker(pytest.mark.browser)

    def rank(item: pytest.Item) -> int:
        return next((n for n, start in enumerate(LONGEST_FIRST) if item.nodeid.startswith(start)), len(LONGEST_FIRST))

    items.sort(key=rank)


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
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Initialised]:
    """``playbook init --language LANGUAGE`` (the example) and its site, built outside any git repository; made
    once a run for each language. A test that changes the playbook works on a copy."""

    def of(language: str) -> Initialised:
        def make(folder: Path) -> Initialised:
            folder.mkdir()
            root = folder / "our-playbook"
            outside = {"GIT_CEILING_DIRECTORIES": str(folder)}
            done = warm.playbook("init", root, "--language", language, cwd=folder, env=outside)
            assert done.returncode == 0, done.stderr
            built = warm.playbook("build", "--root", root, cwd=root, env=outside)
            assert built.returncode == 0, built.output
            return Initialised(root, done.stdout)

        return once_per_run(tmp_path_factory, f"init-{language}", make)

    return of


@pytest.fixture(scope="session")
def tree_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's own playbook to generate trees of."""
    return assemble(REPO, tmp_path_factory.mktemp("tree-source"))


@pytest.fixture(scope="session")
def generated_tree(tree_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`playbook generate` of the repository's own playbook (for MkDocs and ProperDocs), once per session."""
    return generate(tree_source, tmp_path_factory.mktemp("tree") / "tree")


@pytest.fixture(scope="session")
def engine_sites(generated_tree: Path, tree_source: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], EngineSite]:
    """The tree generated for an engine, built by it in its own virtualenv; each engine builds once per session."""
    built: dict[str, EngineSite] = {}

    def site_of(name: str) -> EngineSite:
        if name not in built:
            tree = tmp_path_factory.mktemp(f"tree-{name}") / "tree"
            if ENGINES[name].links_from_source:
                generate(tree_source, tree, name)
            else:
                shutil.copytree(generated_tree, tree)
            built[name] = build_tree(ENGINES[name], tree)
        return built[name]

    return site_of


@pytest.fixture(scope="session", params=engine_names())
def engine_site(request: pytest.FixtureRequest, engine_sites: Callable[[str], EngineSite]) -> EngineSite:
    """Each engine's build of the generated tree: a test taking it runs once per engine."""
    return engine_sites(request.param)
