"""The one record every check reports, and the one error the package raises."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from dataclasses import field as _field
from typing import Literal

Severity = Literal["error", "warning"]

Value = str | int | float | bool | None
"""A value a problem names, as JSON can hold it."""


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with the playbook, at a place a person can open.

    Besides its wording, a problem keeps what it is about (the field, the value, the suggested fix,
    the item referred to), so code and reporters read these instead of taking the message apart.
    """

    path: str
    """File path relative to the playbook root, with forward slashes."""
    line: int
    """1-based line of the offending value."""
    column: int
    """1-based column of the offending value."""
    severity: Severity
    """error or warning."""
    code: str
    """A short stable name for the kind of problem, such as ``unknown-ref``."""
    message: str
    """What is wrong and how to fix it."""
    field: str | None = _field(default=None, compare=False)
    """The field at fault, as ``controls[0].kind``; None when the problem is the whole file."""
    value: Value = _field(default=None, compare=False)
    """The offending value when it is a single one (an unknown key, a misspelt id, a bad date)."""
    suggestion: str | None = _field(default=None, compare=False)
    """The closest known name or id, offered as the fix."""
    target_kind: str | None = _field(default=None, compare=False)
    """For a reference: what it refers to, such as ``pattern``, ``tier`` or ``question``."""
    target_id: str | None = _field(default=None, compare=False)
    """For a reference: the id referred to."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class PlaybookError(Exception):
    """Raised when a playbook cannot be used; carries the problems found."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = sorted(problems)

    def __str__(self) -> str:
        lines = [super().__str__(), *(str(p) for p in self.problems)]
        return "\n".join(lines)


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word``, or None when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    return hint(closest(word, choices))


def hint(suggestion: str | None) -> str:
    return f" (did you mean '{suggestion}'?)" if suggestion is not None else ""


def describe(value: object) -> str:
    """A value as a message names it: ``the number 3``, ``'text'``, ``a list``."""
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


def not_ascii(value: object) -> str:
    """Names the characters that only look like ASCII, such as a Cyrillic 'а' in an id."""
    odd = [c for c in dict.fromkeys(str(value)) if not c.isascii()][:3]
    if not odd:
        return ""
    names = ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c, 'unnamed character')})" for c in odd)
    return f"; it contains {names}, which {'is' if len(odd) == 1 else 'are'} not ASCII"


def summary(problems: list[Problem], files: int) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {files} file{'s' * (files != 1)}"
    )
