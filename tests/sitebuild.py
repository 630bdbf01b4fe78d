"""Build a playbook's site into a temporary folder, the way `playbook build` does, for tests."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

import pytest

import warm
from playbook.data.kinds import data_folders

REPO = Path(__file__).resolve().parent.parent
TOOLS_CACHE = Path(os.environ.get("PLAYBOOK_TEST_CACHE")
                   or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ai-governance-playbook-tests")
"""Where the tests keep the tools they fetch once per machine, for every clone (as pre-commit keeps its
environments): the engines' virtualenvs and axe-core, each in a folder named by its pinned versions.
``PLAYBOOK_TEST_CACHE`` names another folder; deleting it costs only the next run's set-up."""
SITE_SOURCES = ["mkdocs.yml", "docs", "macros"]
"""The site's sources beside the data: configuration, hand-written pages, the organisation's own macros.
An entry a tree lacks (an older checkout, for a benchmark) is skipped."""
DATA_DIRS = data_folders()
BASE_CONFIG = "mkdocs.base.yml"
"""Where the repository's mkdocs.yml goes when the playbook brings a mkdocs.yml of its own."""
T = TypeVar("T")


@dataclass(frozen=True)
class Initialised:
    """A playbook ``playbook init`` wrote (conftest's ``initialised``)."""

    root: Path
    """The new playbook, its site built in site/."""
    output: str
    """What ``playbook init`` printed."""


def assemble(data_root: Path, target: Path, sources: Path = REPO) -> Path:
    """A playbook folder at ``target``: the repository's site sources plus ``data_root``'s YAML.

    ``sources`` is the tree the site sources come from: another checkout of the repository, for a
    benchmark that compares two versions of the site.

    A ``mkdocs.yml`` in ``data_root`` (a fixture's ``theme.language``, say) overrides the
    repository's: mkdocs merges it over the repository's file through ``INHERIT``, so the fixture
    site keeps the repository's plugins and extensions and says only what differs.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in SITE_SOURCES:
        source = sources / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, target / name)
    for name in DATA_DIRS:
        if (data_root / name).is_dir():
            shutil.copytree(data_root / name, target / name)
    own_config = data_root / "mkdocs.yml"
    # The repository's own mkdocs.yml is the site's, not an override, whichever tree the sources are.
    if own_config.is_file() and own_config.resolve() not in {(d / "mkdocs.yml").resolve() for d in (REPO, sources)}:
        shutil.copy2(sources / "mkdocs.yml", target / BASE_CONFIG)
        text = own_config.read_text(encoding="utf-8")
        (target / "mkdocs.yml").write_text(f"INHERIT: {BASE_CONFIG}\n{text}", encoding="utf-8")
    return target


def build(root: Path, site_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `playbook build` on ``root`` (in a warm fork, see warm.py); the caller checks the return code and output."""
    arguments = ["build", "--root", str(root)] + (["--site-dir", str(site_dir)] if site_dir is not None else [])
    return warm.playbook(*arguments, cwd=root).completed()


def once_per_run(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """``make(folder)`` once per test run, for whichever pytest-xdist worker asks first; the others wait for it
    and read what it made (pickled), instead of each building the same site again.

    What ``make`` returns is shared with every worker, like a session fixture's value: tests only read it.
    """
    base = factory.getbasetemp()
    # Each worker's temporary folder is inside the run's; without xdist there is the one.
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        made = shared / f"{name}.pickle"
        if made.is_file():
            return cast(T, pickle.loads(made.read_bytes()))
        value = make(shared / name)
        made.write_bytes(pickle.dumps(value))
        return value
