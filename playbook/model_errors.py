"""Pydantic's validation errors worded as problems a person can act on, each at its line."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from .problems import Problem, closest, describe, hint, not_ascii
from .source import Loc, Source

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


def field_name(loc: Loc) -> str:
    """A path into a file as people write it: ``controls[0].kind``; ``file`` for the whole file."""
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
        ctx = error.get("ctx") or {}
        # A value that fails every branch of a union reports once, at the value.
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in _UNION_BRANCHES)))
        name = field_name(loc)
        code = "bad-value"
        suggestion = None
        if kind == "missing":
            line, column = source.at(loc[:-1])
            message, code = f"missing required field '{loc[-1]}'", "missing-field"
            if loc[:-1]:
                message += f" in {field_name(loc[:-1])}"
        elif kind == "extra_forbidden":
            line, column = source.at(loc, key=True)
            value = str(loc[-1])
            suggestion = closest(value, _model_fields(model, loc[:-1]))
            message, code = f"unknown field '{loc[-1]}'{hint(suggestion)}", "unknown-field"
        else:
            line, column = source.at(loc)
            if kind in ("enum", "literal_error"):
                expected = ctx.get("expected", "").replace("'", "")
                message = f"{name}: {describe(value)} is not allowed; expected one of: {expected}"
            elif kind == "string_pattern_mismatch":
                if "https?" in str(ctx.get("pattern", "")):
                    message, code = (
                        f"{name}: {describe(value)} is not an allowed address; use an http://, https:// "
                        "or mailto: URL",
                        "bad-url",
                    )
                elif "A-Z" in str(ctx.get("pattern", "")):
                    message = (
                        f"{name}: {describe(value)} is not a currency code; use three capital letters such as USD"
                    )
                else:
                    message, code = (
                        f"{name}: {describe(value)} is not a valid id; use lower-case letters, digits "
                        f"and single hyphens, such as 'llm-gateway'{not_ascii(value)}",
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
                message, code = f"{name}: expected {expected}, found {describe(value)}", "wrong-type"
                if kind.startswith("date"):
                    code = "bad-date"
                    if isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\d$", value) and ctx.get("error"):
                        message += f" ({ctx['error']})"
                elif kind == "string_type" and isinstance(value, (bool, int, float, dt.date)):
                    # YAML reads yes, 2 and 2025-01-01 as a boolean, a number and a date.
                    message += "; put the value in quotes to keep it as text"
            elif kind in ("greater_than_equal", "less_than_equal"):
                message = f"{name}: {describe(value)} is out of range ({error['msg'].lower()})"
            else:
                message = f"{name}: {error['msg']}"
        key = (loc, code)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(source.path, line, column, "error", code, message, field=name,
                                value=_plain(value), suggestion=suggestion))
    return _without_misspelt_missing(problems)


def _without_misspelt_missing(problems: list[Problem]) -> list[Problem]:
    """A misspelt field is one mistake: keep "unknown field 'sumary' (did you mean 'summary'?)" and
    drop the "missing required field 'summary'" (at the top of the file) it causes."""
    suggested = {p.suggestion for p in problems if p.code == "unknown-field" and p.suggestion}
    return [p for p in problems if not (p.code == "missing-field" and p.field in suggested)]


MAX_KEPT_VALUE = 300
"""A longer text is not kept in the problem: its message says how long it is, and JSON output stays small."""


def _plain(value: Any) -> str | int | float | bool | None:
    """The value a problem keeps: a single value as JSON holds it; None for a list, a mapping or a long text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value if len(value) <= MAX_KEPT_VALUE else None
    if isinstance(value, (int, float, bool)):
        return value
    return None
