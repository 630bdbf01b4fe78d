"""Read one YAML file safely into plain data, able to name the line and column of every value.

The reader works on the parser's event stream rather than on composed nodes so that it
can refuse hostile files (deep nesting, alias bombs, object tags, duplicate keys) before
they cost time or memory. Positions are found when a problem first asks for them: a file
is read a second time, recording them, only if something in it needs a line number.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from playbook.data.problems import Problem
from playbook.data.source import Loc, Positions, Source
from playbook.data.wording import Words

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
    """Why a file cannot be read, where; ``value`` is the text at fault when there is one (a key, a tag)."""

    def __init__(self, words: Words, code: str, mark: Any = None, line: int = 1, column: int = 1,
                 value: str | None = None):
        super().__init__(words.key)
        self.words = words
        self.code = code
        self.value = value
        self.line = mark.line + 1 if mark is not None else line
        self.column = mark.column + 1 if mark is not None else column


def _position(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _tag_refused(tag: str | None) -> Words:
    """The tag as it is written in the file (``!!python/object``, not its full name) and why it is refused."""
    shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag and tag.startswith("tag:yaml.org,2002:") else tag
    return Words("unsafe-tag", tag=shown)


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
                    raise YamlProblem(Words("too-deep", limit=MAX_DEPTH), "too-deep", event.start_mark)
                self._count(1, event.start_mark)
                loc = self._child_loc(stack[-1]) if stack else (() if self.record else None)
                if loc is not None:
                    positions[loc] = _position(event.start_mark)
                container: dict[str, Any] | list[Any] = {} if kind is yaml.MappingStartEvent else []
                stack.append([container, loc, None, 1, event.anchor])
                continue
            elif kind is yaml.AliasEvent:
                if event.anchor not in anchors:
                    raise YamlProblem(Words("unknown-alias", anchor=event.anchor), "yaml-syntax", event.start_mark)
                value, size = anchors[event.anchor]
                self._count(size, event.start_mark)
                placed = False
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(Words("many-documents"), "yaml-syntax", event.start_mark)
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
            raise YamlProblem(Words("too-many-values", limit=MAX_VALUES), "too-large", mark)

    @staticmethod
    def _construct(event: yaml.ScalarEvent, tag: str) -> Any:
        """A number, boolean, date or null from its scalar; any other tag is refused."""
        if tag not in _SCALAR_TAGS:
            if event.tag is None:
                # An untagged << or = that YAML gives a meaning of its own (merge, value).
                raise YamlProblem(Words("special-scalar", value=event.value), "yaml-syntax", event.start_mark)
            raise YamlProblem(_tag_refused(event.tag), "unsafe-tag", event.start_mark, value=event.tag)
        # libyaml's marks are not the pure-Python Mark the stubs name, but carry the same fields.
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)  # type: ignore[arg-type]
        try:
            return _constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            if tag.endswith(":timestamp") and not event.tag:
                # 2099-02-30 looks like a date but is none; the model reports it at its field.
                return event.value
            if tag.endswith(":int"):
                raise YamlProblem(Words("long-number", value=event.value), "bad-value", event.start_mark) from exc
            raise YamlProblem(
                Words("unreadable-value", value=event.value, reason=str(exc)), "yaml-syntax", event.start_mark
            ) from exc

    @staticmethod
    def _check_collection_tag(event: Any) -> None:
        tag = event.tag
        if tag is not None and tag not in _COLLECTION_TAGS:
            raise YamlProblem(_tag_refused(tag), "unsafe-tag", event.start_mark, value=tag)

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
            raise YamlProblem(Words("complex-key"), "yaml-syntax", mark)
        key = str(value)
        if key in mapping:
            first = self.key_positions.get((*loc, key)) if loc is not None else None
            words = Words("duplicate-key.first", key=key, first=first[0]) if first else Words("duplicate-key", key=key)
            raise YamlProblem(words, "duplicate-key", mark, value=key)
        if loc is not None:
            self.key_positions[(*loc, key)] = _position(mark)
        return key


def read_yaml(path: Path, rel: str) -> tuple[Any, Source, list[Problem]]:
    """Parse one file into plain data and its source (which finds positions when asked), or report
    why it cannot be read."""
    source = Source(path=rel)

    def fail(words: Words, code: str, line: int = 1, column: int = 1,
             value: str | None = None) -> tuple[Any, Source, list[Problem]]:
        return None, source, [Problem(rel, line, column, "error", code, words, value=value)]

    try:
        raw, size = file_bytes(path)
    except OSError as exc:
        return fail(Words("unreadable", reason=exc.strerror), "unreadable")
    return read_yaml_bytes(raw, rel, size)


def file_bytes(path: Path) -> tuple[bytes, int]:
    """A file's bytes and its size; none of its bytes when it is larger than :data:`MAX_FILE_BYTES`, which
    :func:`read_yaml_bytes` then reports. ``OSError`` when it cannot be read."""
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        raw = file.read() if size <= MAX_FILE_BYTES else b""
    return raw, max(size, len(raw))


def read_yaml_bytes(raw: bytes, rel: str, size: int | None = None) -> tuple[Any, Source, list[Problem]]:
    """:func:`read_yaml` of a file's bytes already read (from git, say); ``size`` when larger than ``raw``."""
    source = Source(path=rel)
    size = len(raw) if size is None else size

    def fail(words: Words, code: str, line: int = 1, column: int = 1,
             value: str | None = None) -> tuple[Any, Source, list[Problem]]:
        return None, source, [Problem(rel, line, column, "error", code, words, value=value)]

    if size > MAX_FILE_BYTES:
        return fail(Words("too-large", mib=size / 1024 / 1024, limit=MAX_FILE_BYTES // 1024 // 1024), "too-large")
    if raw.startswith(b"\xef\xbb\xbf"):
        return fail(Words("byte-order-mark"), "encoding")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return fail(Words("not-utf8", byte=raw[exc.start]), "encoding", line, column)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return fail(Words("nul"), "encoding", line)

    try:
        try:
            data = _Reader(record=False).read(text)
        except YamlProblem:
            # Read again recording positions, for the message that names them ("first set on line 3").
            _locate(text)
            raise
    except YamlProblem as exc:
        return fail(exc.words, exc.code, exc.line, exc.column, exc.value)
    except yaml.reader.ReaderError as exc:
        # Its position counts bytes with the C loader and characters without it; the first such character is exact.
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        at = max(text.find(chr(code)), 0)
        line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        return fail(Words("bad-character", character=code), "encoding", line, column)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _position(mark) if mark else (1, 1)
        problem = Words("yaml.problem", text=exc.problem) if exc.problem else Words("yaml.invalid")
        if exc.context:
            start = exc.context_mark
            if start is not None and mark is not None and (start.line, start.column) != (mark.line, mark.column):
                problem = Words("yaml.context-began", problem=problem, context=exc.context, line=start.line + 1,
                                column=start.column + 1)
            else:
                problem = Words("yaml.context", problem=problem, context=exc.context)
        lines = text.splitlines()
        if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            problem = Words("yaml.tab", problem=problem)
        return fail(Words("yaml-syntax", problem=problem), "yaml-syntax", line, column)
    except yaml.YAMLError as exc:
        return fail(Words("yaml-error", reason=str(exc)), "yaml-syntax")
    if data is None:
        return fail(Words("empty-file"), "not-a-mapping")
    if not isinstance(data, dict):
        found = Words("found.list") if isinstance(data, list) else Words("found.single", value=data)
        return fail(Words("not-a-mapping", found=found), "not-a-mapping")
    source.locate = partial(_locate, text)
    return data, source, []


def _locate(text: str) -> tuple[Positions, Positions]:
    """Where each value and key of a file that has been read once already is."""
    reader = _Reader(record=True)
    reader.read(text)
    return reader.positions, reader.key_positions
