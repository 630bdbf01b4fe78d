"""Each commit's changes kept between builds, by commit id, in one file outside the docs (safe to delete).

A commit never changes, so its changes are computed once; the file names the engine version, the kinds it
knew and the playbook's place in the repository, and a build by another engine, with other kinds, simply
starts it afresh.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from playbook.data.kinds import KINDS
from playbook.history.changes import Change

CACHE_FILE = Path(".cache") / "playbook" / "history.json"
"""Where the cache lives, relative to the playbook's folder."""
FORMAT = 1
"""Raised when what a change records, or how it is computed, changes."""

_CHANGES = TypeAdapter(dict[str, list[Change]])


def fingerprint(version: str, prefix: str = "") -> str:
    """What a cached change depends on besides its commit: the engine, the kinds it reads, the playbook's folder."""
    kinds = ",".join(f"{kind.name}:{kind.folder or kind.file}" for kind in KINDS)
    return f"{FORMAT}|{version}|{kinds}|{prefix}"


def load_cache(path: Path, key: str) -> dict[str, list[Change]]:
    """The cached changes by commit id; none when the file is missing, unreadable or from another fingerprint."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("fingerprint") != key:
            return {}
        return _CHANGES.validate_python(data.get("commits", {}))
    except (OSError, ValueError, ValidationError):
        return {}


def save_cache(path: Path, key: str, changes: Mapping[str, list[Change]]) -> bool:
    """Write the cache whole, atomically; False when the folder cannot be written (a read-only checkout)."""
    data = {"fingerprint": key, "commits": _CHANGES.dump_python(dict(changes), mode="json", exclude_defaults=True)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=".history-",
                                         suffix=".tmp", delete=False) as tmp:
            json.dump(data, tmp, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp.name, path)
    except OSError:
        return False
    return True
