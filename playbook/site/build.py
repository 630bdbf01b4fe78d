"""Run mkdocs for the playbook: a strict build that replaces site/ only on success, and serve."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playbook.data.kinds import data_folders
from playbook.data.problems import PlaybookError


def mkdocs_env() -> dict[str, str]:
    """The environment for mkdocs: Material's end-of-life notice off, so build output stays clean."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def _config(root: Path) -> Path:
    config = root / "mkdocs.yml"
    if not config.is_file():
        raise PlaybookError(f"no mkdocs.yml in {root}; run the command in the playbook's folder or pass --root")
    return config.resolve()  # mkdocs runs in the playbook's folder, where a relative path would point elsewhere


SOURCE_DIRS = ("docs", *data_folders())
"""Folders the site is built from: a site put in their place would replace them."""


def _refuse_source_target(root: Path, target: Path) -> None:
    """The swap replaces ``target`` whole, so it must not hold the playbook or be one of its folders."""
    real_root = root.resolve()
    instead = f"choose a folder of its own, such as {real_root / 'site'}"
    if real_root.is_relative_to(target):
        raise PlaybookError(
            f"the site folder {target} holds the playbook itself, which the build would replace; {instead}"
        )
    for name in SOURCE_DIRS:
        if target.is_relative_to(real_root / name):
            raise PlaybookError(
                f"the site folder {target} is inside {name}/, which the site is built from; {instead}"
            )


def build_site(root: Path, site_dir: Path | None = None, quiet: bool = False) -> Path:
    """Build strictly into a fresh folder, then swap it in: a failed build leaves the old site as it was."""
    config = _config(root)
    target = (site_dir or root / "site").resolve()
    _refuse_source_target(root, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
               "--site-dir", str(staging)]
    if quiet:
        command.append("--quiet")
    result = subprocess.run(command, env=mkdocs_env(), cwd=root)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise PlaybookError(f"the site was not built; {target} is unchanged")
    old = None
    if target.exists():
        # As mkdocs does, keep hidden entries a build never writes, such as the .git of a publishing checkout.
        for entry in target.iterdir():
            if entry.name.startswith(".") and not (staging / entry.name).exists():
                os.rename(entry, staging / entry.name)
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.rename(target, old / target.name)
    os.rename(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def serve_site(root: Path, address: str, open_browser: bool = False) -> int:
    """Serve with live reload; the playbook plugin also watches framework/, patterns/, policies/ and pilots/."""
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(_config(root)), "--dev-addr", address]
    if open_browser:
        command.append("--open")
    try:
        return subprocess.run(command, env=mkdocs_env(), cwd=root).returncode
    except KeyboardInterrupt:
        return 0
