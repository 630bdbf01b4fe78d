"""What to standardise next: the parts use cases built themselves, pattern candidates, similar work across teams
and the register over time.

The page tests work the figures out from the YAML files themselves, with their own arithmetic, and compare them
with what the built site shows through its ``data-playbook-*`` hooks.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner

from playbook.cli.main import main
from sitebuild import REPO, assemble


def read(path: Path) -> Any:
    """A YAML file of the shipped playbook, read with libyaml: this module reads them all as it is collected."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


CASES: dict[str, dict[str, Any]] = {path.stem: read(path) for path in sorted((REPO / "usecases").glob("*.yml"))}
PATTERN_STATUS = {path.stem: read(path)["status"] for path in (REPO / "patterns").glob("*.yml")}
RIGHTS = read(REPO / "framework" / "decision-rights.yml")
TIERS = read(REPO / "framework" / "risk-tiers.yml")["tiers"]
THRESHOLD = RIGHTS.get("pattern_candidate_teams", 3)


def kebab(name: str) -> str:
    return re.sub(r"[\W_]+", "-", name.lower()).strip("-")


def capabilities(case: dict[str, Any]) -> set[str]:
    return {kebab(part["capability"]) for part in case.get("built", [])}


def page(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


# --- pattern candidates ----------------------------------------------------------------------------------------


def expected_candidates() -> tuple[list[str], list[str], dict[str, list[str]]]:
    """(candidates in page order, watch list in page order, use-case ids by capability), from the YAML."""
    built_by: dict[str, list[str]] = defaultdict(list)
    for key, case in CASES.items():
        if case.get("outcome") in ("rejected", "withdrawn"):
            continue
        for capability in capabilities(case):
            built_by[capability].append(key)

    def teams(capability: str) -> int:
        return len({CASES[c]["team"] for c in built_by[capability]})

    def hours(capability: str) -> float:
        return sum((CASES[c].get("value") or {}).get("hours_saved_per_month", 0) for c in built_by[capability])

    ranked = sorted(built_by, key=lambda c: (-teams(c), -hours(c), c))
    return ([c for c in ranked if teams(c) >= THRESHOLD], [c for c in ranked if teams(c) == THRESHOLD - 1],
            dict(built_by))


def test_the_shipped_register_has_a_candidate_and_a_capability_one_team_short() -> None:
    candidates, watch, _ = expected_candidates()
    assert THRESHOLD == 3
    assert candidates and watch


def test_candidates_page_lists_each_capability_built_by_enough_teams(default_site: Path) -> None:
    candidates, watch, built_by = expected_candidates()
    soup = page(default_site, "pattern-candidates")
    listed = soup.select_one("[data-playbook-candidates]")
    watched = soup.select_one("[data-playbook-watch]")
    assert listed is not None and watched is not None
    assert [s["data-playbook-candidate"] for s in listed.select("[data-playbook-candidate]")] == candidates
    assert [s["data-playbook-candidate"] for s in watched.select("[data-playbook-candidate]")] == watch
    adopted = {p for p, status in PATTERN_STATUS.items() if status == "adopted"}
    for section in soup.select("[data-playbook-candidate]"):
        capability = str(section["data-playbook-candidate"])
        cases = built_by[capability]
        rows = section.select("tr[data-playbook-usecase]")
        assert sorted(str(r["data-playbook-usecase"]) for r in rows) == sorted(cases)
        for row in rows:
            case = CASES[str(row["data-playbook-usecase"])]
            assert row["data-playbook-team"] == case["team"]
            link = row.find("a")
            assert link is not None and text(link) == case["title"]
            assert str(link["href"]).rstrip("/").endswith(f"usecases/{case['id']}")
            decided = case.get("decided")
            assert row["data-playbook-decided"] == (decided.isoformat() if decided else "")
            if decided:
                time = row.find("time")
                assert time is not None and time["datetime"] == decided.isoformat()
        hours = sum((CASES[c].get("value") or {}).get("hours_saved_per_month", 0) for c in cases)
        assert float(str(section.select_one("[data-playbook-value]")["data-playbook-value"])) == hours
        teams = sorted({CASES[c]["team"] for c in cases})
        shared = set.intersection(*({p for c in cases if CASES[c]["team"] == t for p in CASES[c].get("patterns", [])}
                                    & adopted for t in teams))
        hook = section.select_one("[data-playbook-shared]")
        assert hook is not None and set(str(hook["data-playbook-shared"]).split()) == shared


def test_report_lists_the_same_candidates() -> None:
    candidates, watch, _ = expected_candidates()
    result = CliRunner().invoke(main, ["report", "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Pattern candidates:", 1)[1]
    found, watched = listed.split("Watch list:", 1)
    assert re.findall(r"^  ([\w-]+): \d+ teams", found, re.M) == candidates
    assert re.findall(r"^  ([\w-]+): \d+ teams", watched, re.M) == watch


def copy_of_repo(tmp_path: Path) -> Path:
    return assemble(REPO, tmp_path / "pb")


def test_new_pattern_from_a_candidate_prefills_its_teams_and_never_overwrites(tmp_path: Path) -> None:
    candidates, _, built_by = expected_candidates()
    capability = candidates[0]
    root = copy_of_repo(tmp_path)
    args = ["new", "pattern", capability, "--from-candidate", capability.upper().replace("-", " "),
            "--root", str(root), "--no-interactive"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((root / "patterns" / f"{capability}.yml").read_text(encoding="utf-8"))
    pilots = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["name"] for p in (root / "pilots").glob("*.yml")}
    assert written["adopted_by"] == sorted(pilots[CASES[c]["team"]] for c in built_by[capability])
    for case in built_by[capability]:
        assert f"usecases/{case}.yml" in written["how_it_works"]
    before = (root / "patterns" / f"{capability}.yml").read_bytes()
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert (root / "patterns" / f"{capability}.yml").read_bytes() == before


def test_new_pattern_from_an_unknown_capability_suggests_the_near_one(tmp_path: Path) -> None:
    candidates, _, _ = expected_candidates()
    misspelt = candidates[0][:-2]
    root = copy_of_repo(tmp_path)
    result = CliRunner().invoke(main, ["new", "pattern", "x-pattern", "--from-candidate", misspelt,
                                       "--root", str(root), "--no-interactive"])
    assert result.exit_code == 1
    assert f"error: no use case built the capability '{misspelt}' (did you mean '{candidates[0]}'?)" in result.output
    assert not (root / "patterns" / "x-pattern.yml").exists()


# --- similar work ------------------------------------------------------------------------------------------------


def test_every_use_case_page_links_similar_work_of_other_teams_only(default_site: Path) -> None:
    linked_any = 0
    for key, case in CASES.items():
        soup = page(default_site, f"usecases/{key}")
        block = soup.select_one("[data-playbook-similar]")
        assert block is not None, key
        items = block.select("[data-playbook-similar-case]")
        assert len(items) <= 5
        linked_any += len(items)
        words_of_case = {w.lower() for w in re.findall(r"\w+", f"{case['title']} {case['description']}")}
        shown = []
        for item in items:
            other = CASES[str(item["data-playbook-similar-case"])]
            shown.append(other["id"])
            assert other["team"] != case["team"], f"{key} links {other['id']} of its own team"
            link = item.find("a")
            assert link is not None and text(link) == other["title"]
            reasons = item.select("[data-playbook-reason]")
            assert reasons, f"{key} links {other['id']} without a reason"
            for reason in reasons:
                kind = reason["data-playbook-reason"]
                if kind == "capability":
                    named = set(str(reason["data-playbook-capabilities"]).split())
                    assert named and named <= capabilities(case) & capabilities(other)
                elif kind == "patterns":
                    named = set(str(reason["data-playbook-patterns"]).split())
                    assert named and named <= set(case.get("patterns", [])) & set(other.get("patterns", []))
                else:
                    listed = text(reason).split(":", 1)[1]
                    assert all(w.strip().lower() in words_of_case for w in listed.split(","))
        # Another team's case that built the same capability comes before any other reason.
        same = [o for o, c in CASES.items() if c["team"] != case["team"] and capabilities(c) & capabilities(case)]
        assert set(shown[: len(same)]) == set(same[:5]), key
    assert linked_any


# --- the register over time --------------------------------------------------------------------------------------


def business_days(start: dt.date, end: dt.date) -> int:
    return sum((start + dt.timedelta(days=n)).weekday() < 5 for n in range((end - start).days))


def quarter(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def number(cell: str) -> float | None:
    return None if cell in ("—", "") else float(cell.replace(",", ""))


def table(figure: Tag) -> dict[str, list[str]]:
    return {str(row["data-playbook-period"]): [text(c) for c in row.find_all(["th", "td"])]
            for row in figure.select("tr[data-playbook-period]")}


def per_quarter(cases: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    figures: dict[str, dict[str, Any]] = defaultdict(lambda: {"decisions": defaultdict(int), "waits": defaultdict(list),
                                                              "built": 0, "adopted": 0, "hours": 0.0})
    for case in cases.values():
        period = quarter(case.get("decided") or case["requested"])
        mine = figures[period]
        if case.get("decided"):
            mine["decisions"][case["tier"]] += 1
            mine["waits"][case["tier"]].append(business_days(case["requested"], case["decided"]))
        if case["status"] != "idea":
            mine["built"] += 1
            patterns = case.get("patterns", [])
            mine["adopted"] += bool(patterns) and not case.get("built") and not case.get("custom_parts") and all(
                PATTERN_STATUS.get(p) == "adopted" for p in patterns)
        mine["hours"] += (case.get("value") or {}).get("hours_saved_per_month", 0)
    return figures


def test_the_shipped_register_spans_three_quarters() -> None:
    assert len({quarter(c["decided"]) for c in CASES.values() if c.get("decided")}) >= 3


def test_metrics_page_charts_each_quarter_from_the_register(default_site: Path) -> None:
    soup = page(default_site, "metrics")
    figures = per_quarter(CASES)
    tiers = [t["id"] for t in TIERS]
    decisions = table(soup.select_one('[data-playbook-chart="trend-decisions"]'))
    assert sorted(decisions) == sorted(figures)
    for period, row in decisions.items():
        expected = [figures[period]["decisions"].get(t, 0) for t in tiers]
        assert [number(c) for c in row[1:]] == [*expected, sum(expected)], period
    for tier in tiers:
        chart = soup.select_one(f'[data-playbook-chart="trend-turnaround-{tier}"]')
        waits = {p: f["waits"].get(tier, []) for p, f in figures.items()}
        if not any(waits.values()):
            assert chart is None
            continue
        assert chart is not None
        target = next(t.get("turnaround_days") for t in TIERS if t["id"] == tier)
        for period, row in table(chart).items():
            mine = sorted(waits[period])
            median = statistics.median(mine) if mine else None
            p90 = mine[max(1, math.ceil(0.9 * len(mine))) - 1] if mine else None
            assert [number(c) for c in row[1:]] == [len(mine), median, p90, target], (tier, period)
    adoption = table(soup.select_one('[data-playbook-chart="trend-adoption"]'))
    for period, row in adoption.items():
        built, adopted = figures[period]["built"], figures[period]["adopted"]
        assert row[2] == f"{adopted} of {built}"
        assert row[1] == ("—" if not built else f"{round(100 * adopted / built, 1):g}%")
    value = table(soup.select_one('[data-playbook-chart="trend-value"]'))
    assert {p: number(r[1]) for p, r in value.items()} == {p: f["hours"] for p, f in figures.items()}


def test_each_chart_is_an_image_with_a_title_a_description_and_its_table(default_site: Path) -> None:
    for rel in ("metrics", "pilots"):
        soup = page(default_site, rel)
        charts = soup.select("[data-playbook-chart]")
        assert charts
        for chart in charts:
            svg = chart.find("svg")
            assert svg is not None and svg["role"] == "img"
            title, desc = svg.find("title"), svg.find("desc")
            assert title is not None and text(title) and desc is not None and text(desc)
            assert svg["aria-labelledby"] == title["id"]
            described = str(svg["aria-describedby"]).split()
            assert desc["id"] in described
            tables = [soup.find(id=i) for i in described if i != desc["id"]]
            assert tables and all(t is not None and t.name == "table" and t.select("tr[data-playbook-period]")
                                  for t in tables)
            assert not chart.select("script, foreignObject, image")


def test_each_pilot_shows_its_own_trend(default_site: Path) -> None:
    soup = page(default_site, "pilots")
    for path in sorted((REPO / "pilots").glob("*.yml")):
        team = path.stem
        mine = {k: c for k, c in CASES.items() if c["team"] == team}
        block = soup.select_one(f'[data-playbook-pilot-trend="{team}"]')
        assert block is not None, team
        decisions = table(block.select_one(f'[data-playbook-chart="pilot-{team}-decisions"]'))
        figures = per_quarter(mine)
        assert {p: number(r[-1]) for p, r in decisions.items()} == {
            p: sum(f["decisions"].values()) for p, f in figures.items()}


def test_a_dutch_register_words_its_charts_and_dates_in_dutch(tmp_path: Path) -> None:
    root = copy_of_repo(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: nl"), encoding="utf-8")
    from sitebuild import build

    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    soup = page(root / "site", "metrics")
    decisions = soup.select_one('[data-playbook-chart="trend-decisions"]')
    assert decisions is not None and "Besluiten per risiconiveau" in text(decisions)
    periods = [text(r.find("th")) for r in decisions.select("tr[data-playbook-period]")]
    assert periods and all(re.fullmatch(r"K[1-4] \d{4}", p) for p in periods)
    adoption = soup.select_one('[data-playbook-chart="trend-adoption"]')
    assert adoption is not None and any("," in text(c) for c in adoption.select("td"))
    candidates = page(root / "site", "pattern-candidates")
    assert any(re.fullmatch(r"\d{1,2} (jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) \d{4}", text(t))
               for t in candidates.select("time"))


# --- checking what was built -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["usecase-built-names", "usecase-custom-parts"])
def test_built_parts_are_checked_at_their_line(name: str) -> None:
    fixture = REPO / "tests" / "fixtures" / "invalid" / name
    result = CliRunner().invoke(main, ["check", "--root", str(fixture)])
    assert result.output.splitlines() == (fixture / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_a_file_written_before_built_still_loads_and_still_blocks_the_fast_track(tmp_path: Path) -> None:
    from playbook.check.validate import check
    from playbook.register.cases import case_assessments

    root = copy_of_repo(tmp_path)
    path = root / "usecases" / "invoice-matching.yml"
    data = path.read_text(encoding="utf-8")
    start = data.index("built:")
    end = data.index("status:", start)
    path.write_text(data[:start] + "custom_parts: true\n" + data[end:], encoding="utf-8")
    playbook, problems, _ = check(root)
    assert [p.code for p in problems] == ["custom-parts"]
    assert "built:" in str(problems[0].words) or problems[0].line == data[:start].count("\n") + 1
    case = playbook.usecases["invoice-matching"]
    assert case.builds_own_parts and not case.built
    assert case_assessments(playbook)["invoice-matching"].assessment.fast_track is False


def test_a_withdrawn_use_case_does_not_make_a_candidate(tmp_path: Path) -> None:
    from playbook.check.validate import check
    from playbook.register.candidates import pattern_candidates

    candidates, _, built_by = expected_candidates()
    capability = candidates[0]
    root = copy_of_repo(tmp_path)
    last = built_by[capability][-1]
    path = root / "usecases" / f"{last}.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("outcome: approved\n", "outcome: withdrawn\n"),
                    encoding="utf-8")
    playbook, _problems, _ = check(root)
    found = pattern_candidates(playbook)
    assert capability not in [c.capability for c in found.candidates]
    assert capability in [c.capability for c in found.watch]


def test_a_synthetic_register_has_candidates_and_similar_work(tmp_path: Path) -> None:
    from playbook.check.validate import check
    from playbook.register.candidates import pattern_candidates
    from playbook.register.similar import similar_work

    result = CliRunner().invoke(main, ["synth", "--patterns", "12", "--policies", "10", "--usecases", "400",
                                       "--out", str(tmp_path / "s"), "--seed", "3"])
    assert result.exit_code == 0, result.output
    playbook, problems, _ = check(tmp_path / "s")
    assert not problems
    assert pattern_candidates(playbook).candidates
    index = similar_work(playbook.usecases)
    built = [key for key, case in playbook.usecases.items() if case.built]
    assert any(m.capabilities for key in built for m in index.of(key))


def test_a_register_younger_than_two_quarters_is_shown_per_month() -> None:
    from playbook.check.validate import check
    from playbook.register.trends import register_trends

    playbook, _problems, _ = check(REPO / "tests" / "fixtures" / "valid" / "small")
    decided = {c.decided for c in playbook.usecases.values() if c.decided}
    assert len({quarter(d) for d in decided}) == 1
    trends = register_trends(playbook)
    assert trends.months == 1
    assert [f.period.key for f in trends.periods] == sorted({f"{d.year}-{d.month:02d}" for d in decided})
