"""Fixtures shared by the site tests: the default playbook built once per run, and its generated tree built by
each engine; and the order the tests start in, the longest first."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import warm
from enginesites import SAME_SITE_AS, EngineSite, build_tree, engine_names, generate
from playbook.site.build import ENGINES
from sitebuild import REPO, Initialised, assemble, build, once_per_run

LONGEST_FIRST: tuple[tuple[tuple[str, ...], float], ...] = (
    # The engines' two modules share each engine's site (built once per worker): they stay on one worker.
    (("tests/test_engines.py", "tests/browser/test_engines.py"), 75),
    (("tests/browser/test_search_hits.py::test_a_sample_of_a_large_synthetic_playbook",), 45),
    (("tests/test_install.py",), 36),
    (("tests/test_serve.py",), 30),
    (("tests/test_whatsnew_site.py",), 17),
    (("tests/test_init.py",), 7),
    (("tests/test_site.py",), 5),
    (("tests/test_hostile.py::test_payload_is_shown_as_text_and_never_run",), 4),
)
"""The tests that take longest, by node id or its start, in groups that run on one worker, with the seconds each
group took on this 2-core machine (``--durations``; 2026-12-03 16:20, when it ran slow). Whole modules move, or
tests that use no module fixture, so module fixtures are still made once.

pytest-xdist's ``worksteal`` hands worker k the k-th of equal slices of the list, and a worker that runs out takes
waiting tests from the end of another's slice. With every long test at the head of the list they all fell in the
first slice, one after another on one worker (about half of the run's work: it was the run's length whenever it
was more than half); each slice now starts with its share of them, dealt longest first to the least loaded."""


BROWSER = Path(__file__).parent / "browser"
"""Every test in here drives Chromium: `make test-fast` does not even collect the folder."""


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> Iterator[None]:
    for item in items:
        if item.path.is_relative_to(BROWSER):
            item.add_marker(pytest.mark.browser)
    yield  # `-m` and `-k` deselect here: the slices are of the tests that run
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    items[:] = dealt(items, workers)


def dealt(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """``items`` ordered so that each of the ``workers`` slices worksteal makes starts with its share of the long
    tests, and the short ones fill the slices up (in the order they were collected)."""
    groups: list[list[pytest.Item]] = [[] for _ in LONGEST_FIRST]
    short: list[pytest.Item] = []
    for item in items:
        n = next((n for n, (starts, _seconds) in enumerate(LONGEST_FIRST) if item.nodeid.startswith(starts)), None)
        (short if n is None else groups[n]).append(item)
    shares: list[list[pytest.Item]] = [[] for _ in range(workers)]
    load = [0.0] * workers
    for (_starts, seconds), group in sorted(zip(LONGEST_FIRST, groups, strict=True), key=lambda pair: -pair[0][1]):
        if group:
            least = load.index(min(load))
            shares[least] += group
            load[least] += seconds
    order: list[pytest.Item] = []
    left = len(items)
    for k, share in enumerate(shares):
        size = left // (workers - k)  # as worksteal cuts the list
        left -= size
        take = max(size - len(share), 0)
        order += share + short[:take]
        short = short[take:]
    return order + short


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


@pytest.fixture(scope="session", params=[name for name in engine_names() if name not in SAME_SITE_AS])
def browsed_engine_site(request: pytest.FixtureRequest, engine_sites: Callable[[str], EngineSite]) -> EngineSite:
    """Each engine's build of the generated tree that no other engine's build equals: the browser tests' sites."""
    return engine_sites(request.param)
