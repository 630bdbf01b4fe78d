"""The committed JSON Schemas match the model, and agree with it on fixture files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from playbook.data.kinds import kind_of_path
from playbook.export.schemas import render_schemas

REPO = Path(__file__).parent.parent
SCHEMAS = REPO / "schemas"
FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
REGENERATE = "run `playbook schemas` and commit the result"


def kind_of(rel: str) -> str:
    """The schema kind of a playbook file, from its path relative to the playbook root."""
    kind = kind_of_path(rel)
    assert kind is not None, rel
    return kind.name


def as_json(value: Any) -> Any:
    """YAML data as JSON would hold it: dates become ISO strings, as the schemas expect."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def schema_errors(path: Path, rel: str) -> list[str]:
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = validator(kind_of(rel)).iter_errors(data)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors]


def test_committed_schemas_match_the_model() -> None:
    rendered = render_schemas()
    committed = {p.name for p in SCHEMAS.glob("*.schema.json")}
    missing, extra = sorted(set(rendered) - committed), sorted(committed - set(rendered))
    assert not missing, f"schemas/ lacks {', '.join(missing)}; {REGENERATE}"
    assert not extra, f"schemas/ holds {', '.join(extra)}, which the model no longer makes; delete them"
    stale = [name for name, text in rendered.items() if (SCHEMAS / name).read_text(encoding="utf-8") != text]
    assert not stale, f"schemas/{', schemas/'.join(stale)} differ from the models in playbook/; {REGENERATE}"


@pytest.mark.parametrize("name", sorted(render_schemas()))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(json.loads(render_schemas()[name]))


# Playbook files only: a fixture may hold its own mkdocs.yml.
VALID_FILES = sorted(
    (case, rel)
    for case in VALID.iterdir()
    for rel in (path.relative_to(case).as_posix() for path in case.rglob("*.yml"))
    if kind_of_path(rel) is not None
)


@pytest.mark.parametrize(("case", "rel"), VALID_FILES, ids=[f"{c.name}/{r}" for c, r in VALID_FILES])
def test_valid_fixture_file_matches_its_schema(case: Path, rel: str) -> None:
    assert schema_errors(case / rel, rel) == []


# Invalid cases whose fault is the file's own shape, which the schema must refuse as the model does.
SHAPE_FAULTS = [
    ("unknown-field", "patterns/llm-gateway.yml"),
    ("missing-field", "patterns/llm-gateway.yml"),
    ("bad-enum", "patterns/llm-gateway.yml"),
    ("bad-id", "patterns/llm-gateway.yml"),
    ("javascript-url", "patterns/llm-gateway.yml"),
    ("wrong-type", "policies/pii-redaction.yml"),
    ("policy-without-patterns", "policies/pii-redaction.yml"),
    ("unquoted-number", "pilots/claims-team.yml"),
]


@pytest.mark.parametrize(("case", "rel"), SHAPE_FAULTS, ids=[c for c, _ in SHAPE_FAULTS])
def test_schema_refuses_what_the_model_refuses(case: str, rel: str) -> None:
    assert schema_errors(FIXTURES / "invalid" / case / rel, rel) != []
