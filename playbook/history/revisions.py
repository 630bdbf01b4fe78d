"""A playbook as it is at a git revision: its YAML read with ``git ls-tree`` and ``git cat-file`` into a
temporary folder and loaded with the engine's own reader, or the working tree as it stands."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from playbook.check.validate import check
from playbook.data.kinds import kind_of_path
from playbook.data.model.playbook import Playbook
from playbook.data.problems import PlaybookError

WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Revision:
    """One side of the comparison."""

    label: str
    """The revision as the user gave it, or ``working tree``."""
    commit: str | None
    """The commit it names, abbreviated; None for the working tree."""
    playbook: Playbook
    errors: int
    """How many errors ``playbook check`` finds at this revision; items that did not load are left out."""

    @property
    def shown(self) -> str:
        if self.commit is None:
            return f"the {self.label}"
        return f"`{self.label}` (`{self.commit}`)" if self.commit != self.label else f"`{self.label}`"


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise PlaybookError("git is not installed or not on PATH; playbook diff reads revisions with git") from None


def repo_prefix(root: Path) -> str:
    """The playbook's folder relative to the top of its git repository, ending in ``/`` unless empty."""
    if not root.is_dir():
        raise PlaybookError(f"{root} is not a folder; pass the playbook's folder with --root")
    done = _git(root, "rev-parse", "--show-prefix")
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip()
        if "not a git repository" not in reason:
            # Such as git refusing a repository owned by another user (safe.directory).
            raise PlaybookError(f"git cannot read the repository at {root.resolve()}: {reason}")
        raise PlaybookError(
            f"{root.resolve()} is not inside a git repository; playbook diff compares two git revisions "
            "of the playbook (run it in a clone)"
        )
    return done.stdout.decode().strip()


def resolve(root: Path, rev: str) -> str:
    done = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.returncode != 0 or not done.stdout.strip():
        raise PlaybookError(
            f"unknown revision '{rev}'; give a branch, tag or commit of this repository, such as main or HEAD~1"
        )
    return done.stdout.decode().strip()


def _wanted(rel: str) -> bool:
    """Files the loader reads: the framework files and the top level of each collection folder."""
    kind = kind_of_path(rel)
    return kind is not None and (not kind.collection or rel.endswith((".yml", ".yaml")))


def export_revision(root: Path, commit: str, prefix: str, dest: Path) -> int:
    """Write the playbook files of ``commit`` under ``dest``; returns how many were written."""
    tree = f"{commit}:{prefix}"
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", tree)
    if listing.returncode != 0:
        raise PlaybookError(f"the playbook folder '{prefix or './'}' does not exist at {commit[:12]}")
    blobs: list[tuple[str, str]] = []
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, obj = meta.decode().split()
        rel = name.decode("utf-8", errors="replace")
        # Symbolic links and submodules are not playbook data; the loader refuses links that leave the root.
        if kind == "blob" and mode != "120000" and _wanted(rel):
            blobs.append((rel, obj))
    if not blobs:
        return 0
    batch = _git(root, "cat-file", "--batch", stdin="".join(f"{obj}\n" for _, obj in blobs).encode())
    if batch.returncode != 0:
        raise PlaybookError(f"git could not read the files of {commit[:12]}: {batch.stderr.decode().strip()}")
    out, pos = batch.stdout, 0
    for rel, _obj in blobs:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        content = out[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return len(blobs)


def _errors(root: Path) -> tuple[Playbook, int]:
    playbook, problems, _count = check(root)
    return playbook, sum(p.severity == "error" for p in problems)


def read_revision(root: Path, rev: str | None) -> Revision:
    """Load the playbook as it is at ``rev``, or in the working tree when ``rev`` is None."""
    if rev is None:
        playbook, errors = _errors(root)
        return Revision(WORKING_TREE, None, playbook, errors)
    prefix = repo_prefix(root)
    commit = resolve(root, rev)
    short = _git(root, "rev-parse", "--short", commit).stdout.decode().strip() or commit[:12]
    with tempfile.TemporaryDirectory(prefix="playbook-diff-") as tmp:
        export_revision(root, commit, prefix, Path(tmp))
        playbook, errors = _errors(Path(tmp))
    return Revision(rev, short, playbook, errors)
