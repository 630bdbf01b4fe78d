"""A non-editable install of a built wheel, in a fresh virtualenv, is all a new playbook needs.

The virtualenv does not see this environment's packages, so the install proves the wheel's dependencies too. pip
takes them from a folder of wheels (``--no-index --find-links``) that ``pip download`` fills from the package
registry once per machine, in the tests' tools cache, keyed by the wheel's own requirements: the registry is asked
only when they change, and the install does not wait on the network (the wheel's install took 9.7 s asking the
registry, 6.1 s from the folder).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest
from test_own_macros import owner_list

from sitebuild import REPO, TOOLS_CACHE

pytestmark = pytest.mark.install


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, timeout=900)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def shipped(*under: str) -> set[str]:
    """The files git would ship (tracked, or new and not ignored), below ``under`` if given, as a clone has them."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", *under], REPO).stdout
    return {rel for rel in filter(None, listed.split("\0")) if (REPO / rel).is_file()}


def wheelhouse(name: str, requirements: list[str]) -> Path:
    """A folder with a wheel of each of ``requirements`` and of what they need, downloaded once per machine; a new
    requirement makes a new folder."""
    key = json.dumps([sys.version_info[:2], platform.machine(), sorted(requirements)])
    folder = TOOLS_CACHE / "wheels" / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".complete").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--dest",
                 str(folder), *requirements], folder.parent)
            (folder / ".complete").write_text("\n".join(requirements) + "\n", encoding="utf-8")
    return folder


def requirements_of(wheel: Path) -> list[str]:
    """What the wheel's metadata asks pip to install, extras included (``properdocs; extra == "properdocs"``)."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
    return metadata.get_all("Requires-Dist") or []


def pip_install(venv: Path, *requirements: str, wheels: Path) -> None:
    run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet", "--no-compile",
         "--disable-pip-version-check", "--no-index", "--find-links", str(wheels), *requirements], venv.parent)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    # The wheel is built from the files git would ship (tracked, or new and not ignored), as a
    # clone for a Git-URL install has them: nothing of this checkout's build/ or egg-info leaks in.
    source = work / "source"
    for rel in shipped():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, source / rel)
    # Built as pip builds a Git-URL install, in an isolated environment holding the build-system requirements.
    build_requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check", "--no-index",
         "--find-links", str(wheelhouse("build", build_requires)), "--wheel-dir", str(work / "dist"), str(source)],
        work)
    return next((work / "dist").glob("ai_governance_playbook-*.whl"))


@pytest.fixture(scope="module")
def wheels(wheel: Path) -> Path:
    """Wheels of the wheel's requirements and of its properdocs extra's, as its metadata states them."""
    return wheelhouse("install", [r.split(";")[0].strip() for r in requirements_of(wheel)
                                  if "extra ==" not in r or 'extra == "properdocs"' in r])


@pytest.fixture(scope="module")
def venv(wheel: Path, wheels: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = tmp_path_factory.mktemp("install") / "venv"
    # No system site packages: every dependency must come from the wheel's own requirements.
    run([sys.executable, "-m", "venv", "--without-pip", str(env)], env.parent)
    pip_install(env, str(wheel), wheels=wheels)
    return env


@pytest.fixture(scope="module")
def properdocs(venv: Path, wheels: Path) -> Path:
    """The same virtualenv with ProperDocs added, at the version the engine's ``properdocs`` extra pins."""
    pins = run([str(venv / "bin" / "python"), "-c",
                "import importlib.metadata as m; print(*m.requires('ai-governance-playbook'), sep='\\n')"],
               venv).stdout.splitlines()
    pin = next(line.split(";")[0].strip() for line in pins if line.startswith("properdocs"))
    assert re.fullmatch(r"properdocs==[0-9.]+", pin), pin
    pip_install(venv, pin, wheels=wheels)
    return venv / "bin" / "properdocs"


def clean_env(venv: Path) -> dict[str, str]:
    """The environment of someone who just installed the engine: its bin/ first, nothing of this checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PLAYBOOK_ROOT", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_the_install_is_a_real_copy_with_the_plugin_and_the_macros(venv: Path, tmp_path: Path) -> None:
    probe = (
        "import importlib.metadata as m, playbook, playbook.macros; "
        "print(playbook.__file__); "
        "print([e.value for e in m.entry_points(group='mkdocs.plugins') if e.name == 'playbook'])"
    )
    lines = run([str(venv / "bin" / "python"), "-c", probe], tmp_path, clean_env(venv)).stdout.splitlines()
    assert Path(lines[0]).is_relative_to(venv), "the engine was imported from outside the new virtualenv"
    assert lines[1] == "['playbook.site.plugin:PlaybookPlugin']"


def test_the_install_holds_every_file_the_package_ships(venv: Path) -> None:
    """Every file of playbook/ that git ships is installed: the templates, scripts and styles, the messages and the
    starter playbook in every language, so that what tests/test_init.py does from the checkout in each language,
    the install does too; the example playbook ``playbook init`` writes comes from the repository's own."""
    site_packages = next((venv / "lib").glob("python*/site-packages"))
    installed = {p.relative_to(site_packages).as_posix() for p in (site_packages / "playbook").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts}
    package = shipped("playbook")
    assert len(package) > 200 and {"playbook/i18n/nl/site.yml", "playbook/site/assets/assess.js"} <= package
    assert package - installed == set(), "the wheel leaves these out"
    assert {f"playbook/example/{name}/" for name in ("framework", "patterns", "policies")} <= {
        rel.rsplit("/", 1)[0] + "/" for rel in installed}


@pytest.mark.parametrize("language", ["nl"])
def test_init_then_build_with_the_installed_engine(venv: Path, tmp_path: Path, language: str) -> None:
    """In Dutch, words and all: English is what the other install tests build (ProperDocs, the shipped playbook),
    and every language's files are installed (the test above)."""
    env = clean_env(venv)
    folder = tmp_path / "empty"
    folder.mkdir()
    run(["playbook", "init", "our-playbook", "--language", language], folder, env)
    root = folder / "our-playbook"
    checked = run(["playbook", "check", "--strict"], root, env)
    assert checked.stdout.endswith(f"0 errors, 0 warnings in {len(list(root.glob('*/*.yml')))} files\n")
    built = run(["playbook", "build"], root, env)
    assert f"site built in {root / 'site'}" in built.stdout
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}"' in home
    assert (root / "site" / "patterns" / "llm-gateway" / "index.html").is_file()
    assert (root / "site" / "assets" / "playbook" / "assess.js").is_file()
    # The wheel carries the example's own macros: the contributing page shows what the one in macros/ lists.
    assert (root / "macros" / "__init__.py").is_file()
    assert "LLM gateway with cost controls" in str(owner_list(root / "site"))
    # mkdocs-macros' inventory of modules and macros stays out of the output.
    assert "[macros]" not in built.stdout + built.stderr


def test_properdocs_builds_the_shipped_playbook_strictly(properdocs: Path, venv: Path, tmp_path: Path) -> None:
    # ProperDocs takes the mkdocs plugins and themes as they are, Material and ours included.
    site = tmp_path / "site"
    built = run([str(properdocs), "build", "--strict", "--config-file", str(REPO / "mkdocs.yml"),
                 "--site-dir", str(site)], REPO, clean_env(venv))
    assert "Documentation built" in built.stderr
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<meta name="generator" content="mkdocs-ProperDocs [0-9.]+, mkdocs-material-', home), (
        "the site was not built by ProperDocs"
    )
    assert "LLM gateway" in (site / "patterns" / "llm-gateway" / "index.html").read_text(encoding="utf-8")
    assert (site / "playbook.json").is_file()
