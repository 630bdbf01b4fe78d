"""The playbook's git history, read cheaply: one ``git log`` lists each commit of the main line with the blob
ids of the data files it changed, and ``git cat-file --batch`` reads only the blobs asked for.

Nothing here raises when history cannot be read: a folder outside git, git missing, or git refusing the
repository gives a :class:`Repository` whose ``missing`` says why, and the site builds without history.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from playbook.data.kinds import data_folders, kind_of_path

NO_BLOB = "0" * 40
"""The id ``git log --raw`` gives the missing side of an added or deleted file."""


class Missing(str, Enum):
    """Why a playbook's history cannot be read."""

    no_git = "no-git"
    """git is not installed, or not on PATH."""
    not_a_repository = "not-a-repository"
    """The playbook's folder is not inside a git repository (a downloaded copy, an exported tree)."""
    unreadable = "unreadable"
    """git refused the repository (another user's, say: ``safe.directory``)."""
    no_commits = "no-commits"
    """A repository with no commit yet, or none that touches the playbook's data."""
    off = "off"
    """The site's settings turn history off (the playbook plugin's ``history: false``)."""


@dataclass(frozen=True)
class FileChange:
    """One data file a commit changed, relative to the playbook's folder."""

    path: str
    status: str
    """``A`` added, ``D`` deleted, ``M`` modified (``T`` a type change counts as modified)."""
    old: str
    """The blob before, :data:`NO_BLOB` when added."""
    new: str
    """The blob after, :data:`NO_BLOB` when deleted."""


@dataclass(frozen=True)
class Commit:
    """A commit of the main line (first parents) that changed the playbook's data."""

    id: str
    when: dt.datetime
    """The committer date, with the committer's offset: when the change landed on the main line."""
    parents: tuple[str, ...]
    files: tuple[FileChange, ...]

    @property
    def day(self) -> dt.date:
        return self.when.date()


@dataclass
class Repository:
    """Where the playbook's history is, and whether it can be read."""

    root: Path
    """The playbook's folder."""
    missing: Missing | None = None
    """Why history cannot be read; None when it can."""
    reason: str = ""
    """git's own words when it refused the repository."""
    head: str | None = None
    prefix: str = ""
    """The playbook's folder inside the repository (``governance/``), empty at its top."""
    shallow: frozenset[str] = field(default_factory=frozenset)
    """The commits a shallow clone cut history at (their parents are not there); empty in a full clone."""

    @property
    def readable(self) -> bool:
        return self.missing is None


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    # The site's build must not stop at git's prompts or pager, nor read a repository-wide replacement of HEAD.
    # Messages in English (LC_ALL=C), so that "not a git repository" can be told from other refusals.
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False, env=env)


def open_repository(root: Path) -> Repository:
    """The repository holding ``root``, or why there is none to read."""
    try:
        done = _git(root, "rev-parse", "--is-inside-work-tree", "--show-prefix", "--git-path", "shallow")
    except FileNotFoundError:
        return Repository(root, Missing.no_git)
    except OSError as exc:  # git present but not runnable
        return Repository(root, Missing.no_git, str(exc))
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip()
        missing = Missing.not_a_repository if "not a git repository" in reason else Missing.unreadable
        return Repository(root, missing, reason)
    lines = done.stdout.decode(errors="surrogateescape").splitlines()
    if lines[:1] != ["true"]:
        return Repository(root, Missing.not_a_repository)
    head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if head.returncode != 0:
        return Repository(root, Missing.no_commits)
    # One line per option asked; --show-prefix's is empty at the top of the repository.
    prefix, shallow_path = (lines + ["", ""])[1:3]
    shallow_file = root / shallow_path
    shallow: frozenset[str] = frozenset()
    if shallow_path and shallow_file.is_file():
        shallow = frozenset(shallow_file.read_text(encoding="ascii", errors="replace").split())
    return Repository(root, head=head.stdout.decode().strip(), prefix=prefix, shallow=shallow)


def _is_data(path: str) -> bool:
    kind = kind_of_path(path)
    return kind is not None and (not kind.collection or path.endswith(".yml"))


def commits(repo: Repository, folders: Iterable[str] | None = None) -> list[Commit]:
    """Every commit of the main line that changed the playbook's data, oldest first.

    One ``git log`` of first parents: a merged pull request is one change, dated when it was merged,
    compared with the main line before it. Renames count as a deletion and an addition.
    """
    assert repo.head is not None
    pathspecs = [f"{folder}/" for folder in (folders or data_folders())]
    done = _git(
        repo.root, "log", "--first-parent", "--diff-merges=first-parent", "--raw", "--no-abbrev", "--no-renames",
        "--relative", "-z", "--reverse", "--format=%x01%H %cI %P%x00", repo.head, "--", *pathspecs,
    )
    if done.returncode != 0:
        return []
    found = []
    for chunk in done.stdout.split(b"\x01")[1:]:
        header, _, raw = chunk.partition(b"\x00")
        commit_id, when, *parents = header.decode().split()
        fields = raw.lstrip(b"\x00\n").split(b"\x00")
        files = []
        for meta, name in zip(fields[0::2], fields[1::2], strict=False):
            if not meta.startswith(b":"):
                continue
            _old_mode, _new_mode, old, new, status = meta[1:].decode().split()
            path = name.decode("utf-8", errors="surrogateescape")
            if _is_data(path):
                files.append(FileChange(path, "M" if status[0] == "T" else status[0], old, new))
        if files:
            found.append(Commit(commit_id, dt.datetime.fromisoformat(when), tuple(parents), tuple(files)))
    return found


def read_blobs(repo: Repository, ids: Iterable[str]) -> dict[str, bytes]:
    """The content of each blob, in one ``git cat-file --batch``; a blob git cannot find is left out."""
    wanted = list(dict.fromkeys(i for i in ids if i != NO_BLOB))
    if not wanted:
        return {}
    done = _git(repo.root, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in wanted).encode())
    out, pos, blobs = done.stdout, 0, {}
    for blob in wanted:
        header_end = out.find(b"\n", pos)
        if header_end < 0:
            break
        header = out[pos:header_end].split()
        if len(header) < 3 or header[1] != b"blob":  # "<id> missing"
            pos = header_end + 1
            continue
        size = int(header[2])
        blobs[blob] = out[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return blobs


@dataclass(frozen=True)
class Tag:
    name: str
    commit: str
    """The commit it points at, peeled through an annotated tag."""


def main_line(repo: Repository) -> list[tuple[str, dt.date]]:
    """Every commit of the main line (first parents) with its date, newest first: what places a change before or
    after a tag."""
    assert repo.head is not None
    done = _git(repo.root, "log", "--first-parent", "--format=%H %cI", repo.head)
    if done.returncode != 0:
        return []
    found = []
    for line in done.stdout.decode().splitlines():
        commit, when = line.split()
        found.append((commit, dt.datetime.fromisoformat(when).date()))
    return found


def tags(repo: Repository) -> list[Tag]:
    """The repository's tags that HEAD contains, by the commit each points at."""
    assert repo.head is not None
    done = _git(repo.root, "for-each-ref", "--merged", repo.head,
                "--format=%(objectname) %(*objectname) %(refname:strip=2)", "refs/tags")
    if done.returncode != 0:
        return []
    found = []
    for line in done.stdout.decode(errors="replace").splitlines():
        target, peeled, name = line.split(" ", 2)
        found.append(Tag(name, peeled or target))
    return found
