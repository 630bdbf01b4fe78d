"""`playbook synth`: valid, deterministic synthetic playbooks of a requested size."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from playbook.authoring.synth import synth_files
from playbook.check.validate import check
from playbook.cli.main import main


def synth(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, ["synth", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_small_synthetic_playbook_passes_check(tmp_path: Path) -> None:
    out = tmp_path / "pb"
    result = synth("--patterns", "20", "--policies", "40", "--out", out, "--seed", "3")
    assert result.exit_code == 0, result.output
    playbook, problems, count = check(out)
    assert [str(p) for p in problems] == []
    assert len(playbook.patterns) == 20
    assert len(playbook.policies) == 40
    assert playbook.risk_tiers and playbook.roadmap and playbook.decision_rights
    assert len(playbook.tiers) == 4
    assert {q.type for q in playbook.risk_tiers.questions} == {"yes_no", "amount", "choice", "multi_choice"}
    assert len(playbook.roadmap.steps) == 5
    assert 1 <= len(playbook.pilots) <= 5
    assert count == 20 + 40 + 3 + len(playbook.pilots)


def test_synthetic_items_look_real(tmp_path: Path) -> None:
    out = tmp_path / "pb"
    synth("--patterns", "30", "--policies", "30", "--out", out)
    playbook, _problems, _count = check(out)
    assert playbook.risk_tiers
    for pattern in playbook.patterns.values():
        assert 3 <= len(pattern.controls) <= 6
        assert 2 <= len(pattern.when_to_use) <= 5
        assert pattern.how_it_works.count("\n\n") >= 3, pattern.id
        assert pattern.related and pattern.id not in pattern.related
    assert all(1 <= len(policy.patterns) <= 4 for policy in playbook.policies.values())
    # Worked examples get their tier from the classifier; every tier should be shown by one.
    assert {e.expected_tier for e in playbook.risk_tiers.examples} == {t.id for t in playbook.tiers}
    assert 10 <= len(playbook.risk_tiers.examples) <= 14


def test_smallest_playbook_passes_check(tmp_path: Path) -> None:
    out = tmp_path / "pb"
    assert synth("--patterns", "1", "--policies", "0", "--out", out).exit_code == 0
    _playbook, problems, _count = check(out)
    assert [str(p) for p in problems] == []


def test_same_seed_writes_identical_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert synth("--patterns", "15", "--policies", "25", "--seed", "42", "--out", tmp_path / name).exit_code == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_different_seed_writes_a_different_playbook() -> None:
    first, second = synth_files(15, 25, seed=1), synth_files(15, 25, seed=2)
    assert first != second
    patterns = [sorted(p for p in files if p.startswith("patterns/")) for files in (first, second)]
    assert patterns[0] != patterns[1]


def test_refuses_a_non_empty_out_folder(tmp_path: Path) -> None:
    out = tmp_path / "pb"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = synth("--patterns", "5", "--policies", "5", "--out", out)
    assert result.exit_code == 1
    assert "not an empty folder" in result.output
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("args", [["--patterns", "0"], ["--policies", "-1"]])
def test_refuses_impossible_sizes(tmp_path: Path, args: list[str]) -> None:
    result = synth(*args, "--out", tmp_path / "pb")
    assert result.exit_code == 2
    assert not (tmp_path / "pb").exists()
