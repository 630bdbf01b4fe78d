"""The registry of kinds: each kind declared once, and every part of the engine iterating over it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pydantic import Field

from playbook.check.validate import check
from playbook.cli.main import main
from playbook.cli.new import _new_command, new
from playbook.data.kinds import (
    BY_NAME,
    COLLECTIONS,
    KINDS,
    LEARNING,
    PATTERN,
    PILOT,
    ROADMAP,
    USECASE,
    Kind,
    Scaffold,
    data_folders,
    kind_of_path,
)
from playbook.data.model.items import Id, Item, Line, Pattern
from playbook.data.model.usecase import PublishedUseCase
from playbook.export.formats import export_csv_files, export_document
from playbook.export.schemas import render_schemas
from playbook.site.generated import each_page_maker, generated_pages, page_renderers
from playbook.site.pages.usecase import UseCasePages

ROOT = Path(__file__).resolve().parent.parent
SMALL = Path(__file__).parent / "fixtures" / "valid" / "small"


def test_every_kind_is_declared_once_under_its_own_name_attribute_and_path() -> None:
    assert [k.name for k in KINDS] == ["pattern", "policy", "risk-tiers", "roadmap", "decision-rights", "pilot",
                                      "usecase", "learning"]
    for attr in ("name", "attribute", "model", "schema_name"):
        values = [getattr(k, attr) for k in KINDS]
        assert len(set(values)) == len(values), attr
    paths = [k.folder or k.file for k in KINDS]
    assert len(set(paths)) == len(paths)
    assert BY_NAME["pilot"] is PILOT


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_each_kind_has_its_published_schema(kind: Kind) -> None:
    assert (ROOT / "schemas" / kind.schema_name).is_file()
    assert kind.schema_name in render_schemas()


def test_data_folders_and_file_kinds_come_from_the_registry() -> None:
    assert data_folders() == ["framework", "patterns", "policies", "pilots", "usecases", "learnings"]
    assert kind_of_path("framework/roadmap.yml") is ROADMAP
    assert kind_of_path("patterns/llm-gateway.yml") is PATTERN
    assert kind_of_path("pilots/claims-team.yml") is PILOT
    assert kind_of_path("learnings/triage-missed-new-claim-types.yml") is LEARNING
    assert kind_of_path("patterns/sub/x.yml") is None
    assert kind_of_path("framework/other.yml") is None
    assert kind_of_path("docs/index.md") is None


def test_a_kind_has_a_folder_or_a_file_not_both() -> None:
    with pytest.raises(ValueError, match="exactly one of folder and file"):
        Kind("thing", Pattern, "things", "Things", "Every thing.", folder="things", file="framework/things.yml")
    with pytest.raises(ValueError, match="exactly one of folder and file"):
        Kind("thing", Pattern, "things", "Things", "Every thing.")


def test_load_fills_every_kind_and_records_where_each_item_came_from() -> None:
    playbook, problems, _count = check(SMALL)
    assert [str(p) for p in problems if p.severity == "error"] == []
    for kind in KINDS:
        loaded = kind.loaded(playbook)
        assert loaded, kind.name
        for item_id, _item in loaded:
            assert playbook.source_of(kind, item_id).path == kind.path_of(item_id)
    assert playbook.patterns is PATTERN.items(playbook)


def test_every_kind_with_a_route_has_a_page_and_the_edit_link_names_its_file() -> None:
    playbook, _problems, _count = check(SMALL)
    routed = {k for k in KINDS if k.route}
    assert set(page_renderers(playbook)) == routed
    pages = {path: edit for path, _markdown, edit in generated_pages(playbook)}
    for pattern_id in playbook.patterns:
        assert pages[f"patterns/{pattern_id}.md"] == f"patterns/{pattern_id}.yml"
    assert playbook.roadmap is not None
    for step in playbook.roadmap.steps:
        assert pages[f"rollout/{step.id}.md"] == "framework/roadmap.yml"
    assert playbook.usecases
    for case_id in playbook.usecases:
        assert pages[f"usecases/{case_id}.md"] == f"usecases/{case_id}.yml"
    for learning_id in playbook.learnings:
        assert pages[f"learnings/{learning_id}.md"] == f"learnings/{learning_id}.yml"
    assert not any(path.startswith("pilots/") for path in pages)


def test_each_renderer_gets_only_what_its_kind_publishes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A use-case page is rendered from the published model: the reviewer and audits never reach it."""
    import playbook.site.generated as generated

    playbook, _problems, _count = check(SMALL)
    seen: dict[Kind, set[type]] = {}
    renderers = generated.page_renderers

    def spied(*args: object, **kwargs: object) -> dict[Kind, generated.Renderer]:
        def spy(kind: Kind, render: generated.Renderer) -> generated.Renderer:
            def record(entry: object, n: int) -> str | None:
                seen.setdefault(kind, set()).add(type(entry))
                return render(entry, n)
            return record
        return {kind: spy(kind, render) for kind, render in renderers(*args, **kwargs).items()}  # type: ignore[arg-type]

    monkeypatch.setattr(generated, "page_renderers", spied)
    generated.generated_pages(playbook)
    assert seen[USECASE] == {PublishedUseCase}
    assert seen[PATTERN] == {Pattern}


def test_use_case_pages_are_written_when_asked_for_and_read_as_the_generated_pages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin lists every page before mkdocs reads the first: a use case's Markdown is written only when its
    page is read, so a large register's pages are never all held at once."""
    playbook, _problems, _count = check(SMALL)
    written: list[str] = []
    render = UseCasePages.__call__

    def counted(self: UseCasePages, case: PublishedUseCase, n: int = 0) -> str | None:
        written.append(case.id)
        return render(self, case, n)

    monkeypatch.setattr(UseCasePages, "__call__", counted)
    made = list(each_page_maker(playbook))
    assert written == []
    eager = generated_pages(playbook)
    assert len(written) == len(playbook.usecases)
    assert [(path, edit) for path, _make, edit in made] == [(path, edit) for path, _markdown, edit in eager]
    assert [make() for _path, make, _edit in made] == [markdown for _path, markdown, _edit in eager]
    assert len(written) == 2 * len(playbook.usecases)


def test_the_export_has_an_entry_per_kind_and_a_csv_per_kind_that_declares_one() -> None:
    playbook, _problems, _count = check(SMALL)
    document = export_document(playbook)
    assert list(document) == ["schema_version", *(k.attribute for k in KINDS)]
    for kind in COLLECTIONS:
        assert [kind.id_of(kind.model.model_validate(d)) for d in document[kind.attribute]] == list(
            kind.items(playbook)
        )
    assert list(export_csv_files(playbook)) == [k.csv for k in KINDS if k.csv]


def test_a_kind_with_a_csv_but_no_table_of_its_own_gets_a_column_per_field(monkeypatch: pytest.MonkeyPatch) -> None:
    import csv
    import dataclasses
    import io

    import playbook.export.formats

    pilots = dataclasses.replace(PILOT, csv="pilots.csv")
    monkeypatch.setattr(playbook.export.formats, "KINDS", tuple(pilots if k is PILOT else k for k in KINDS))
    pb, _problems, _count = check(SMALL)
    rows = list(csv.reader(io.StringIO(export_csv_files(pb)["pilots.csv"])))
    assert rows[0] == ["team", "name", "sponsor", "example", "start", "end", "step", "checklist", "metrics"]
    pilot = next(iter(pb.pilots.values()))
    assert rows[1][:2] == [pilot.team, pilot.name]
    assert rows[1][4] == pilot.start.isoformat()
    assert rows[1][7].startswith("{")  # a mapping is one JSON cell
    assert len(rows) == len(pb.pilots) + 1


class Note(Item):
    """A note: ``notes/<id>.yml``; a kind that exists only in this test."""

    id: Id
    """The note's slug."""
    text: Line
    """What the note says."""
    tags: list[Id] = Field(default_factory=list)
    """Tags of the note."""


NOTE = Kind("note", Note, "notes", "Notes", "Every note.", folder="notes", scaffold=Scaffold(needs="risk-tiers"))


def test_a_kind_with_a_scaffold_and_no_command_of_its_own_gets_playbook_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "pb"
    shutil.copytree(SMALL, root)
    monkeypatch.setitem(new.commands, "note", _new_command(NOTE))
    args = ["new", "note", "first-note", "--root", str(root)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"created {root / 'notes' / 'first-note.yml'}"
    text = (root / "notes" / "first-note.yml").read_text(encoding="utf-8")
    assert text.splitlines()[:3] == [
        "# yaml-language-server: $schema=../schemas/note.schema.json",
        "# A new note. Replace every TODO, then run `playbook check`; field rules: schemas/note.schema.json.",
        "# The file name must stay notes/<id>.yml.",
    ]
    assert yaml.safe_load(text) == {"id": "first-note", "text": "TODO: What the note says.", "tags": []}
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1
    assert again.stderr == "error: notes/first-note.yml already exists; edit it, or choose another id\n"


def test_every_collection_with_a_scaffold_can_be_created_with_playbook_new() -> None:
    assert {k.name for k in COLLECTIONS if k.scaffold} <= set(new.commands)
