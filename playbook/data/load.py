"""Read a playbook's folder into typed models: every kind in the registry, gathering every problem."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from playbook.data.kinds import KINDS, Kind
from playbook.data.model.playbook import Playbook
from playbook.data.model_errors import schema_problems
from playbook.data.problems import Problem
from playbook.data.reader import file_bytes, read_yaml, read_yaml_bytes
from playbook.data.source import Source
from playbook.data.wording import Words

__all__ = ["ReadFiles", "load", "parse_bytes", "parse_item", "read_yaml"]


Parsed = tuple[BaseModel | None, Source, list[Problem]]
"""A file read as a kind of playbook data: the item (None when it has an error), where its values are, its problems."""


def parse_item(path: Path, rel: str, kind: Kind) -> Parsed:
    """Read one file as one kind of playbook data."""
    return _typed(*read_yaml(path, rel), kind)


class ReadFiles:
    """Each file a load read, with its bytes and what they parsed to: the next load given it parses again only the
    files whose bytes changed. ``playbook serve`` loads the playbook at every save, which changes one file.

    The items are frozen models, so two loads can share one; a file's problems come from its bytes alone."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, str], tuple[bytes, Parsed]] = {}
        """By path and kind, the files of the last load."""
        self.now: dict[tuple[str, str], tuple[bytes, Parsed]] = {}
        """The same, of this load: only the files it read are kept for the next."""

    def start(self) -> None:
        self.last, self.now = self.now, {}

    def parse(self, path: Path, rel: str, kind: Kind) -> Parsed:
        """:func:`parse_item`, from what the last load parsed when the file's bytes are the same."""
        try:
            raw, size = file_bytes(path)
        except OSError:
            return parse_item(path, rel, kind)
        key = (rel, kind.name)
        last = self.last.get(key)
        parsed = last[1] if last is not None and last[0] == raw else _typed(*read_yaml_bytes(raw, rel, size), kind)
        self.now[key] = (raw, parsed)
        return parsed[0], parsed[1], list(parsed[2])


def parse_bytes(raw: bytes, rel: str, kind: Kind) -> tuple[BaseModel | None, Source, list[Problem]]:
    """Read one file's bytes (a version of it in git, say) as one kind of playbook data."""
    return _typed(*read_yaml_bytes(raw, rel), kind)


def _typed(data: Any, source: Source, problems: list[Problem], kind: Kind
           ) -> tuple[BaseModel | None, Source, list[Problem]]:
    if problems:
        return None, source, problems
    model = kind.model
    try:
        return model.model_validate(data), source, []
    except ValidationError as exc:
        return None, source, schema_problems(exc, model, source)


def _link_problem(entry: Path, rel: str, real_root: Path) -> Problem | None:
    """Why a file that is a symbolic link cannot be read, or None when it is no link or stays inside the playbook."""
    if not entry.is_symlink():
        return None
    try:
        target = entry.resolve(strict=True)
    except (OSError, RuntimeError):
        return Problem(rel, 1, 1, "error", "unreadable", Words("broken-link"))
    if not target.is_relative_to(real_root):
        return Problem(rel, 1, 1, "error", "outside-root", Words("outside-root"))
    return None


def _collection_files(root: Path, folder: str) -> tuple[list[Path], list[Problem]]:
    directory = root / folder
    try:
        # scandir's entries know whether they are links or files without a stat call per file.
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    files: list[Path] = []
    problems: list[Problem] = []
    real_root = root.resolve()
    for entry in entries:
        name = entry.name
        rel = f"{folder}/{name}"
        if name.startswith("."):
            continue
        if name.endswith(".yaml"):
            problems.append(Problem(rel, 1, 1, "error", "file-name", Words("yaml-extension")))
            continue
        if not name.endswith(".yml"):
            continue
        path = directory / name
        if entry.is_symlink():
            link_problem = _link_problem(path, rel, real_root)
            if link_problem is not None:
                problems.append(link_problem)
                continue
        if not entry.is_file():
            continue
        files.append(path)
    return files, problems


def load(root: Path | str, read: ReadFiles | None = None) -> tuple[Playbook, list[Problem], int]:
    """Load every playbook file under ``root``; with ``read``, parse only the files that changed since its last load.

    Returns the playbook (holding the items that parsed), the problems found while
    reading, and how many files were read.
    """
    # Loading makes hundreds of thousands of small objects that all stay alive and form no
    # reference cycles, so the cycle collector would only walk them again and again: a third
    # of the time for a large playbook. Whatever loading throws away, reference counting frees.
    # (Handing them straight to the oldest generation with freeze() and unfreeze() saved another
    # 50 ms, but it hides them from the collector's count of old objects: in `mkdocs serve` each
    # rebuild's garbage then stayed, 7 MB a rebuild.)
    paused = gc.isenabled()
    gc.disable()
    if read is not None:
        read.start()
    parse = read.parse if read is not None else parse_item
    try:
        return _load(Path(root), parse)
    finally:
        if paused:
            gc.enable()


def _load(root: Path, parse: Callable[[Path, str, Kind], Parsed]) -> tuple[Playbook, list[Problem], int]:
    playbook = Playbook(root=root)
    problems: list[Problem] = []
    count = 0
    real_root = root.resolve()
    for kind in KINDS:
        if kind.collection:
            found, read = _load_collection(playbook, kind, parse)
        else:
            found, read = _load_single_file(playbook, kind, real_root, parse)
        problems += found
        count += read
    return playbook, problems, count


def _load_single_file(playbook: Playbook, kind: Kind, real_root: Path, parse: Callable[[Path, str, Kind], Parsed]
                      ) -> tuple[list[Problem], int]:
    rel = kind.path_of()
    path = playbook.root / rel
    link_problem = _link_problem(path, rel, real_root)
    if link_problem is not None:
        return [link_problem], 0
    if not path.is_file():
        return [Problem(rel, 1, 1, "error", "missing-file", Words("missing-file", path=rel))], 0
    item, source, problems = parse(path, rel, kind)
    playbook.sources[(kind.name, "")] = source
    if item is not None:
        setattr(playbook, kind.attribute, item)
    return problems, 1


def _load_collection(playbook: Playbook, kind: Kind, parse: Callable[[Path, str, Kind], Parsed]
                     ) -> tuple[list[Problem], int]:
    assert kind.folder is not None
    folder, id_field = kind.folder, kind.id_field
    files, problems = _collection_files(playbook.root, folder)
    # Each of these problems is a file left unread: a .yaml name or a link that cannot be followed.
    playbook.unloaded.update((kind.name, Path(p.path).stem) for p in problems)
    items = kind.items(playbook)
    misnamed: list[tuple[str, str, int, int]] = []
    for path in files:
        rel = f"{folder}/{path.name}"
        item, source, found = parse(path, rel, kind)
        problems += found
        if item is None:
            playbook.unloaded.add((kind.name, path.stem))
            continue
        item_id = kind.id_of(item)
        if item_id != path.stem:
            line, column = source.at((id_field,))
            misnamed.append((item_id, rel, line, column))
            continue
        items[item_id] = item
        playbook.sources[(kind.name, item_id)] = source
    for item_id, rel, line, column in misnamed:
        stem = Path(rel).stem
        if item_id in items:
            words = Words("id-taken", kind=kind.name, id=item_id, folder=folder)
            problems.append(Problem(rel, line, column, "error", "duplicate-id", words, field=id_field,
                                    value=item_id, target_kind=kind.name, target_id=item_id))
        else:
            playbook.unloaded.update({(kind.name, item_id), (kind.name, stem)})
            words = Words("id-not-file-name", field=id_field, id=item_id, stem=stem)
            problems.append(Problem(rel, line, column, "error", "file-name", words, field=id_field,
                                    value=item_id, suggestion=stem))
    return problems, len(files)
