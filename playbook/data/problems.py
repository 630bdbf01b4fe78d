"""The one record every check reports, and the one error the package raises."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Literal

from playbook.data.wording import ENGLISH, Wording, Words

Severity = Literal["error", "warning"]

Value = str | int | float | bool | None
"""A value a problem names, as JSON can hold it."""


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with the playbook, at a place a person can open.

    A problem holds no sentence: it keeps its code, the words to say (a catalog key and its values)
    and what it is about (the field, the value, the suggested fix, the item referred to), so code
    reads these instead of taking a message apart, and each reporter words it in its own form.
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
    words: Words = _field(compare=False)
    """What is wrong and how to fix it, to be worded: see :mod:`playbook.wording`."""
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

    def __eq__(self, other: object) -> bool:
        # Ordered by place and code alone; equal only when saying the same thing there too.
        return (isinstance(other, Problem) and (self.path, self.line, self.column, self.severity, self.code)
                == (other.path, other.line, other.column, other.severity, other.code) and self.words == other.words)

    def __hash__(self) -> int:
        return hash((self.path, self.line, self.column, self.severity, self.code))

    @property
    def message(self) -> str:
        """The problem worded in English, as ``playbook check`` prints it."""
        return ENGLISH(self.words)

    def text(self, wording: Wording = ENGLISH) -> str:
        """``path:line:col: severity: message [code]``, the message worded by ``wording``: the text reporter's line."""
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {wording(self.words)} [{self.code}]"

    def __str__(self) -> str:
        return self.text()


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
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string: for the CLI's own errors."""
    return str(ENGLISH.convert_field(closest(word, choices), "h"))


def summary(problems: list[Problem], files: int) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {files} file{'s' * (files != 1)}"
    )
