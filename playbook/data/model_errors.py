"""Pydantic's validation errors worded as problems a person can act on, each at its line."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from playbook.data.problems import Problem, closest
from playbook.data.source import Loc, Source
from playbook.data.wording import Words

_TYPE_WORDS = {
    "string_type": "text",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "list_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
    "float_type": "number",
    "float_parsing": "number",
    "int_type": "whole-number",
    "int_parsing": "whole-number",
    "date_type": "date",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "date_from_datetime_inexact": "date",
}
"""Pydantic's error types that mean a value of the wrong type, and the catalog's word (``problem.type.*``)
for the type it expected."""


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
_BRANCH_WORDS = {"str": "text", "bool": "boolean", "float": "number", "int": "whole-number",
                 "list[str]": "list-of-text"}


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
        words: Words
        if kind == "missing":
            line, column = source.at(loc[:-1])
            code = "missing-field"
            if loc[:-1]:
                words = Words("missing-field.in", name=loc[-1], parent=field_name(loc[:-1]))
            else:
                words = Words("missing-field", name=loc[-1])
        elif kind == "extra_forbidden":
            line, column = source.at(loc, key=True)
            value = str(loc[-1])
            suggestion = closest(value, _model_fields(model, loc[:-1]))
            words, code = Words("unknown-field", name=value, suggestion=suggestion), "unknown-field"
        else:
            line, column = source.at(loc)
            words, code = _value_words(kind, name, value, ctx, branches.get(loc, []), error["msg"])
        key = (loc, code)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(source.path, line, column, "error", code, words, field=name,
                                value=_plain(value), suggestion=suggestion))
    return _without_misspelt_missing(problems)


def _value_words(kind: str, name: str, value: Any, ctx: dict[str, Any], branches: list[str],
                 msg: str) -> tuple[Words, str]:
    """What is wrong with a value pydantic refused, and the problem's code, by pydantic's error type."""
    shown = _shown(value)
    if kind in ("enum", "literal_error"):
        expected = ctx.get("expected", "").replace("'", "")
        return Words("not-allowed", field=name, value=shown, expected=expected), "bad-value"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "https?" in pattern:
            return Words("bad-url", field=name, value=shown), "bad-url"
        if "A-Z" in pattern:
            return Words("bad-currency", field=name, value=shown), "bad-value"
        return Words("bad-id", field=name, value=shown), "bad-id"
    if kind in ("string_too_long", "too_long"):
        unit = "characters" if isinstance(value, str) else "entries"
        length = len(value) if isinstance(value, (str, list)) else 0
        return Words(f"too-long.{unit}", field=name, length=length, limit=ctx.get("max_length")), "too-long"
    if kind in ("string_too_short", "too_short"):
        if isinstance(value, str):
            return Words("empty", field=name), "empty"
        least = ctx.get("min_length", 1)
        found = len(value) if isinstance(value, (list, dict)) else 0
        return Words(f"too-few.{'one' if least == 1 else 'many'}", field=name, least=least,
                     found=found or Words("none")), "too-few"
    if kind in _TYPE_WORDS:
        expected = Words(f"type.{_TYPE_WORDS[kind]}")
        if len(branches) > 1:
            *others, last = (Words(f"type.{_BRANCH_WORDS.get(b, b)}") for b in dict.fromkeys(branches))
            expected = Words("type.either", others=others, last=last)
        if kind.startswith("date"):
            if isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\d$", value) and ctx.get("error"):
                return Words("wrong-type.because", field=name, expected=expected, value=shown,
                             reason=ctx["error"]), "bad-date"
            return Words("wrong-type", field=name, expected=expected, value=shown), "bad-date"
        if kind == "string_type" and isinstance(value, (bool, int, float, dt.date)):
            # YAML reads yes, 2 and 2025-01-01 as a boolean, a number and a date.
            return Words("wrong-type.quote", field=name, expected=expected, value=shown), "wrong-type"
        return Words("wrong-type", field=name, expected=expected, value=shown), "wrong-type"
    if kind in ("greater_than_equal", "less_than_equal"):
        return Words("out-of-range", field=name, value=shown, reason=msg.lower()), "bad-value"
    return Words("invalid", field=name, reason=msg), "bad-value"


def _without_misspelt_missing(problems: list[Problem]) -> list[Problem]:
    """A misspelt field is one mistake: keep "unknown field 'sumary' (did you mean 'summary'?)" and
    drop the "missing required field 'summary'" (at the top of the file) it causes."""
    suggested = {p.suggestion for p in problems if p.code == "unknown-field" and p.suggestion}
    return [p for p in problems if not (p.code == "missing-field" and p.field in suggested)]


MAX_KEPT_VALUE = 300
"""A longer text is not kept in the problem: its message says how long it is, and JSON output stays small."""


def _shown(value: Any) -> Any:
    """As much of a refused value as its problem's wording needs: its type for a list or mapping (a whole
    file's worth of input may sit under one field), and a long text cut, for output that stays small."""
    if isinstance(value, dict):
        return {}
    if isinstance(value, list):
        return []
    if isinstance(value, str) and len(value) > MAX_KEPT_VALUE:
        return value[:MAX_KEPT_VALUE]
    return value


def _plain(value: Any) -> str | int | float | bool | None:
    """The value a problem keeps: a single value as JSON holds it; None for a list, a mapping or a long text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value if len(value) <= MAX_KEPT_VALUE else None
    if isinstance(value, (int, float, bool)):
        return value
    return None
