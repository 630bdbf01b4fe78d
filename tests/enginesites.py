"""The generated tree built by each engine, each in a virtualenv of its own without our package, for tests.

The virtualenvs are made from the package registry once per machine, in ``engines/<engine>-<key>`` of the tests'
tools cache (``sitebuild.TOOLS_CACHE``, shared by every clone), the key naming the Python and the engine's pinned
requirements (``playbook.site.build.ENGINES``): a new pin makes a new virtualenv. ``make test`` on a fresh machine
(CI) makes them on its first run. The one with this checkout installed is keyed by the checkout's folder too.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import warm
from playbook.site.build import ENGINES, Engine
from sitebuild import REPO, TOOLS_CACHE

CACHE = TOOLS_CACHE / "engines"
GENERATOR = {
    "mkdocs": "mkdocs-1.6.1, mkdocs-material-9.8.1",
    "properdocs": "mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.1",
    "zensical": "zensical-0.0.73",
}
"""What each engine writes in the built pages' ``<meta name="generator">``: the site was built by it, at the
version pinned."""
SAME_SITE_AS = {"mkdocs": "properdocs"}
"""Engines that build the generated tree into another engine's site, byte for byte but the generator line
(tests/test_engines.py holds them to it on every run): the browser has nothing new to find in theirs."""


@dataclass(frozen=True)
class EngineSite:
    """A generated tree built by one engine."""

    engine: str
    tree: Path
    """The tree the engine built: mkdocs.yml, docs/, overrides/."""
    site: Path
    """The built site."""
    seconds: float
    """How long the engine's build took."""
    output: str
    """What the engine printed."""


def engine_venv(engine: Engine) -> Path:
    """A virtualenv holding only the engine's pinned requirements, made once and kept in the cache."""
    return _venv(engine.name, list(engine.requirements))


def engine_with_playbook_venv(engine: Engine) -> Path:
    """A virtualenv with the engine and this checkout installed (editable, with its dependencies): to run the
    macros module under the engine's own macros support. Made again when the dependencies change."""
    import tomllib

    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return _venv(f"{engine.name}-with-playbook", [*engine.requirements, "-e", str(REPO)], dependencies)


def _venv(name: str, requirements: list[str], also_keyed_by: object = None) -> Path:
    # The Python it is made from: a virtualenv runs its base interpreter, by path.
    key = json.dumps([sys.version_info[:3], sys.base_prefix, requirements, also_keyed_by])
    venv = CACHE / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    done = venv / ".complete"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as lock:
        # Workers of one run (pytest-xdist) wait for the one making it.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.is_file():
            return venv
        shutil.rmtree(venv, ignore_errors=True)
        # No pip of its own (ensurepip alone costs 5 s of CPU): this Python's pip installs into it.
        run([sys.executable, "-m", "venv", "--without-pip", str(venv)], CACHE)
        run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
             "--disable-pip-version-check", *requirements], CACHE)
        done.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    return venv


def clean_env(venv: Path) -> dict[str, str]:
    """The environment of someone with only the engine installed: its bin/ first, nothing of this checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PLAYBOOK_ROOT", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, timeout=900)
    if result.returncode != 0:
        raise AssertionError(f"{command} failed:\n{result.stdout}\n{result.stderr}")
    return result


def generate(root: Path, out: Path, engine: str = "mkdocs") -> Path:
    """``playbook generate --engine ENGINE`` on the playbook at ``root``, as a user runs it (in a warm fork, see
    warm.py)."""
    result = warm.playbook("generate", "--root", str(root), "--engine", engine, str(out), cwd=root)
    assert result.returncode == 0, result.output
    return out


def build_tree(engine: Engine, tree: Path) -> EngineSite:
    """The engine's strict build of ``tree``, in its own virtualenv; the tree's site/ is the result."""
    import time

    venv = engine_venv(engine)
    command = [str(venv / "bin" / engine.name), "build", "--strict", "--config-file", str(tree / "mkdocs.yml")]
    start = time.perf_counter()
    result = run(command, tree, clean_env(venv))
    seconds = time.perf_counter() - start
    return EngineSite(engine.name, tree, tree / "site", seconds, result.stdout + result.stderr)


def engine_names() -> list[str]:
    return list(ENGINES)
