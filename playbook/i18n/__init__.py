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


ONE = ".one"
"""The suffix of a string's form for one."""


def _takes_one(language: str, count: int) -> bool:
    """CLDR's plural rule "one" for a whole number, in the languages shipped: French counts 0 and 1 as one."""
    return count in (0, 1) if language == "fr" else count == 1


class Messages:
    """The site's strings in one language, English for any string the language lacks."""

    def __init__(self, language: str | None = None, overrides: Mapping[str, str] | None = None) -> None:
        self.language = base_language(language)
        layers = (_catalog(DEFAULT), _catalog(self.language), dict(overrides or {}))
        self.strings = {key: text for layer in layers for key, text in layer.items()}
        # A string's form for one (``key.one``) counts only beside the string it varies, from the same catalog: an
        # organisation's own wording of ``key`` is not undone by the English form for one.
        origin = {key: n for n, layer in enumerate(layers) for key in layer}
        self.singular = frozenset(key.removesuffix(ONE) for key in self.strings
                                  if key.endswith(ONE) and origin[key] == origin.get(key.removesuffix(ONE)))

    def counted(self, key: str, count: int) -> str:
        """``key``, or its form for one (``key.one``) when ``count`` takes it in this language and the catalog has
        it: "1 business day", "2 business days"."""
        return key + ONE if key in self.singular and _takes_one(self.language, count) else key

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
