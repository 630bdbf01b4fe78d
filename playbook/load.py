"""Read playbook YAML into typed models, able to name the line and column of every value.

The reader works on the parser's event stream rather than on composed nodes so that it
can refuse hostile files (deep nesting, alias bombs, object tags, duplicate keys) before
they cost time or memory. Positions are found when a problem first asks for them: a file
is read a second time, recording them, only if something in it needs a line number.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import unicodedata
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .model import COLLECTIONS, FRAMEWORK_FILES, KINDS, Loc, Playbook, Positions, Source
from .problems import Problem, did_you_mean

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 1024 * 1024
"""Larger files are refused before parsing: no playbook item needs a megabyte."""
MAX_DEPTH = 32
"""Deeper nesting is refused; the deepest shipped structure is four levels."""
MAX_VALUES = 100_000
"""A file may expand to at most this many values, counting what aliases repeat."""

_SCALAR_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_STR_TAG = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = {"!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


class YamlProblem(Exception):
    def __init__(self, message: str, code: str, mark: Any = None, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.code = code
        self.line = mark.line + 1 if mark is not None else line
        self.column = mark.column + 1 if mark is not None else column


def _position(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _tag_refused(tag: str | None) -> str:
    shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag and tag.startswith("tag:yaml.org,2002:") else tag
    return f"tag '{shown}' is not allowed: playbook files hold plain data only; remove the tag"


class _Reader:
    """Builds plain Python values from parser events, recording positions as it goes if asked to.

    The loop runs once per value of every file, so it pulls events straight from the parser and
    dispatches on their class. Written with a generator and ``isinstance`` chains, and recording
    every position, reading took 1.4 times as long as PyYAML's C loader building the same values;
    this way, recording none, it takes 0.85 times as long.
    """

    def __init__(self, record: bool) -> None:
        self.record = record
        """Record where each value and key is; without it every frame's loc is None."""
        self.positions: Positions = {}
        self.key_positions: Positions = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.total = 0

    def read(self, text: str) -> Any:
        loader = SafeLoader(text)
        try:
            return self._read(loader.get_event)
        finally:
            loader.dispose()

    def _read(self, next_event: Any) -> Any:
        positions = self.positions
        anchors = self.anchors
        resolve = _resolver.resolve
        # Each frame: [container, loc (None inside a key, or when not recording), pending key or None,
        # values held, anchor]
        stack: list[list[Any]] = []
        root: Any = None
        documents = 0
        while True:
            event = next_event()
            kind = event.__class__
            # Find the value this event completes (a scalar, an alias, a finished mapping or list) ...
            if kind is yaml.ScalarEvent:
                value = event.value
                tag = event.tag
                if tag is None or tag == "!":
                    # A plain scalar may be a number, boolean, date or null; quoted and block scalars are text.
                    tag = resolve(yaml.ScalarNode, value, event.implicit) if event.implicit[0] else _STR_TAG
                if tag != _STR_TAG:
                    # Text is the event's value as it stands; only other scalars need constructing.
                    value = self._construct(event, tag)
                size = 1
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                self._count(1, event.start_mark)
                placed = False
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value, _loc, _key, size, anchor = stack.pop()
                if anchor:
                    anchors[anchor] = (value, size)
                placed = True  # its position was recorded when it began
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._check_collection_tag(event)
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(
                        f"values are nested more than {MAX_DEPTH} levels deep", "too-deep", event.start_mark
                    )
                self._count(1, event.start_mark)
                loc = self._child_loc(stack[-1]) if stack else (() if self.record else None)
                if loc is not None:
                    positions[loc] = _position(event.start_mark)
                container: dict[str, Any] | list[Any] = {} if kind is yaml.MappingStartEvent else []
                stack.append([container, loc, None, 1, event.anchor])
                continue
            elif kind is yaml.AliasEvent:
                if event.anchor not in anchors:
                    raise YamlProblem(f"unknown alias '*{event.anchor}'", "yaml-syntax", event.start_mark)
                value, size = anchors[event.anchor]
                self._count(size, event.start_mark)
                placed = False
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        "the file holds more than one YAML document; keep one item per file",
                        "yaml-syntax",
                        event.start_mark,
                    )
                continue
            elif kind is yaml.StreamEndEvent:
                return root
            else:
                continue

            # ... and put it where it belongs: at the top, as a list's next item, as a key, or as a key's value.
            if not stack:
                if self.record and not placed:
                    positions[()] = _position(event.start_mark)
                root = value
                continue
            frame = stack[-1]
            parent, loc, key = frame[0], frame[1], frame[2]
            frame[3] += size
            if parent.__class__ is list:
                if loc is not None and not placed:
                    positions[(*loc, len(parent))] = _position(event.start_mark)
                parent.append(value)
            elif key is not None:
                if loc is not None and not placed:
                    positions[(*loc, key)] = _position(event.start_mark)
                parent[key] = value
                frame[2] = None
            else:
                frame[2] = self._key(parent, loc, value, event.start_mark)

    def _count(self, n: int, mark: Any) -> None:
        self.total += n
        if self.total > MAX_VALUES:
            raise YamlProblem(
                f"the document expands to more than {MAX_VALUES:,} values (are aliases repeating each other?)",
                "too-large",
                mark,
            )

    @staticmethod
    def _construct(event: yaml.ScalarEvent, tag: str) -> Any:
        """A number, boolean, date or null from its scalar; any other tag is refused."""
        if tag not in _SCALAR_TAGS:
            if event.tag is None:
                # An untagged << or = that YAML gives a meaning of its own (merge, value).
                raise YamlProblem(
                    f"'{event.value}' has a special meaning in YAML that playbook files do not use; "
                    "write the fields out in full, or quote it if it is text",
                    "yaml-syntax",
                    event.start_mark,
                )
            raise YamlProblem(_tag_refused(event.tag), "unsafe-tag", event.start_mark)
        # libyaml's marks are not the pure-Python Mark the stubs name, but carry the same fields.
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)  # type: ignore[arg-type]
        try:
            return _constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            if tag.endswith(":timestamp") and not event.tag:
                # 2099-02-30 looks like a date but is none; the model reports it at its field.
                return event.value
            if tag.endswith(":int"):
                raise YamlProblem(
                    f"{_describe(event.value)} has too many digits to be a number; quote it if it is text",
                    "bad-value",
                    event.start_mark,
                ) from exc
            raise YamlProblem(
                f"cannot read value {_describe(event.value)}: {exc}", "yaml-syntax", event.start_mark
            ) from exc

    @staticmethod
    def _check_collection_tag(event: Any) -> None:
        tag = event.tag
        if tag is not None and tag not in _COLLECTION_TAGS:
            raise YamlProblem(_tag_refused(tag), "unsafe-tag", event.start_mark)

    @staticmethod
    def _child_loc(frame: list[Any]) -> Loc | None:
        """Where the next value in ``frame`` sits, or None for a key or anything inside one."""
        container, loc, key = frame[0], frame[1], frame[2]
        if loc is None:
            return None
        if container.__class__ is list:
            return (*loc, len(container))
        if key is None:
            return None
        return (*loc, key)

    def _key(self, mapping: dict[str, Any], loc: Loc | None, value: Any, mark: Any) -> str:
        """``value`` as the next key of ``mapping``, refusing what cannot be one."""
        if not isinstance(value, (str, int, float, bool)):
            raise YamlProblem("a mapping key must be plain text", "yaml-syntax", mark)
        key = str(value)
        if key in mapping:
            first = self.key_positions.get((*loc, key)) if loc is not None else None
            where = f" (first set on line {first[0]})" if first else ""
            raise YamlProblem(f"duplicate key '{key}'{where}", "duplicate-key", mark)
        if loc is not None:
            self.key_positions[(*loc, key)] = _position(mark)
        return key


def read_yaml(path: Path, rel: str) -> tuple[Any, Source, list[Problem]]:
    """Parse one file into plain data and its source (which finds positions when asked), or report
    why it cannot be read."""
    source = Source(path=rel)

    def fail(message: str, code: str, line: int = 1, column: int = 1) -> tuple[Any, Source, list[Problem]]:
        return None, source, [Problem(rel, line, column, "error", code, message)]

    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            raw = file.read() if size <= MAX_FILE_BYTES else b""
            size = max(size, len(raw))
    except OSError as exc:
        return fail(f"cannot read file: {exc.strerror}", "unreadable")
    if size > MAX_FILE_BYTES:
        return fail(
            f"file is {size / 1024 / 1024:.1f} MiB; playbook files are limited to "
            f"{MAX_FILE_BYTES // 1024 // 1024} MiB",
            "too-large",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        return fail("file starts with a byte-order mark; save it as UTF-8 without BOM", "encoding")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return fail(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8", "encoding", line, column
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return fail("file contains a NUL character", "encoding", line)

    try:
        try:
            data = _Reader(record=False).read(text)
        except YamlProblem:
            # Read again recording positions, for the message that names them ("first set on line 3").
            _locate(text)
            raise
    except YamlProblem as exc:
        return fail(exc.message, exc.code, exc.line, exc.column)
    except yaml.reader.ReaderError as exc:
        # Its position counts bytes with the C loader and characters without it; the first such character is exact.
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        at = max(text.find(chr(code)), 0)
        line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        return fail(f"file contains the character U+{code:04X}, which YAML does not allow; remove it", "encoding",
                    line, column)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _position(mark) if mark else (1, 1)
        message = exc.problem or "invalid YAML"
        if exc.context:
            message += f" {exc.context}"
            start = exc.context_mark
            if start is not None and mark is not None and (start.line, start.column) != (mark.line, mark.column):
                message += f" that began on line {start.line + 1}, column {start.column + 1}"
        lines = text.splitlines()
        if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            message += " (YAML does not allow tabs for indentation; use spaces)"
        return fail(f"YAML syntax error: {message}", "yaml-syntax", line, column)
    except yaml.YAMLError as exc:
        return fail(f"YAML error: {exc}", "yaml-syntax")
    if data is None:
        return fail("file is empty; expected a mapping of fields", "not-a-mapping")
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else f"a single value, {_describe(data)}"
        return fail(
            f"expected a mapping of fields (name: value) at the top of the file, found {found}", "not-a-mapping"
        )
    source.locate = partial(_locate, text)
    return data, source, []


def _locate(text: str) -> tuple[Positions, Positions]:
    """Where each value and key of a file that has been read once already is."""
    reader = _Reader(record=True)
    reader.read(text)
    return reader.positions, reader.key_positions


_TYPE_WORDS = {
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _not_ascii(value: object) -> str:
    """Names the characters that only look like ASCII, such as a Cyrillic 'а' in an id."""
    odd = [c for c in dict.fromkeys(str(value)) if not c.isascii()][:3]
    if not odd:
        return ""
    names = ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c, 'unnamed character')})" for c in odd)
    return f"; it contains {names}, which {'is' if len(odd) == 1 else 'are'} not ASCII"


def _field_name(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "file"


def _model_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names (by alias) of the model found at ``loc`` inside ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = None
        for name, info in current.model_fields.items():
            if (info.alias or name) == part:
                field = info
                break
        if field is None:
            return []
        current = _inner_model(field.annotation)
        if current is None:
            return []
    return [info.alias or name for name, info in current.model_fields.items()]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


_UNION_BRANCHES = {"str", "bool", "float", "int", "list[str]"}
"""Names pydantic puts in an error's location for the branch of a union that failed."""
_BRANCH_WORDS = {"str": "text", "bool": "true or false", "float": "a number", "int": "a whole number",
                 "list[str]": "a list of text"}


def schema_problems(exc: ValidationError, model: type[BaseModel], source: Source) -> list[Problem]:
    """Turn pydantic's errors into problems that cite the offending line."""
    problems: list[Problem] = []
    seen: set[tuple[Loc, str]] = set()
    # A value that fails every branch of a union gets one error per branch; name them all at once.
    branches: dict[Loc, list[str]] = {}
    for error in exc.errors():
        loc = tuple(error["loc"])
        kept = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in _UNION_BRANCHES)))
        branches.setdefault(kept, []).extend(str(p) for p in loc if p in _UNION_BRANCHES)
    for error in exc.errors():
        loc = tuple(error["loc"])
        kind = error["type"]
        value = error.get("input")
        name = _field_name(loc)
        ctx = error.get("ctx") or {}
        # A value that fails every branch of a union reports once, at the value.
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in _UNION_BRANCHES)))
        name = _field_name(loc)
        code = "bad-value"
        if kind == "missing":
            line, column = source.at(loc[:-1])
            message, code = f"missing required field '{loc[-1]}'", "missing-field"
            if loc[:-1]:
                message += f" in {_field_name(loc[:-1])}"
        elif kind == "extra_forbidden":
            line, column = source.at(loc, key=True)
            hint = did_you_mean(str(loc[-1]), _model_fields(model, loc[:-1]))
            message, code = f"unknown field '{loc[-1]}'{hint}", "unknown-field"
        else:
            line, column = source.at(loc)
            if kind in ("enum", "literal_error"):
                expected = ctx.get("expected", "").replace("'", "")
                message = f"{name}: {_describe(value)} is not allowed; expected one of: {expected}"
            elif kind == "string_pattern_mismatch":
                if "https?" in str(ctx.get("pattern", "")):
                    message, code = (
                        f"{name}: {_describe(value)} is not an allowed address; use an http://, https:// "
                        "or mailto: URL",
                        "bad-url",
                    )
                elif "A-Z" in str(ctx.get("pattern", "")):
                    message = (
                        f"{name}: {_describe(value)} is not a currency code; use three capital letters such as USD"
                    )
                else:
                    message, code = (
                        f"{name}: {_describe(value)} is not a valid id; use lower-case letters, digits "
                        f"and single hyphens, such as 'llm-gateway'{_not_ascii(value)}",
                        "bad-id",
                    )
            elif kind in ("string_too_long", "too_long"):
                limit = ctx.get("max_length")
                length = len(value) if isinstance(value, (str, list)) else "?"
                unit = "characters" if isinstance(value, str) else "entries"
                message, code = f"{name} is {length:,} {unit} long; the limit is {limit:,}", "too-long"
            elif kind in ("string_too_short", "too_short"):
                if isinstance(value, str):
                    message, code = f"{name} must not be empty", "empty"
                else:
                    least = ctx.get("min_length", 1)
                    found = len(value) if isinstance(value, (list, dict)) else 0
                    message, code = (
                        f"{name} needs at least {least} entr{'y' if least == 1 else 'ies'}; found {found or 'none'}",
                        "too-few",
                    )
            elif kind in _TYPE_WORDS:
                expected = _TYPE_WORDS[kind]
                if len(branches.get(loc, [])) > 1:
                    *others, last = (_BRANCH_WORDS.get(b, b) for b in dict.fromkeys(branches[loc]))
                    expected = f"{', '.join(others)} or {last}"
                message, code = f"{name}: expected {expected}, found {_describe(value)}", "wrong-type"
                if kind.startswith("date"):
                    code = "bad-date"
                    if isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\d$", value) and ctx.get("error"):
                        message += f" ({ctx['error']})"
                elif kind == "string_type" and isinstance(value, (bool, int, float, dt.date)):
                    # YAML reads yes, 2 and 2025-01-01 as a boolean, a number and a date.
                    message += "; put the value in quotes to keep it as text"
            elif kind in ("greater_than_equal", "less_than_equal"):
                message = f"{name}: {_describe(value)} is out of range ({error['msg'].lower()})"
            else:
                message = f"{name}: {error['msg']}"
        key = (loc, code)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(source.path, line, column, "error", code, message))
    return _without_misspelt_missing(problems)


def _without_misspelt_missing(problems: list[Problem]) -> list[Problem]:
    """A misspelt field is one mistake: keep "unknown field 'sumary' (did you mean 'summary'?)" and
    drop the "missing required field 'summary'" it causes."""
    suggested = {re.search(r"did you mean '([^']+)'", p.message) for p in problems if p.code == "unknown-field"}
    names = {m.group(1) for m in suggested if m}
    return [
        p for p in problems
        if not (p.code == "missing-field" and re.match(r"missing required field '([^']+)'$", p.message)
                and p.message.split("'")[1] in names)
    ]


def parse_item(path: Path, rel: str, kind: str) -> tuple[BaseModel | None, Source, list[Problem]]:
    """Read one file as one kind of playbook data."""
    data, source, problems = read_yaml(path, rel)
    if problems:
        return None, source, problems
    model = KINDS[kind]
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
        return Problem(rel, 1, 1, "error", "unreadable", "file is a link that leads nowhere (broken or looping); "
                       "fix the link or copy the file in instead")
    if not target.is_relative_to(real_root):
        return Problem(rel, 1, 1, "error", "outside-root",
                       "file is a link to a place outside the playbook; copy the file in instead")
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
            problems.append(
                Problem(rel, 1, 1, "error", "file-name", "playbook files end in .yml, not .yaml; rename the file")
            )
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


def id_field_of(kind: str) -> str:
    return "team" if kind == "pilot" else "id"


def load(root: Path | str) -> tuple[Playbook, list[Problem], int]:
    """Load every playbook file under ``root``.

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
    try:
        return _load(Path(root))
    finally:
        if paused:
            gc.enable()


def _load(root: Path) -> tuple[Playbook, list[Problem], int]:
    playbook = Playbook(root=root)
    problems: list[Problem] = []
    count = 0
    real_root = root.resolve()
    for rel, kind in FRAMEWORK_FILES.items():
        path = root / rel
        link_problem = _link_problem(path, rel, real_root)
        if link_problem is not None:
            problems.append(link_problem)
            continue
        if not path.is_file():
            problems.append(Problem(rel, 1, 1, "error", "missing-file", f"the playbook needs {rel}; create it"))
            continue
        count += 1
        item, source, found = parse_item(path, rel, kind)
        problems += found
        playbook.sources[rel] = source
        if item is not None:
            setattr(playbook, kind.replace("-", "_"), item)

    for folder, kind in COLLECTIONS.items():
        files, found = _collection_files(root, folder)
        problems += found
        # Each of these problems is a file left unread: a .yaml name or a link that cannot be followed.
        playbook.unloaded.update(f"{kind}:{Path(p.path).stem}" for p in found)
        items: dict[str, Any] = getattr(playbook, folder)
        misnamed: list[tuple[str, str, int, int]] = []
        for path in files:
            count += 1
            rel = f"{folder}/{path.name}"
            item, source, found = parse_item(path, rel, kind)
            problems += found
            if item is None:
                playbook.unloaded.add(f"{kind}:{path.stem}")
                continue
            id_field = id_field_of(kind)
            item_id: str = getattr(item, id_field)
            if item_id != path.stem:
                line, column = source.at((id_field,))
                misnamed.append((item_id, rel, line, column))
                continue
            items[item_id] = item
            playbook.sources[f"{kind}:{item_id}"] = source
        for item_id, rel, line, column in misnamed:
            if item_id in items:
                message = (
                    f"{kind} id '{item_id}' is already used by {folder}/{item_id}.yml; "
                    f"give this {kind} its own id and name the file after it"
                )
                problems.append(Problem(rel, line, column, "error", "duplicate-id", message))
            else:
                playbook.unloaded.update({f"{kind}:{item_id}", f"{kind}:{Path(rel).stem}"})
                message = (
                    f"{id_field_of(kind)} '{item_id}' does not match the file name; rename the file "
                    f"to {item_id}.yml or set {id_field_of(kind)}: {Path(rel).stem}{_not_ascii(Path(rel).stem)}"
                )
                problems.append(Problem(rel, line, column, "error", "file-name", message))
    return playbook, problems, count
