"""Where a build reads and writes: the playbook's mkdocs.yml, a target folder that may be replaced, and the swap
that puts a finished build in its place. Light on purpose: ``playbook build`` imports it before it knows it will
build anything."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from playbook.data.kinds import data_folders
from playbook.data.problems import PlaybookError

MARKER = ".playbook-generated"
"""Written into every generated tree: ``playbook generate`` replaces a folder holding it, and refuses any other
folder that is not empty."""
SOURCE_DIRS = ("docs", *data_folders())
"""Folders the site is built from: nothing generated may be put in their place."""


def config_path(root: Path) -> Path:
    config = root / "mkdocs.yml"
    if not config.is_file():
        raise PlaybookError(f"no mkdocs.yml in {root}; run the command in the playbook's folder or pass --root")
    return config.resolve()


def refuse_source_target(root: Path, target: Path, what: str = "site") -> None:
    """``target`` is replaced whole, so it must not hold the playbook or be inside one of its source folders."""
    real_root = root.resolve()
    suggestion = real_root / "site" if what == "site" else real_root.parent / f"{real_root.name}-{what}"
    instead = f"choose a folder of its own, such as {suggestion}"
    if real_root.is_relative_to(target):
        raise PlaybookError(f"the {what} folder {target} holds the playbook itself, which would be replaced; {instead}")
    for name in SOURCE_DIRS:
        if target.is_relative_to(real_root / name):
            raise PlaybookError(
                f"the {what} folder {target} is inside {name}/, which the site is built from; {instead}"
            )


def swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` in ``target``'s place; hidden entries a build never writes (a publishing checkout's .git)
    are kept, as mkdocs keeps them."""
    # mkdtemp made it private; the folder it replaces was made with the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    old = None
    if target.exists():
        for entry in target.iterdir():
            if entry.name.startswith(".") and entry.name != MARKER and not (staging / entry.name).exists():
                os.rename(entry, staging / entry.name)
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.rename(target, old / target.name)
    os.rename(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
