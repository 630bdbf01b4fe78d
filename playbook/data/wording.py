"""Problems worded from their code and data: the message catalog's ``problem.*`` strings, filled in.

A check does not write a sentence. It records :class:`Words`, a catalog key and the values the
sentence needs (the field, the unknown id, the closest known one, the line a key was first set on),
and a reporter words them when it prints: ``playbook check`` in English, the problems page of
``playbook serve`` in the site's language where the catalog has one. Values a sentence names pass
through one of these conversions, so that how a value reads is decided in one place:

- ``{value!d}`` describes a value: ``'text'``, ``the number 3``, ``a list``, ``nothing``;
- ``{suggestion!h}`` is `` (did you mean 'x'?)`` for a suggestion, and nothing for None;
- ``{ids!l}`` joins a list: ``a, b, c``;
- ``{value!u}`` names the characters of a value that only look like ASCII, such as a Cyrillic 'а';
- ``{value!r}`` and ``{value!s}`` are Python's own.
"""

from __future__ import annotations

import datetime as dt
import string
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.i18n import Messages


class Words:
    """What to say, not yet said: a ``problem.*`` catalog key and the values its string takes.

    A value may itself be :class:`Words` (an answer's fault inside a problem about an example),
    worded first and put in place.
    """

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        """The string's key in the catalog, without its ``problem.`` prefix: ``unknown-ref``."""
        self.params: Mapping[str, Any] = params
        """The values the string's ``{name}`` placeholders take."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Words) and (self.key, dict(self.params)) == (other.key, dict(other.params))

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        params = "".join(f", {name}={value!r}" for name, value in self.params.items())
        return f"Words({self.key!r}{params})"

    def as_dict(self) -> dict[str, object]:
        """The key and the values as JSON holds them (a nested wording as a mapping of its own)."""
        return {"key": self.key, "params": {name: _plain(value) for name, value in self.params.items()}}


def _plain(value: Any) -> object:
    if isinstance(value, Words):
        return value.as_dict()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class Wording(string.Formatter):
    """Words :class:`Words` in one language: ``ENGLISH(Words("nul"))`` is ``"file contains a NUL character"``."""

    def __init__(self, messages: Messages | None = None) -> None:
        super().__init__()
        self.messages = messages or Messages()

    def __call__(self, words: Words) -> str:
        return self.vformat(self.messages(f"problem.{words.key}"), (), words.params)

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        value = kwargs[key]  # type: ignore[index]
        return self(value) if isinstance(value, Words) else value

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "d":
            return self.describe(value)
        if conversion == "h":
            return "" if value is None else self.messages("problem.hint", suggestion=value)
        if conversion == "l":
            return self.messages("problem.join").join(self(i) if isinstance(i, Words) else str(i) for i in value)
        if conversion == "u":
            return self.not_ascii(value)
        return super().convert_field(value, conversion)

    def describe(self, value: object) -> str:
        """A value as a message names it: ``the number 3``, ``'text'``, ``a list``."""
        m = self.messages
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, dict):
            return m("problem.value.mapping")
        if isinstance(value, list):
            return m("problem.value.list")
        if value is None:
            return m("problem.value.nothing")
        if isinstance(value, (int, float)):
            return m("problem.value.number", value=value)
        if isinstance(value, dt.date):
            return m("problem.value.date", value=value.isoformat())
        text = str(value)
        return repr(text if len(text) <= 60 else text[:57] + "...")

    def not_ascii(self, value: object) -> str:
        """Names the characters that only look like ASCII, such as a Cyrillic 'а' in an id; else nothing."""
        odd = [c for c in dict.fromkeys(str(value)) if not c.isascii()][:3]
        if not odd:
            return ""
        names = self.messages("problem.join").join(
            f"U+{ord(c):04X} ({unicodedata.name(c, 'unnamed character')})" for c in odd
        )
        return self.messages(f"problem.not-ascii.{'one' if len(odd) == 1 else 'many'}", characters=names)


ENGLISH = Wording()
"""Problems worded as the CLI prints them."""
