"""The words the engine writes on the site, in the site's language (``theme.language``).

Each language is a folder of YAML files (``en/site.yml``, ``en/scripts.yml`` ...) holding flat
``key: text`` pairs; text may hold ``{name}`` placeholders. A missing string falls back to English,
one string at a time, and a playbook may override any string in its ``mkdocs.yml``. The CLI stays English.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent
DEFAULT = "en"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it: every command reads the whole catalog."""


def languages() -> list[str]:
    """The languages the engine ships, such as ``["de", "en", "fr", "nl"]``."""
    return sorted(p.name for p in HERE.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


@cache
def _catalog(language: str) -> dict[str, str]:
    folder = HERE / language
    strings: dict[str, str] = {}
    if not folder.is_dir():
        return strings
    for path in sorted(folder.glob("*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        for key, value in data.items():
            if key in strings:
                raise ValueError(f"{path}: string '{key}' is defined twice in language '{language}'")
            strings[str(key)] = str(value)
    return strings


def base_language(code: str | None) -> str:
    """``nl`` for ``nl``, ``nl-BE`` or ``nl_BE``; English when no code is given."""
    return (code or DEFAULT).replace("_", "-").split("-")[0].lower()


class Messages:
    """The site's strings in one language, English for any string the language lacks."""

    def __init__(self, language: str | None = None, overrides: Mapping[str, str] | None = None) -> None:
        self.language = base_language(language)
        self.strings = {**_catalog(DEFAULT), **_catalog(self.language), **dict(overrides or {})}

    def __call__(self, key: str, /, **params: object) -> str:
        """The string for ``key`` with its ``{name}`` placeholders filled in."""
        try:
            text = self.strings[key]
        except KeyError:
            raise KeyError(f"no string '{key}' in the message catalog") from None
        return text.format(**params) if params else text

    def subset(self, prefix: str) -> dict[str, str]:
        """Every string whose key starts with ``prefix``, for a page's scripts to word their output."""
        return {key: text for key, text in self.strings.items() if key.startswith(prefix)}
