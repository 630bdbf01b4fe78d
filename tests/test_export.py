"""`playbook export`: the JSON matches its published schema and round-trips; the CSV has one row per item."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

from playbook.authoring.synth import write_synth
from playbook.check.validate import check, validate
from playbook.cli.main import main
from playbook.data.model.playbook import Playbook
from playbook.data.problems import PlaybookError
from playbook.export.formats import export_csv_files, export_document, export_json_text, load_export

SCHEMA = Path(__file__).parent.parent / "schemas" / "export.schema.json"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "playbook"
    write_synth(out, patterns=12, policies=20, seed=7, usecases=25)
    return out


@pytest.fixture(scope="module")
def playbook(root: Path) -> Playbook:
    loaded, problems, _count = check(root)
    assert [str(p) for p in problems if p.severity == "error"] == []
    return loaded


def export(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, ["export", *map(str, args)])
    # A traceback would show up as an exception other than SystemExit.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def schema_errors(document: Any) -> list[str]:
    validator = Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_json_matches_the_published_schema(playbook: Playbook) -> None:
    document = json.loads(export_json_text(playbook))
    assert document["schema_version"] == "1.2"
    assert schema_errors(document) == []


def test_schema_refuses_a_document_with_a_missing_id(playbook: Playbook) -> None:
    document = export_document(playbook)
    del document["patterns"][0]["id"]
    assert schema_errors(document) != []
    with pytest.raises(PlaybookError, match=r"patterns\.0\.id: Field required"):
        load_export(document)


def test_json_round_trips_to_equal_models(playbook: Playbook) -> None:
    text = export_json_text(playbook)
    rebuilt = load_export(json.loads(text))
    assert rebuilt.patterns == playbook.patterns
    assert list(rebuilt.patterns) == list(playbook.patterns)
    assert rebuilt.policies == playbook.policies
    assert rebuilt.pilots == playbook.pilots
    assert rebuilt.risk_tiers == playbook.risk_tiers
    assert rebuilt.roadmap == playbook.roadmap
    assert rebuilt.decision_rights == playbook.decision_rights
    # The register's internal fields (reviewer, audits) are not exported, so only the published view comes back.
    assert len(playbook.usecases) == 25 and any(c.reviewer for c in playbook.usecases.values())
    assert {k: c.published() for k, c in rebuilt.usecases.items()} == {
        k: c.published() for k, c in playbook.usecases.items()}
    assert all(c.reviewer is None and c.audits == [] for c in rebuilt.usecases.values())
    assert export_json_text(rebuilt) == text
    assert [p for p in validate(rebuilt) if p.severity == "error"] == []


def test_json_holds_dates_as_iso_text(playbook: Playbook) -> None:
    document = export_document(playbook)
    first = next(iter(playbook.patterns.values()))
    assert document["patterns"][0]["review_by"] == first.review_by.isoformat()
    pilot = next(iter(playbook.pilots.values()))
    assert document["pilots"][0]["start"] == pilot.start.isoformat()


def test_load_export_refuses_another_schema_version(playbook: Playbook) -> None:
    document = export_document(playbook) | {"schema_version": "2.0"}
    with pytest.raises(PlaybookError, match="schema_version '2.0'"):
        load_export(document)


def test_load_export_reads_a_1_0_document_as_one_without_use_cases(playbook: Playbook) -> None:
    document = export_document(playbook) | {"schema_version": "1.0"}
    del document["usecases"]
    assert load_export(document).usecases == {}


def test_load_export_reads_a_1_1_document_as_one_without_learnings(playbook: Playbook) -> None:
    document = export_document(playbook) | {"schema_version": "1.1"}
    del document["learnings"]
    loaded = load_export(document)
    assert loaded.learnings == {}
    assert list(loaded.usecases) == list(playbook.usecases)


def test_csv_has_exactly_one_row_per_item(playbook: Playbook) -> None:
    files = export_csv_files(playbook)
    assert sorted(files) == ["decisions.csv", "learnings.csv", "patterns.csv", "policies.csv", "roadmap.csv",
                             "tiers.csv", "usecases.csv"]
    assert playbook.roadmap and playbook.decision_rights
    expected = {
        "patterns.csv": list(playbook.patterns),
        "policies.csv": list(playbook.policies),
        "tiers.csv": [t.id for t in playbook.tiers],
        "roadmap.csv": [i.id for s in playbook.roadmap.steps for i in s.checklist],
        "decisions.csv": [d.id for d in playbook.decision_rights.decisions],
        "usecases.csv": list(playbook.usecases),
        "learnings.csv": list(playbook.learnings),
    }
    for name, ids in expected.items():
        rows = csv_rows(files[name])
        key = "item" if name == "roadmap.csv" else "id"
        assert [row[key] for row in rows] == ids, name


def test_csv_joins_lists_and_keeps_markdown_whole(playbook: Playbook) -> None:
    files = export_csv_files(playbook)
    pattern = next(iter(playbook.patterns.values()))
    row = csv_rows(files["patterns.csv"])[0]
    assert row["tiers"] == "; ".join(pattern.tiers)
    assert row["how_it_works"] == pattern.how_it_works
    assert "\n\n" in row["how_it_works"]
    assert playbook.decision_rights and playbook.roadmap
    decision = playbook.decision_rights.decisions[0]
    first = csv_rows(files["decisions.csv"])[0]
    assert first["responsible"] == "; ".join(decision.raci.responsible)
    assert first["accountable"] == decision.raci.accountable[0]
    step = playbook.roadmap.steps[0]
    item = csv_rows(files["roadmap.csv"])[0]
    assert (item["step"], item["item"], item["owner"]) == (step.id, step.checklist[0].id, step.checklist[0].owner)
    assert item["owner_name"] == playbook.role_name(step.checklist[0].owner)


def test_export_json_to_stdout(root: Path, playbook: Playbook) -> None:
    result = export("--root", root)
    assert result.exit_code == 0
    assert result.stdout == export_json_text(playbook)


def test_export_json_file_refuses_to_overwrite(root: Path, playbook: Playbook, tmp_path: Path) -> None:
    out = tmp_path / "playbook.json"
    assert export("--root", root, "--out", out).exit_code == 0
    assert out.read_text(encoding="utf-8") == export_json_text(playbook)
    out.write_text("keep me", encoding="utf-8")
    result = export("--root", root, "--out", out)
    assert result.exit_code == 1
    assert "already exists; pass --force" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    assert export("--root", root, "--out", out, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8") == export_json_text(playbook)


def test_export_csv_writes_one_file_per_kind_and_refuses_to_overwrite(
    root: Path, playbook: Playbook, tmp_path: Path
) -> None:
    out = tmp_path / "csv"
    assert export("--root", root, "--format", "csv", "--out", out).exit_code == 0
    files = export_csv_files(playbook)
    assert sorted(p.name for p in out.iterdir()) == sorted(files)
    for name, text in files.items():
        with (out / name).open(encoding="utf-8", newline="") as handle:
            assert handle.read() == text
    (out / "tiers.csv").write_text("edited by hand", encoding="utf-8")
    result = export("--root", root, "--format", "csv", "--out", out)
    assert result.exit_code == 1
    assert "tiers.csv" in result.output and "--force" in result.output
    assert (out / "tiers.csv").read_text(encoding="utf-8") == "edited by hand"
    assert export("--root", root, "--format", "csv", "--out", out, "--force").exit_code == 0
    assert (out / "tiers.csv").read_text(encoding="utf-8") != "edited by hand"


def test_export_csv_defaults_to_exports_folder(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert export("--root", root, "--format", "csv").exit_code == 0
    assert (tmp_path / "exports" / "patterns.csv").is_file()


@pytest.mark.parametrize("folder", ["patterns", "framework"])
def test_export_never_writes_into_yaml_folders(root: Path, folder: str) -> None:
    before = sorted(p.name for p in (root / folder).iterdir())
    result = export("--root", root, "--format", "csv", "--out", root / folder)
    assert result.exit_code == 1
    assert f"inside the playbook's {folder}/ folder" in result.output
    assert sorted(p.name for p in (root / folder).iterdir()) == before


def test_export_refuses_a_playbook_with_errors(root: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(root, broken)
    policy = sorted((broken / "policies").glob("*.yml"))[0]
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("patterns:\n- ", "patterns:\n- no-such-pattern\n- ", 1), encoding="utf-8")
    out = tmp_path / "out.json"
    result = export("--root", broken, "--out", out)
    assert result.exit_code == 1
    assert "fix them before exporting" in result.output
    assert f"policies/{policy.name}:" in result.output and "unknown pattern 'no-such-pattern'" in result.output
    assert not out.exists()


def test_load_export_refuses_a_pattern_listed_twice(playbook: Playbook) -> None:
    document = export_document(playbook)
    document["patterns"].append(document["patterns"][0])
    with pytest.raises(PlaybookError, match="lists pattern .* more than once"):
        load_export(document)


def test_the_json_export_kept_entry_by_entry_is_the_same_text(root: Path) -> None:
    """``playbook serve`` encodes again only the entries of the export document that changed: its text is
    ``json.dumps(document, indent=2)``'s, byte for byte, for every fixture, after an edit, and for values that
    compare equal in Python but not in JSON."""
    from playbook.export.formats import JsonPieces

    pieces = JsonPieces()
    repo = Path(__file__).parent.parent
    for where in [repo, *sorted(p for p in (repo / "tests" / "fixtures" / "valid").iterdir() if p.is_dir()), root]:
        playbook = check(where)[0]
        expected = export_json_text(playbook)
        assert export_json_text(playbook, pieces) == expected == export_json_text(playbook, pieces), where.name
    for document in ({}, {"a": []}, {"a": {}, "b": [{}], "c": [[], [1, 2]], "d": "é\n"},
                     {"a": [1], "b": {"x": [{"y": True}]}}, {"a": [True], "b": {"x": [{"y": 1.0}]}}):
        assert pieces.dumps(document) == json.dumps(document, indent=2, ensure_ascii=False), document
