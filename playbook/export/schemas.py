"""JSON Schemas of every kind of playbook file, generated from the model for editors and CI."""

from __future__ import annotations

import json
from pathlib import Path

from playbook.data.kinds import KINDS, Kind
from playbook.export.formats import PlaybookExport

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_for(kind: Kind) -> dict[str, object]:
    schema = kind.model.model_json_schema(by_alias=True)
    return {"$schema": SCHEMA_DIALECT, "$id": kind.schema_name, **schema}


def export_schema() -> dict[str, object]:
    """The JSON Schema of the export document, published as ``schemas/export.schema.json``."""
    schema = PlaybookExport.model_json_schema(by_alias=True)
    return {"$schema": SCHEMA_DIALECT, "$id": "export.schema.json", **schema}


def render_schemas() -> dict[str, str]:
    """File name -> JSON text, exactly as committed under ``schemas/``."""
    rendered = {kind.schema_name: json.dumps(schema_for(kind), indent=2) + "\n" for kind in KINDS}
    rendered["export.schema.json"] = json.dumps(export_schema(), indent=2) + "\n"
    return rendered


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
