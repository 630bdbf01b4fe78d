"""`playbook audit sample`: per tier, its audit share of the period's decisions, the same for the same seed."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from playbook.cli.main import main
from playbook.register.audit import parse_period, sample_size

ROOT = Path(__file__).resolve().parent.parent
USECASE = """\
id: {id}
title: Case {id}
team: finance
owner: Someone
description: Does things.
answers:
  production: true
  customer-impact: none
  automated-amount: 0
  data-categories: [internal]
  new-vendor: {vendor}
  deviates-from-standards: false
  affects-employment: false
status: production
requested: {requested}
decided: {decided}
review: {review}
outcome: {outcome}
"""


def audit(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, ["audit", "sample", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """The default playbook with its register replaced: 20 standard and 7 high decisions in 2026-Q4."""
    root = tmp_path / "playbook"
    for folder in ("framework", "patterns", "policies", "pilots"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "usecases").mkdir()
    for n in range(20):
        day = dt.date(2026, 10, 1) + dt.timedelta(days=n)
        (root / "usecases" / f"standard-{n:02}.yml").write_text(USECASE.format(
            id=f"standard-{n:02}", vendor="false", requested=day, decided=day, review="self-service",
            outcome="approved"))
    for n in range(7):
        day = dt.date(2026, 11, 2) + dt.timedelta(days=n)
        (root / "usecases" / f"high-{n}.yml").write_text(USECASE.format(
            id=f"high-{n}", vendor="true", requested=day, decided=day + dt.timedelta(days=9), review="central",
            outcome="rejected" if n % 2 else "approved"))
    # Withdrawn by the team: nobody decided, so it is not sampled.
    (root / "usecases" / "high-withdrawn.yml").write_text(USECASE.format(
        id="high-withdrawn", vendor="true", requested="2026-10-01", decided="2026-10-02", review="central",
        outcome="withdrawn"))
    # Decided in the quarter before.
    (root / "usecases" / "high-earlier.yml").write_text(USECASE.format(
        id="high-earlier", vendor="true", requested="2026-09-01", decided="2026-09-30", review="central",
        outcome="approved"))
    return root


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2026-Q4", "2026-10-01", "2026-12-31"),
    ("2026-Q1", "2026-01-01", "2026-03-31"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2026", "2026-01-01", "2026-12-31"),
])
def test_periods(text: str, start: str, end: str) -> None:
    period = parse_period(text)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize("text", ["2026-Q5", "2026-13", "Q4", "26-Q4", "2026-q4x", ""])
def test_a_period_that_cannot_be_read_is_a_usage_error(register: Path, text: str) -> None:
    result = audit("--root", register, "--period", text, "--seed", "1")
    assert result.exit_code == 2
    assert "Invalid value for '--period'" in result.stderr
    assert "write a quarter (2026-Q4), a month (2026-11) or a year (2026)" in result.stderr


@pytest.mark.parametrize(("share", "decisions", "size"), [
    (0.15, 20, 3),  # exactly 3: floating point would make 0.15 x 20 = 3.0000000000000004 and round up to 4
    (0.05, 20, 1),
    (0.3, 7, 3),
    (0.02, 3, 1),  # at least one where there are any
    (0.5, 0, 0),
    (1, 4, 4),
    (0, 5, 0),  # a tier that is never audited
])
def test_sample_size(share: float, decisions: int, size: int) -> None:
    assert sample_size(share, decisions) == size


def test_json_gives_per_tier_the_share_of_the_periods_decisions(register: Path) -> None:
    result = audit("--root", register, "--period", "2026-Q4", "--seed", "7", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert list(document) == ["period", "seed", "tiers"]
    assert (document["period"], document["seed"]) == ("2026-Q4", 7)
    rows = {row["tier"]: row for row in document["tiers"]}
    assert [row["tier"] for row in document["tiers"]] == ["experiment", "standard", "elevated", "high"]
    assert all(list(row) == ["tier", "decisions", "share", "sampled"] for row in document["tiers"])
    assert (rows["standard"]["decisions"], rows["standard"]["share"]) == (20, 0.05)
    assert len(rows["standard"]["sampled"]) == math.ceil(0.05 * 20) == 1
    assert (rows["high"]["decisions"], rows["high"]["share"]) == (7, 0.3)
    assert len(rows["high"]["sampled"]) == 3
    assert set(rows["high"]["sampled"]) <= {f"high-{n}" for n in range(7)}
    assert rows["elevated"] == {"tier": "elevated", "decisions": 0, "share": 0.15, "sampled": []}
    assert rows["experiment"]["sampled"] == []


def test_same_seed_and_data_give_the_same_sample_and_seeds_differ(register: Path) -> None:
    def sampled(seed: int) -> list[str]:
        result = audit("--root", register, "--period", "2026-Q4", "--seed", str(seed), "--format", "json")
        return [i for row in json.loads(result.stdout)["tiers"] for i in row["sampled"]]

    assert sampled(7) == sampled(7)
    assert len({tuple(sampled(seed)) for seed in range(12)}) > 1


def test_a_month_or_a_year_narrows_or_widens_the_decisions(register: Path) -> None:
    def decisions(period: str) -> dict[str, int]:
        result = audit("--root", register, "--period", period, "--seed", "1", "--format", "json")
        return {row["tier"]: row["decisions"] for row in json.loads(result.stdout)["tiers"]}

    assert decisions("2026-10") == {"experiment": 0, "standard": 20, "elevated": 0, "high": 0}
    assert decisions("2026-11") == {"experiment": 0, "standard": 0, "elevated": 0, "high": 7}
    assert decisions("2026")["high"] == 8  # the September decision too; the withdrawn one never
    assert decisions("2025") == {"experiment": 0, "standard": 0, "elevated": 0, "high": 0}


def test_markdown_is_a_checklist_for_the_auditor(register: Path) -> None:
    result = audit("--root", register, "--period", "2026-Q4", "--seed", "7")
    assert result.exit_code == 0
    text = result.stdout
    sampled = json.loads(audit("--root", register, "--period", "2026-Q4", "--seed", "7", "--format", "json").stdout)
    ids = [i for row in sampled["tiers"] for i in row["sampled"]]
    assert text.startswith("# Audit sample for 2026-Q4\n")
    assert "4 of the 27 decisions made from 2026-10-01 to 2026-12-31, drawn with seed 7." in text
    assert "| High | 7 | 30% | 3 |" in text
    assert "## High: 3 of 7 decisions" in text
    for case_id in ids:
        assert f"- [ ] **`{case_id}`**: Case {case_id}" in text
        assert f"  - [ ] The finding is recorded under `audits:` in `usecases/{case_id}.yml`" in text
    assert text.count("  - [ ] The answers in the file still describe the solution as it runs today.") == len(ids)
    assert "It relies on a vendor or tool that is not on the approved list" in text


def test_a_period_without_decisions_says_so(register: Path) -> None:
    result = audit("--root", register, "--period", "2025-Q1", "--seed", "7")
    assert result.exit_code == 0
    assert result.stdout.rstrip().endswith("No decision was made in 2025-Q1: nothing to audit.")


def test_the_shipped_register_has_decisions_to_sample_in_both_quarters() -> None:
    for period in ("2026-Q3", "2026-Q4"):
        result = audit("--root", ROOT, "--period", period, "--seed", "1", "--format", "json")
        rows = json.loads(result.stdout)["tiers"]
        assert all(len(row["sampled"]) >= 1 for row in rows if row["decisions"]), period
        assert sum(row["decisions"] for row in rows) >= 5, period


def test_seed_and_period_are_required_and_a_broken_playbook_is_refused(register: Path) -> None:
    missing = audit("--root", register, "--period", "2026-Q4")
    assert missing.exit_code == 2 and "Missing option '--seed'" in missing.stderr
    (register / "usecases" / "high-0.yml").write_text(
        (register / "usecases" / "high-0.yml").read_text().replace("team: finance", "team: nobody"))
    broken = audit("--root", register, "--period", "2026-Q4", "--seed", "1")
    assert broken.exit_code == 1
    assert broken.stderr.splitlines()[:2] == [
        "error: the playbook has 1 error(s); fix them before sampling decisions",
        "usecases/high-0.yml:3:7: error: unknown team 'nobody'; a use case's team is the team of a pilot in "
        "pilots/ (add one with: playbook new pilot nobody) [unknown-ref]",
    ]
