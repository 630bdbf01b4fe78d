"""New pattern, policy, pilot and use-case files, written from the model with every field explained.

The CLI and :mod:`playbook.prompts` gather the values and :mod:`playbook.scaffold_values` fills in the
rest; this module checks the id, renders the file and writes it.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, StringConstraints, ValidationError
from pydantic.fields import FieldInfo

from playbook.data.kinds import BY_NAME, Kind, section_page
from playbook.data.load import load, read_yaml
from playbook.data.model.items import is_id
from playbook.data.model.playbook import Playbook
from playbook.data.model_errors import schema_problems
from playbook.data.problems import PlaybookError
from playbook.data.source import Source

MARKDOWN_MIN_LENGTH = 20_000
"""String fields allowing this many characters are Markdown and are written as ``|`` blocks."""


class Block(str):
    """Text written as a literal ``|`` block, the way people write Markdown in YAML."""


class _Dumper(yaml.SafeDumper):
    """Indents list entries under their key and prefers double quotes, which read better in a template."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if ": " in data or "'" in data or data.startswith("TODO") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(
    Block, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|")
)


@dataclass(frozen=True)
class Created:
    """A file ``playbook new`` wrote."""

    path: Path
    """The new file, under the playbook root."""
    rel: str
    """The same path relative to the playbook root."""
    kind: str
    """pattern, policy or pilot."""


def slug(text: str) -> str:
    """The nearest valid id to ``text``: ``LLM_Gateway`` -> ``llm-gateway``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def check_new_id(kind: Kind, item_id: str) -> None:
    """Refuse an id the model would refuse, suggesting the nearest valid one."""
    id_field = kind.id_field
    page = section_page(kind, item_id)
    if page is not None:
        raise PlaybookError(f"{kind.name} {id_field} '{item_id}' is taken: its page would be {page}, the section's "
                            "own page; choose another id")
    if is_id(item_id):
        return
    suggestion = slug(item_id)
    hint = f" (did you mean '{suggestion}'?)" if is_id(suggestion) else ""
    raise PlaybookError(
        f"'{item_id}' is not a valid {kind.name} {id_field}{hint}; use 2 to 64 lower-case letters, digits and single "
        "hyphens, such as 'llm-gateway'"
    )


def check_free(root: Path, kind: Kind, item_id: str) -> None:
    """Refuse an id whose file exists, or that another file of the same kind already uses."""
    assert kind.folder is not None
    folder, id_field = kind.folder, kind.id_field
    rel = kind.path_of(item_id)
    if (root / rel).exists():
        raise PlaybookError(f"{rel} already exists; edit it, or choose another {id_field}")
    directory = root / folder
    if not directory.is_dir():
        return
    for path in sorted(directory.glob("*.yml")):
        data, _source, _problems = read_yaml(path, f"{folder}/{path.name}")
        if isinstance(data, dict) and data.get(id_field) == item_id:
            raise PlaybookError(
                f"{kind.name} {id_field} '{item_id}' is already used by {folder}/{path.name}; choose another {id_field}"
            )


def load_for_new(root: Path, needs: Kind | None) -> Playbook:
    """Load the playbook a new file goes into; ``needs`` is the framework file the new file depends on, if any."""
    if not (root / "framework").is_dir():
        raise PlaybookError(
            f"{root} is not a playbook folder (it has no framework/ folder); "
            "run the command from the playbook's folder or pass --root"
        )
    playbook, problems, _count = load(root)
    if needs is not None and not needs.loaded(playbook):
        rel = needs.path_of()
        raise PlaybookError(
            f"cannot read {rel}, which a new file takes its values from; fix it first (playbook check)",
            [p for p in problems if p.path == rel],
        )
    return playbook


def _comment(text: str) -> str:
    """A field's docstring as one comment line: a docstring over two lines would end the comment."""
    return " ".join(text.replace("``", "`").split())


def _describe_enum(info: FieldInfo, annotation: Any) -> str:
    """`` One of: a, b, c.`` when the description does not already name every value."""
    if _is_class(annotation, Enum):
        values = [str(member.value) for member in annotation]
        if not all(v in (info.description or "") for v in values):
            return f" One of: {', '.join(values)}."
    return ""


@dataclass(frozen=True)
class _Shape:
    """What a field holds, with lists, optionals and constraints unwrapped."""

    base: Any
    is_list: bool
    is_id: bool
    max_length: int | None


def _shape(info: FieldInfo) -> _Shape:
    annotation: Any = info.annotation
    is_list = False
    constraints = [m for m in info.metadata if isinstance(m, StringConstraints)]
    while True:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            annotation = args[0]
            constraints += [m for m in args[1:] if isinstance(m, StringConstraints)]
        elif origin is list:
            is_list, annotation = True, args[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in args if a is not type(None))
        else:
            break
    is_id = any(c.pattern is not None for c in constraints)
    lengths = [c.max_length for c in constraints if c.max_length is not None]
    return _Shape(annotation, is_list, is_id, max(lengths) if lengths else None)


def _is_class(value: Any, parent: type) -> bool:
    return isinstance(value, type) and issubclass(value, parent)


def todo(info: FieldInfo) -> str:
    return f"TODO: {_comment(info.description or 'fill in')}"


def placeholder(model: type[BaseModel], name: str) -> Any:
    """A value for a field nobody gave: TODO text where text is allowed, a valid value otherwise."""
    info = model.model_fields[name]
    shape = _shape(info)
    if not info.is_required():
        if shape.is_list or info.default_factory is not None:
            return info.get_default(call_default_factory=True)
        if shape.base is str and not shape.is_id:
            # Optional prose such as a rationale is worth writing; an optional id is not.
            return _text_value(shape, todo(info))
        return info.default
    if _is_class(shape.base, Enum):
        return next(iter(shape.base)).value
    if shape.base is dt.date:
        return dt.date.today()
    if _is_class(shape.base, BaseModel):
        entry = {sub.alias or key: placeholder(shape.base, key) for key, sub in shape.base.model_fields.items()}
        return [entry] if shape.is_list else entry
    if shape.is_list:
        return [todo(info)]
    return _text_value(shape, todo(info))


def _text_value(shape: _Shape, text: str) -> str:
    if shape.max_length is not None and shape.max_length >= MARKDOWN_MIN_LENGTH:
        return Block(text + "\n")
    return text


def _field_comments(model: type[BaseModel], name: str, extra: str = "") -> list[str]:
    info = model.model_fields[name]
    inner = _shape(info).base
    text = _comment(info.description or "") + _describe_enum(info, inner)
    if not info.is_required():
        text += " Optional."
    lines = [f"# {text}{extra}".rstrip()]
    if _is_class(inner, BaseModel):
        for key, sub in inner.model_fields.items():
            sub_text = _comment(sub.description or "") + _describe_enum(sub, _shape(sub).base)
            lines.append(f"#   {sub.alias or key}: {sub_text}")
    return lines


OMIT = object()
"""A field's value that leaves the field out of a new file: a field kept only for files written before."""


def render(kind: Kind, values: dict[str, Any]) -> str:
    """The YAML text of a new item: each field in model order, under a comment that explains it; a field whose
    value is :data:`OMIT` is left out."""
    model = kind.model
    notes = kind.scaffold.notes if kind.scaffold else {}
    lines = [
        f"# yaml-language-server: $schema=../schemas/{kind.schema_name}",
        f"# A new {kind.name}. Replace every TODO, then run `playbook check`; field rules: schemas/{kind.schema_name}.",
        f"# The file name must stay {kind.folder}/<{kind.id_field}>.yml.",
    ]
    for name, info in model.model_fields.items():
        key = info.alias or name
        value = values[key]
        if value is OMIT:
            continue
        if isinstance(value, Enum):
            value = value.value
        lines.append("")
        lines += _field_comments(model, name, notes.get(key, ""))
        if isinstance(value, BaseModel):
            value = value.model_dump(exclude_defaults=True)
        dumped = yaml.dump({key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
        lines.append(dumped.rstrip())
    return "\n".join(lines) + "\n"


def write_new(root: Path, kind: Kind, item_id: str, text: str) -> Created:
    """Write a new file, never replacing one: the file is opened with mode ``x``."""
    rel = kind.path_of(item_id)
    path = root / rel
    # Check the text against the model before it reaches disk: a bug here must not write a broken file.
    try:
        kind.model.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        reasons = "; ".join(p.message for p in schema_problems(exc, kind.model, Source(rel)))
        raise PlaybookError(f"{rel} was not written: {reasons}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise PlaybookError(f"{rel} already exists; edit it, or choose another {kind.id_field}") from None
    return Created(path=path, rel=rel, kind=kind.name)


def default_values(kind: Kind, item_id: str) -> dict[str, Any]:
    """Every field of a new item of ``kind``: its id, and placeholders for the rest."""
    values = {info.alias or name: placeholder(kind.model, name) for name, info in kind.model.model_fields.items()}
    values[kind.id_field] = item_id
    return values


def new_item(
    root: Path,
    kind: Kind,
    item_id: str,
    gather: Callable[[Playbook], dict[str, Any]],
) -> Created:
    """Check the id, load what the new file depends on, gather its values and write it."""
    assert kind.scaffold is not None, f"playbook new does not create a {kind.name}"
    check_new_id(kind, item_id)
    needs = kind.scaffold.needs
    playbook = load_for_new(root, BY_NAME[needs] if needs is not None else None)
    check_free(root, kind, item_id)
    return write_new(root, kind, item_id, render(kind, gather(playbook)))


def next_steps(created: Created, shown_path: Path) -> str:
    """What to do after ``playbook new``, printed under the path created."""
    lines = [
        f"created {shown_path}",
        "",
        "Next steps:",
        f"  1. Open {shown_path} and replace every TODO; the comment above each field says what it wants.",
        "  2. Run `playbook check`: it lists every TODO left as a warning, and any error with its line.",
        "  3. Preview the site with `playbook serve`.",
        f"  4. Open a pull request; the {created.kind} checklist in .github/PULL_REQUEST_TEMPLATE.md "
        "is what reviewers look at.",
    ]
    return "\n".join(lines)
