"""The use-case register: the shipped cases, their computed assessments and the metrics built from them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from playbook.assess.explain import ENGLISH, describe
from playbook.check.validate import check
from playbook.cli.main import main
from playbook.data.kinds import data_folders
from playbook.data.model.items import ReviewPath
from playbook.data.model.playbook import Playbook
from playbook.data.model.usecase import Outcome, PublishedUseCase, UseCase
from playbook.register.cases import case_assessments
from playbook.register.metrics import business_days, nearest_rank, register_metrics, value_by_team

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_ON = dt.date(2026, 11, 30)
PLAYBOOK, PROBLEMS, _COUNT = check(ROOT, today=SHIPPED_ON)


def case(**fields: object) -> UseCase:
    """A valid use case of the default playbook, with ``fields`` changed."""
    base: dict[str, object] = {
        "id": "a-case", "title": "A case", "team": "finance", "owner": "Someone", "description": "Does things.",
        "answers": {"production": False, "customer-impact": "none", "automated-amount": 0,
                    "data-categories": ["public"], "new-vendor": False, "deviates-from-standards": False,
                    "affects-employment": False},
        "status": "prototype", "requested": "2026-10-05",
    }
    return UseCase.model_validate(base | fields)


def with_cases(*cases: UseCase) -> Playbook:
    """The default playbook with only ``cases`` in its register."""
    return Playbook(root=ROOT, patterns=PLAYBOOK.patterns, policies=PLAYBOOK.policies, pilots=PLAYBOOK.pilots,
                    risk_tiers=PLAYBOOK.risk_tiers, roadmap=PLAYBOOK.roadmap,
                    decision_rights=PLAYBOOK.decision_rights, usecases={c.id: c for c in cases})


# --- the shipped register ----------------------------------------------------------------------


def test_shipped_register_is_clean_and_large_enough() -> None:
    assert [str(p) for p in PROBLEMS if p.path.startswith("usecases/")] == []
    assert len(PLAYBOOK.usecases) >= 12


def test_shipped_register_covers_every_tier_and_every_pilot_team() -> None:
    assessed = case_assessments(PLAYBOOK)
    assert len(assessed) == len(PLAYBOOK.usecases)
    assert {a.tier for a in assessed.values()} == {t.id for t in PLAYBOOK.tiers}
    assert {c.team for c in PLAYBOOK.usecases.values()} == set(PLAYBOOK.pilots)


def test_shipped_decisions_spread_over_three_quarters_of_2026() -> None:
    quarters = {(c.decided.year, (c.decided.month - 1) // 3 + 1) for c in PLAYBOOK.usecases.values() if c.decided}
    assert {year for year, _quarter in quarters} == {2026}
    assert len(quarters) >= 3


def test_shipped_register_holds_the_articles_examples() -> None:
    saving = [c for c in PLAYBOOK.usecases.values() if c.value.hours_saved_per_month == 200]
    assert saving and "junior analyst" in saving[0].description
    experiments = [a for a in case_assessments(PLAYBOOK).values() if a.review is ReviewPath.none]
    assert len(experiments) >= 2
    assert all(a.case.review is ReviewPath.none for a in experiments)


# --- the published view ------------------------------------------------------------------------


def test_published_view_drops_reviewer_and_audits() -> None:
    full = PLAYBOOK.usecases["invoice-matching"]
    assert full.reviewer and full.audits
    published = full.published()
    assert isinstance(published, PublishedUseCase) and not isinstance(published, UseCase)
    assert set(UseCase.model_fields) - set(PublishedUseCase.model_fields) == set(UseCase.UNPUBLISHED)
    dumped = published.model_dump_json()
    assert full.reviewer not in dumped
    assert full.audits[0].auditor not in dumped
    assert published.title == full.title and published.value == full.value


# --- metrics ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "days"), [
    ("2026-11-02", "2026-11-02", 0),  # Monday, same day
    ("2026-11-02", "2026-11-03", 1),
    ("2026-11-06", "2026-11-09", 1),  # Friday to Monday
    ("2026-11-07", "2026-11-09", 0),  # Saturday to Monday: no working day passed
    ("2026-11-02", "2026-11-16", 10),  # two weeks
    ("2026-11-05", "2026-11-02", 0),  # a decision before its request waits no time (check reports it)
])
def test_business_days(start: str, end: str, days: int) -> None:
    assert business_days(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == days


def test_nearest_rank_percentile_is_a_measured_value() -> None:
    assert nearest_rank([5, 1, 3], 0.9) == 5
    assert nearest_rank(list(range(1, 11)), 0.9) == 9
    assert nearest_rank(list(range(1, 21)), 0.9) == 18
    assert nearest_rank([7], 0.9) == 7


def test_metrics_count_cases_per_computed_tier_and_team() -> None:
    pb = with_cases(
        case(id="a1"),
        case(id="a2", team="engineering", answers=case().answers | {"production": True}),
        case(id="a3", team="engineering", answers=case().answers | {"affects-employment": True}),
    )
    metrics = register_metrics(pb, SHIPPED_ON)
    assert [(c.key, c.cases) for c in metrics.by_tier] == [("experiment", 1), ("standard", 1), ("elevated", 0),
                                                          ("high", 1)]
    assert [(c.key, c.cases) for c in metrics.by_team] == [("customer-success", 0), ("engineering", 2),
                                                          ("finance", 1)]


def test_adoption_counts_only_built_cases_resting_on_adopted_patterns() -> None:
    pb = with_cases(
        case(id="on-adopted", patterns=["llm-gateway", "pii-redaction"]),
        case(id="trial-part", patterns=["llm-gateway", "agent-guardrails"]),
        case(id="custom", patterns=["llm-gateway"], custom_parts=True),
        case(id="nothing-named"),
        case(id="just-an-idea", status="idea", patterns=["llm-gateway"]),
    )
    adoption = register_metrics(pb, SHIPPED_ON).adoption
    assert (adoption.built, adoption.on_adopted, adoption.share) == (4, 1, 0.25)


def test_turnaround_per_tier_against_its_target_with_the_longest_waits() -> None:
    high = case().answers | {"production": True, "new-vendor": True}
    pb = with_cases(
        case(id="fast", answers=high, requested="2026-10-05", decided="2026-10-09", outcome="approved"),  # 4 days
        case(id="slow", answers=high, requested="2026-10-05", decided="2026-10-30", outcome="rejected"),  # 19 days
        case(id="ok", answers=high, requested="2026-10-05", decided="2026-10-19", outcome="approved"),  # 10 days
        case(id="waiting", answers=high, requested="2026-11-16"),  # 10 days to 2026-11-30
        case(id="gave-up", answers=high, requested="2026-09-01", decided="2026-09-03", outcome="withdrawn"),
        case(id="experiment", requested="2026-11-02"),  # no review, so it waits for nothing
    )
    rows = {row.tier: row for row in register_metrics(pb, SHIPPED_ON).turnaround}
    high_row = rows["high"]
    assert high_row.target == 10
    assert (high_row.decisions, high_row.median, high_row.p90, high_row.within_target, high_row.pending) == (
        4, 7.0, 19, 3, 1)
    assert [(w.id, w.days, w.pending, w.late) for w in high_row.longest] == [
        ("slow", 19, False, True), ("ok", 10, False, False), ("waiting", 10, True, False), ("fast", 4, False, False),
        ("gave-up", 2, False, False)]
    assert (rows["experiment"].decisions, rows["experiment"].pending, rows["experiment"].longest) == (0, 0, [])


def test_value_is_summed_per_team_and_currency() -> None:
    cases = [
        case(id="aa", value={"hours_saved_per_month": 200, "yearly_cost": 100, "currency": "USD"}),
        case(id="bb", value={"hours_saved_per_month": 10.5, "yearly_cost": 50, "currency": "EUR"}),
        case(id="cc", value={"yearly_benefit": 7, "currency": "USD"}),
        case(id="dd", team="engineering"),  # reports nothing
    ]
    rows = value_by_team(cases)
    assert [(r.team, r.cases, r.hours_saved_per_month, r.yearly_cost, r.yearly_benefit) for r in rows] == [
        ("finance", 3, 210.5, {"USD": 100, "EUR": 50}, {"USD": 7})]


def test_case_assessment_names_tier_path_thresholds_policies_and_fast_track() -> None:
    result = case_assessments(PLAYBOOK)["case-routing"]
    assert result.tier == "elevated"
    assert result.review is ReviewPath.self_service and result.fast_track
    assert result.fired[0] == "minor-customer-decision"
    assert result.policies and all("elevated" in PLAYBOOK.policies[p].tiers for p in result.policies)
    assert any("fast track" in note for note in describe(result.assessment, ENGLISH).notes)
    assert PLAYBOOK.usecases["case-routing"].outcome is Outcome.approved


# --- through the command line ----------------------------------------------------------------


ANSWERS = ["-a", "customer-impact=minor-decision", "-a", "automated-amount=0", "-a", "data-categories=internal",
           "-a", "production=yes", "-a", "new-vendor=no", "-a", "deviates-from-standards=no",
           "-a", "affects-employment=no"]


def run(*args: str | Path, input: str | None = None) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the default playbook's data."""
    target = tmp_path / "playbook"
    for folder in data_folders():
        shutil.copytree(ROOT / folder, target / folder)
    return target


def test_assess_register_writes_the_answers_and_the_computed_tier(root: Path) -> None:
    result = run("assess", "--root", root, *ANSWERS, "-p", "llm-gateway", "--register", "queue-routing",
                 "--team", "engineering")
    assert result.exit_code == 0, result.output
    assert "Tier: Elevated (elevated)" in result.stdout
    assert "created " + str(root / "usecases" / "queue-routing.yml") in result.stdout
    written = yaml.safe_load((root / "usecases" / "queue-routing.yml").read_text(encoding="utf-8"))
    assert written["answers"] == {"production": True, "customer-impact": "minor-decision", "automated-amount": 0,
                                  "data-categories": ["internal"], "new-vendor": False,
                                  "deviates-from-standards": False, "affects-employment": False}
    assert (written["team"], written["tier"], written["patterns"], written["status"]) == (
        "engineering", "elevated", ["llm-gateway"], "idea")
    checked = run("check", "--root", root)
    assert checked.exit_code == 0
    assert [line for line in checked.stdout.splitlines() if "queue-routing" in line] == [
        "usecases/queue-routing.yml:9:8: warning: title is still marked TODO; replace it with the real text [todo]",
        "usecases/queue-routing.yml:15:8: warning: owner is still marked TODO; replace it with the real text [todo]",
        "usecases/queue-routing.yml:18:14: warning: description is still marked TODO; replace it with the real text "
        "[todo]",
    ]


def test_assess_register_json_keeps_stdout_for_the_json(root: Path) -> None:
    result = run("assess", "--root", root, *ANSWERS, "--register", "queue-routing", "--team", "finance",
                 "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["tier"] == "elevated"
    assert "created" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--register", "invoice-matching", "--team", "finance"],
     "error: usecases/invoice-matching.yml already exists; edit it, or choose another id"),
    (["--register", "Queue_Routing", "--team", "finance"],
     "error: 'Queue_Routing' is not a valid usecase id (did you mean 'queue-routing'?)"),
    (["--register", "queue-routing", "--team", "finanse"], "error: unknown team 'finanse' (did you mean 'finance'?)"),
    (["--register", "queue-routing"], "error: a use case belongs to a team; pass --team TEAM (teams, from pilots/: "
                                      "customer-success, engineering, finance)"),
])
def test_assess_register_refuses_and_writes_nothing(root: Path, args: list[str], message: str) -> None:
    before = (root / "usecases" / "invoice-matching.yml").read_bytes()
    listing = sorted((root / "usecases").iterdir())
    result = run("assess", "--root", root, *ANSWERS, *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(message)
    assert sorted((root / "usecases").iterdir()) == listing
    assert (root / "usecases" / "invoice-matching.yml").read_bytes() == before


def test_assess_register_with_a_missing_answer_writes_nothing(root: Path) -> None:
    result = run("assess", "--root", root, *ANSWERS[:-2], "--register", "queue-routing", "--team", "finance")
    assert result.exit_code == 1
    assert "no answer to 'affects-employment'" in result.stderr
    assert not (root / "usecases" / "queue-routing.yml").exists()


def test_new_usecase_scaffolds_an_idea_whose_answers_are_to_do(root: Path) -> None:
    result = run("new", "usecase", "meeting-notes", "--root", root, "--team", "finance", "--title", "Meeting notes",
                 "--no-interactive")
    assert result.exit_code == 0, result.output
    text = (root / "usecases" / "meeting-notes.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/usecase.schema.json\n")
    assert "# Who made the decision (not published). Optional.\nreviewer: null\n" in text
    assert '  production: "TODO: yes or no"\n' in text
    checked = run("check", "--root", root)
    assert checked.exit_code == 1
    mine = [line for line in checked.stdout.splitlines() if "meeting-notes" in line]
    # Each unanswered question is one error at its line (not an error and a TODO warning), then the prose TODOs.
    assert len([line for line in mine if "[bad-answer]" in line]) == len(PLAYBOOK.risk_tiers.questions)
    assert not any("answers." in line and "[todo]" in line for line in mine)
    assert "usecases/meeting-notes.yml:25:21: error: use case 'meeting-notes': answer to 'automated-amount'" in (
        checked.stdout)
    again = run("new", "usecase", "meeting-notes", "--root", root, "--team", "finance", "--no-interactive")
    assert again.exit_code == 1
    assert again.stderr.strip() == "error: usecases/meeting-notes.yml already exists; edit it, or choose another id"


def test_new_usecase_asks_the_questions_in_a_terminal(root: Path) -> None:
    answers = "\n".join([
        "Ticket triage", "Service desk", "engneering", "engineering",  # title, owner, team (asked again when unknown)
        "yes", "1", "0", "internal", "no", "no", "no",  # the seven questions, in order
        "llm-gateway", "n",  # patterns, custom parts
    ]) + "\n"
    result = run("new", "usecase", "ticket-triage", "--root", root, "--interactive", input=answers)
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((root / "usecases" / "ticket-triage.yml").read_text(encoding="utf-8"))
    assert (written["title"], written["owner"], written["team"]) == ("Ticket triage", "Service desk", "engineering")
    assert written["answers"]["production"] is True and written["tier"] == "standard"
    assert run("check", "--root", root).exit_code == 0


def test_a_tier_change_fails_check_at_the_tier_line_naming_both_tiers_and_the_rules(root: Path) -> None:
    path = root / "usecases" / "case-routing.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("tier: elevated", "tier: standard"), encoding="utf-8")
    result = run("check", "--root", root)
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("tier:"))
    assert result.stdout.splitlines()[0] == (
        f"usecases/case-routing.yml:{line}:7: error: declared tier 'standard' but the answers give 'elevated'; "
        "rules that fired: 'minor-customer-decision' (elevated), 'in-production' (standard), "
        "'personal-or-confidential-data' (standard) [tier-mismatch]")


def test_non_english_text_goes_through_check_metrics_and_exports(root: Path) -> None:
    text = (root / "usecases" / "month-end-commentary.yml").read_text(encoding="utf-8")
    text = text.replace("title: First drafts of month-end variance commentary",
                        "title: Erste Entwürfe für Abweichungskommentare – 月末コメント")
    (root / "usecases" / "month-end-commentary.yml").write_text(text, encoding="utf-8")
    assert run("check", "--root", root).exit_code == 0
    exported = run("export", "--root", root)
    assert "Erste Entwürfe für Abweichungskommentare – 月末コメント" in exported.stdout
    sample = run("audit", "sample", "--root", root, "--period", "2026-11", "--seed", "1")
    assert "Erste Entwürfe für Abweichungskommentare – 月末コメント" in sample.stdout


# --- what is published ---------------------------------------------------------------------------


def test_no_export_leaks_a_field_the_model_does_not_publish(root: Path, tmp_path: Path) -> None:
    secrets = {f"Secret reviewer {n}" for n in range(2)} | {"Secret auditor", "Secret audit note"}
    path = root / "usecases" / "invoice-matching.yml"
    text = path.read_text(encoding="utf-8").replace("reviewer: Amara Osei (self-service assessment)",
                                                    "reviewer: Secret reviewer 0")
    text = text.replace("auditor: Internal audit, finance controls", "auditor: Secret auditor")
    text = text.replace("notes: The $250 limit is enforced in code and every automatic clearance is logged.",
                        "notes: Secret audit note")
    path.write_text(text, encoding="utf-8")
    other = root / "usecases" / "case-routing.yml"
    other.write_text(other.read_text(encoding="utf-8").replace(
        "reviewer: Customer service operations (self-service assessment)", "reviewer: Secret reviewer 1"),
        encoding="utf-8")
    loaded = check(root)[0]
    assert {loaded.usecases["invoice-matching"].reviewer, loaded.usecases["case-routing"].reviewer} == {
        "Secret reviewer 0", "Secret reviewer 1"}

    exported = run("export", "--root", root)
    assert exported.exit_code == 0
    assert run("export", "--root", root, "--format", "csv", "--out", tmp_path / "csv").exit_code == 0
    published = [exported.stdout, *(p.read_text(encoding="utf-8") for p in (tmp_path / "csv").iterdir())]
    for text in published:
        assert not any(secret in text for secret in secrets)
    document = json.loads(exported.stdout)
    assert all(set(case) == set(PublishedUseCase.model_fields) for case in document["usecases"])
    header = next(csv.reader(io.StringIO((tmp_path / "csv" / "usecases.csv").read_text(encoding="utf-8"))))
    assert not set(header) & set(UseCase.UNPUBLISHED)


def test_the_export_schema_lists_only_published_use_case_fields() -> None:
    schema = json.loads((ROOT / "schemas" / "export.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["schema_version"]["const"] == "1.2"
    item = schema["properties"]["usecases"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["$defs"][item]["properties"]) == set(PublishedUseCase.model_fields)


def test_usecases_csv_has_a_row_per_case_with_its_computed_tier(root: Path, tmp_path: Path) -> None:
    assert run("export", "--root", root, "--format", "csv", "--out", tmp_path / "csv").exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "usecases.csv").read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == list(PLAYBOOK.usecases)
    routing = next(r for r in rows if r["id"] == "case-routing")
    assert (routing["computed_tier"], routing["computed_review"], routing["fast_track"]) == (
        "elevated", "self-service", "yes")
    assert "customer-impact=minor-decision" in routing["answers"]


# --- synthetic registers and diff ----------------------------------------------------------------


def test_synth_writes_valid_use_cases_and_none_by_default(tmp_path: Path) -> None:
    result = run("synth", "--patterns", "12", "--policies", "10", "--usecases", "300", "--out", tmp_path / "a",
                 "--seed", "5")
    assert result.exit_code == 0
    assert len(list((tmp_path / "a" / "usecases").glob("*.yml"))) == 300
    checked = run("check", "--root", tmp_path / "a")
    assert checked.stdout.splitlines() == [f"0 errors, 0 warnings in {300 + 12 + 10 + 3 + _pilots(tmp_path / 'a')} "
                                           "files"]
    metrics = register_metrics(check(tmp_path / "a")[0], SHIPPED_ON)
    assert {c.key for c in metrics.by_tier if c.cases} == {"minimal", "limited", "elevated", "high"}
    assert sum(row.decisions for row in metrics.turnaround) > 200
    assert run("synth", "--patterns", "12", "--policies", "10", "--out", tmp_path / "b", "--seed", "5").exit_code == 0
    assert not (tmp_path / "b" / "usecases").exists()
    again = run("synth", "--patterns", "12", "--policies", "10", "--usecases", "300", "--out", tmp_path / "c",
                "--seed", "5")
    assert again.exit_code == 0
    assert all((tmp_path / "c" / p.relative_to(tmp_path / "a")).read_bytes() == p.read_bytes()
               for p in (tmp_path / "a").rglob("*.yml"))


def _pilots(root: Path) -> int:
    return len(list((root / "pilots").glob("*.yml")))


def git(repo: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **env}, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_lists_the_registered_use_cases_a_threshold_change_moves(root: Path) -> None:
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    risk = root / "framework" / "risk-tiers.yml"
    risk.write_text(risk.read_text(encoding="utf-8").replace("        at_least: 1000\n", "        at_least: 2000\n"),
                    encoding="utf-8")
    deprecated = root / "patterns" / "pre-release-evaluation.yml"
    deprecated.write_text(deprecated.read_text(encoding="utf-8").replace(
        "status: adopted", "status: trial"), encoding="utf-8")

    result = run("diff", "HEAD", "--root", root)
    assert result.exit_code == 0, result.output
    section = result.stdout.split("### Registered use cases that move\n", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert rows == [
        "| `case-routing` — Routing and prioritising incoming customer cases | elevated, self-service "
        "| elevated, fast-track | `minor-customer-decision`, `in-production`, `personal-or-confidential-data` |",
        "| `expense-receipt-checks` — Approving expense claims that match the travel policy | elevated, self-service "
        "| standard, self-service | `in-production`, `automated-spend`, `personal-or-confidential-data` |",
    ]
    unchanged = run("diff", "HEAD", "HEAD", "--root", root)
    assert "No changes to patterns, policies, pilots, use cases, learnings or the framework." in unchanged.stdout
