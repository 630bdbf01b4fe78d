"""The whole playbook as one JSON document or as one CSV file per kind, for spreadsheets and other tools.

The functions here are pure (playbook in, text out) so the CLI and the mkdocs plugin publish the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from playbook.data.kinds import (
    DECISION_RIGHTS,
    KINDS,
    LEARNING,
    PATTERN,
    POLICY,
    RISK_TIERS,
    ROADMAP,
    SINGLE_FILES,
    USECASE,
    Kind,
    data_folders,
)
from playbook.data.model.items import Reference
from playbook.data.model.playbook import Playbook
from playbook.data.problems import PlaybookError
from playbook.register.cases import case_assessments

SCHEMA_VERSION = "1.2"
"""Bumped when the export document gains a key (minor) or a field changes meaning or goes away (major).
1.1 added ``usecases``, 1.2 added ``learnings``."""

READABLE_VERSIONS = ("1.0", "1.1", SCHEMA_VERSION)
"""Export documents :func:`load_export` reads; a 1.0 document has no use cases, a 1.1 document no learnings."""

ADDED_IN = {"1.1": USECASE, "1.2": LEARNING}
"""The kinds each minor version added: a document of an earlier version is read with them empty."""

LIST_SEPARATOR = "; "
"""Joins the entries of a list into one CSV cell."""

YAML_FOLDERS = tuple(data_folders())
"""Folders holding playbook YAML; exports are never written into them."""


def _export_field(kind: Kind) -> Any:
    """A kind's entry in the export document: a list of its items, or its one file's content."""
    model = kind.published or kind.model
    return (list[model] if kind.collection else model), Field(description=kind.description)  # type: ignore[valid-type]


PlaybookExport: type[BaseModel] = create_model(
    "PlaybookExport",
    __config__=ConfigDict(extra="forbid", frozen=True, title="PlaybookExport"),
    __doc__="Every item of a playbook in one document: what ``playbook export --format json`` writes.",
    schema_version=(Literal["1.2"], Field(description="The version of this document's layout; ``1.2``.")),
    **{kind.attribute: _export_field(kind) for kind in KINDS},
)
"""The export document's model, one entry per kind of the registry."""


def export_model(playbook: Playbook) -> BaseModel:
    """The export document as a model; refuses a playbook whose framework files did not load."""
    missing = [kind.attribute for kind in SINGLE_FILES if not kind.loaded(playbook)]
    if missing:
        raise PlaybookError(
            f"cannot export a playbook without {', '.join(missing)}; run 'playbook check' and fix the errors"
        )
    entries = {
        kind.attribute: [kind.public(item) for item in kind.items(playbook).values()] if kind.collection
        else getattr(playbook, kind.attribute)
        for kind in KINDS
    }
    return PlaybookExport(schema_version=SCHEMA_VERSION, **entries)


def export_document(playbook: Playbook) -> dict[str, Any]:
    """The playbook as plain JSON data: enums as their values, dates as ``YYYY-MM-DD``."""
    return export_model(playbook).model_dump(mode="json", by_alias=True)


def export_json_text(playbook: Playbook, pieces: JsonPieces | None = None) -> str:
    """The export document as JSON text; the same playbook always gives the same bytes. With ``pieces``, the text
    of an entry that is as the last document had it is not encoded again (``playbook serve``)."""
    document = export_document(playbook)
    if pieces is not None:
        return pieces.dumps(document) + "\n"
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class JsonPieces:
    """The text of each entry of the last export document (each item, each framework file), by the entry's
    compact encoding: ``playbook serve`` exports at every save, and Python encodes JSON with an indent in Python,
    ten times slower than without. :meth:`dumps` gives the bytes ``json.dumps(document, indent=2)`` gives."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        """Indented text by compact text (which tells ``1`` from ``true`` and ``1.0``, as equality does not)."""

    def dumps(self, document: dict[str, Any]) -> str:
        now: dict[str, str] = {}

        def text(value: Any, level: int) -> str:
            compact = json.dumps(value, ensure_ascii=False)
            found = now.get(compact) or self.texts.get(compact)
            if found is None:
                found = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)
            now[compact] = found
            return found

        if not document:
            return "{}"
        members = []
        for key, value in document.items():
            if isinstance(value, list) and value:
                entries = ",\n".join("    " + text(entry, 2) for entry in value)
                rendered = "[\n" + entries + "\n  ]"
            else:
                rendered = text(value, 1)
            members.append(f"  {json.dumps(key, ensure_ascii=False)}: {rendered}")
        self.texts = now
        return "{\n" + ",\n".join(members) + "\n}"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def load_export(data: dict[str, Any], root: Path | str = ".") -> Playbook:
    """Rebuild a playbook's models from an export document (the inverse of :func:`export_document`).

    The result has no source positions; ``root`` only names where it would live.
    """
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version not in READABLE_VERSIONS:
        raise PlaybookError(
            f"export document has schema_version {version!r}; this version of playbook reads "
            f"{' and '.join(map(repr, READABLE_VERSIONS))}"
        )
    if version != SCHEMA_VERSION:
        added = [kind for added_in, kind in ADDED_IN.items() if _version(added_in) > _version(version)]
        empty = {kind.attribute: data.get(kind.attribute, []) for kind in added}
        data = {**data, "schema_version": SCHEMA_VERSION, **empty}
    try:
        document = PlaybookExport.model_validate(data)
    except ValidationError as exc:
        lines = [f"{'.'.join(map(str, e['loc'])) or 'document'}: {e['msg']}" for e in exc.errors()]
        raise PlaybookError("export document does not match export.schema.json:\n" + "\n".join(lines)) from None
    playbook = Playbook(root=Path(root))
    for kind in KINDS:
        entry = getattr(document, kind.attribute)
        if not kind.collection:
            setattr(playbook, kind.attribute, entry)
            continue
        ids = [kind.id_of(item) for item in entry]
        twice = sorted(i for i, n in Counter(ids).items() if n > 1)
        if twice:
            raise PlaybookError(f"export document lists {kind.name} {', '.join(map(repr, twice))} more than once")
        if kind.published is not None:
            # Only the published fields were exported; the internal ones come back empty.
            entry = [kind.model.model_validate(item.model_dump()) for item in entry]
        kind.items(playbook).update(zip(ids, entry, strict=True))
    return playbook


def _joined(values: Iterable[object]) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    # A cell that starts like a formula would run in a spreadsheet: keep it as text.
    if text[:1] in ("=", "+", "@") or (text[:1] == "-" and text[1:2] not in (" ", "")):
        return "'" + text
    return text


def _reference(ref: Reference) -> str:
    return f"{ref.title} <{ref.url}>"


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: quoted where needed, CRLF line ends
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def _patterns_csv(playbook: Playbook) -> str:
    header = [
        "id", "title", "summary", "status", "superseded_by", "category", "owner", "tiers", "platforms",
        "controls", "when_to_use", "when_not_to_use", "how_it_works", "related", "adopted_by", "aliases",
        "tags", "references", "review_by",
    ]
    rows = (
        [
            p.id, p.title, p.summary, p.status, p.superseded_by, p.category, p.owner, _joined(p.tiers),
            _joined(p.platforms), _joined(f"{c.kind.value}: {c.text}" for c in p.controls),
            _joined(p.when_to_use), _joined(p.when_not_to_use), p.how_it_works, _joined(p.related),
            _joined(p.adopted_by), _joined(p.aliases), _joined(p.tags), _joined(map(_reference, p.references)),
            p.review_by.isoformat(),
        ]
        for p in playbook.patterns.values()
    )
    return _csv_text(header, rows)


def _policies_csv(playbook: Playbook) -> str:
    header = ["id", "title", "statement", "rationale", "tiers", "patterns", "owner", "exceptions", "aliases",
              "review_by"]
    rows = (
        [p.id, p.title, p.statement, p.rationale, _joined(p.tiers), _joined(p.patterns), p.owner, p.exceptions,
         _joined(p.aliases), p.review_by.isoformat()]
        for p in playbook.policies.values()
    )
    return _csv_text(header, rows)


def _tiers_csv(playbook: Playbook) -> str:
    header = ["position", "id", "name", "description", "review", "fast_track", "audit_sampling", "turnaround",
              "turnaround_days"]
    rows = (
        [i, t.id, t.name, t.description, t.review, t.fast_track, t.audit_sampling, t.turnaround, t.turnaround_days]
        for i, t in enumerate(playbook.tiers, start=1)
    )
    return _csv_text(header, rows)


def _roadmap_csv(playbook: Playbook) -> str:
    header = ["step_number", "step", "step_title", "step_duration", "item", "text", "owner", "owner_name"]
    steps = playbook.roadmap.steps if playbook.roadmap else []
    rows = (
        [n, step.id, step.title, step.duration, item.id, item.text, item.owner, playbook.role_name(item.owner)]
        for n, step in enumerate(steps, start=1)
        for item in step.checklist
    )
    return _csv_text(header, rows)


def _decisions_csv(playbook: Playbook) -> str:
    header = ["id", "name", "description", "ownership", "escalates_from", "responsible", "accountable",
              "consulted", "informed"]
    decisions = playbook.decision_rights.decisions if playbook.decision_rights else []
    rows = (
        [d.id, d.name, d.description, d.ownership, d.escalates_from, _joined(d.raci.responsible),
         _joined(d.raci.accountable), _joined(d.raci.consulted), _joined(d.raci.informed)]
        for d in decisions
    )
    return _csv_text(header, rows)


def _answer(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ",".join(map(str, value)) or "none"
    return _cell(value)


def _usecases_csv(playbook: Playbook) -> str:
    """One row per use case: the published fields, and the tier and review path the answers give now."""
    header = ["id", "title", "team", "owner", "status", "tier", "computed_tier", "computed_review", "fast_track",
              "requested", "decided", "review", "outcome", "conditions", "patterns", "custom_parts", "built",
              "answers",
              "hours_saved_per_month", "yearly_cost", "yearly_benefit", "currency", "value_notes", "links",
              "description"]
    assessed = case_assessments(playbook)
    rows = []
    for case in (c.published() for c in playbook.usecases.values()):
        result = assessed.get(case.id)
        value = case.value
        rows.append([
            case.id, case.title, case.team, case.owner, case.status, case.tier,
            result.tier if result else None, result.review if result else None,
            ("yes" if result.fast_track else "no") if result else None,
            case.requested.isoformat(), case.decided.isoformat() if case.decided else None, case.review,
            case.outcome, _joined(case.conditions), _joined(case.patterns), "yes" if case.builds_own_parts else "no",
            _joined(case.capabilities),
            _joined(f"{key}={_answer(answer)}" for key, answer in case.answers.items()),
            value.hours_saved_per_month, value.yearly_cost, value.yearly_benefit, value.currency, value.notes,
            _joined(map(_reference, case.links)), case.description,
        ])
    return _csv_text(header, rows)


CSV_TABLES: dict[Kind, Callable[[Playbook], str]] = {
    PATTERN: _patterns_csv,
    POLICY: _policies_csv,
    RISK_TIERS: _tiers_csv,
    ROADMAP: _roadmap_csv,
    DECISION_RIGHTS: _decisions_csv,
    USECASE: _usecases_csv,
}
"""What builds the CSV of each kind that has one (see ``Kind.csv``): one row per pattern, policy, tier,
checklist item, decision and use case."""


def _items_csv(kind: Kind, playbook: Playbook) -> str:
    """One row per item of a collection, a column per field: for a kind with no table of its own."""
    header = [info.alias or name for name, info in (kind.published or kind.model).model_fields.items()]
    rows = []
    for item in kind.items(playbook).values():
        data = kind.public(item).model_dump(mode="json", by_alias=True)
        rows.append([_joined(_flat(v) for v in value) if isinstance(value, list) else _flat(value)
                     for value in (data[key] for key in header)])
    return _csv_text(header, rows)


def _flat(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value


def export_csv_files(playbook: Playbook) -> dict[str, str]:
    """File name -> CSV text; lists inside a cell are joined with ``"; "``."""
    export_model(playbook)  # refuses a playbook missing a framework file, as the JSON export does
    files = {}
    for kind in KINDS:
        if kind.csv:
            table = CSV_TABLES.get(kind)
            files[kind.csv] = table(playbook) if table else _items_csv(kind, playbook)
    return files


def _refuse_yaml_folders(root: Path, target: Path) -> None:
    real = target.resolve()
    for folder in YAML_FOLDERS:
        data_dir = (root / folder).resolve()
        if real == data_dir or real.is_relative_to(data_dir):
            raise PlaybookError(
                f"{target} is inside the playbook's {folder}/ folder; write exports somewhere else, such as ./exports"
            )


def _refuse_existing(paths: Sequence[Path], force: bool) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        shown = ", ".join(str(p) for p in existing)
        raise PlaybookError(f"{shown} already exist{'s' if len(existing) == 1 else ''}; pass --force to overwrite")
    for path in existing:
        if path.is_dir():
            raise PlaybookError(f"{path} is a folder; cannot write an export file there")


def write_json_export(playbook: Playbook, out: Path, force: bool = False) -> Path:
    """Write the JSON export to ``out``, refusing to replace a file unless ``force``."""
    _refuse_yaml_folders(playbook.root, out)
    _refuse_existing([out], force)
    text = export_json_text(playbook)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out


def write_csv_export(playbook: Playbook, directory: Path, force: bool = False) -> list[Path]:
    """Write one CSV per kind into ``directory``; nothing is written if any file exists and not ``force``."""
    _refuse_yaml_folders(playbook.root, directory)
    if directory.exists() and not directory.is_dir():
        raise PlaybookError(f"{directory} is a file; --out for CSV names a folder")
    files = export_csv_files(playbook)
    paths = [directory / name for name in files]
    _refuse_existing(paths, force)
    directory.mkdir(parents=True, exist_ok=True)
    for path, text in zip(paths, files.values(), strict=True):
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    return paths
