"""`playbook check --format text|json|github`: the exact lines each reporter prints, and the exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from playbook.cli.main import main
from playbook.data.problems import Problem
from playbook.data.reporters import GithubReporter, JsonReporter, TextReporter
from playbook.data.wording import Wording, Words
from playbook.i18n import Messages

INVALID = Path(__file__).parent / "fixtures" / "invalid"
VALID = Path(__file__).parent / "fixtures" / "valid" / "small"


def run_check(*args: str) -> Result:
    result = CliRunner().invoke(main, ["check", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(result.output) from result.exception
    return result


def test_text_is_one_line_per_problem_then_the_count() -> None:
    problems = [
        Problem("patterns/a.yml", 4, 1, "error", "unknown-field",
                Words("unknown-field", name="sumary", suggestion=None)),
        Problem("policies/b.yml", 7, 12, "warning", "review-due", Words("review-due", title="B", due="2026-01-31")),
    ]
    assert TextReporter().lines(problems, 3) == [
        "patterns/a.yml:4:1: error: unknown field 'sumary' [unknown-field]",
        "policies/b.yml:7:12: warning: 'B' was due for review on 2026-01-31; review it and move review_by on "
        "[review-due]",
        "1 error, 1 warning in 3 files",
    ]


def test_each_reporter_words_the_problem_from_its_code_and_data_in_the_wording_it_is_given() -> None:
    problem = Problem("policies/b.yml", 7, 12, "error", "unknown-ref",
                      Words("unknown-ref", what="pattern", ref="llm-gatway", suggestion="llm-gateway"))
    dutch = Wording(Messages("nl", {"problem.unknown-ref": "onbekend {what} '{ref}'{suggestion!h}",
                                    "problem.hint": " (bedoelt u '{suggestion}'?)"}))
    worded = "onbekend pattern 'llm-gatway' (bedoelt u 'llm-gateway'?)"
    assert TextReporter(wording=dutch).lines([problem], 1)[0] == f"policies/b.yml:7:12: error: {worded} [unknown-ref]"
    assert GithubReporter(wording=dutch).lines([problem], 1)[0].endswith(f"title=unknown-ref::{worded}")
    assert json.loads(JsonReporter(wording=dutch).lines([problem], 1)[0])[0]["message"] == worded
    assert TextReporter().lines([problem], 1)[0].endswith("unknown pattern 'llm-gatway' (did you mean 'llm-gateway'?) "
                                                          "[unknown-ref]")


def test_github_prints_a_workflow_command_per_problem_then_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INVALID / "unknown-pattern")
    result = run_check("--format", "github")
    assert result.stdout.splitlines() == [
        "::error file=policies/pii-redaction.yml,line=7,col=12,title=unknown-ref::"
        "unknown pattern 'llm-gatway' (did you mean 'llm-gateway'?)",
        "1 error, 0 warnings in 8 files",
    ]
    assert result.exit_code == 1


def test_github_warnings_are_warnings_and_do_not_fail_unless_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INVALID)
    case = "review-due"
    line = ("file=review-due/patterns/llm-gateway.yml,line=25,col=12,title=review-due::"
            "'LLM gateway' was due for review on 2001-01-01; review it and move review_by on")
    result = run_check("--root", case, "--format", "github")
    assert result.stdout.splitlines() == [f"::warning {line}", "0 errors, 1 warning in 8 files"]
    assert result.exit_code == 0
    strict = run_check("--root", case, "--format", "github", "--strict")
    assert strict.stdout.splitlines() == [f"::error {line}", "1 error, 0 warnings in 8 files"]
    assert strict.exit_code == 1


def test_github_escapes_the_message_and_the_properties_as_the_actions_toolkit_does() -> None:
    problem = Problem("patterns/odd:name,x.yml", 2, 3, "error", "bad-value",
                      Words("yaml-error", reason="100% sure\nsecond line\r, with: colon"))
    assert GithubReporter().lines([problem], 1)[0] == (
        "::error file=patterns/odd%3Aname%2Cx.yml,line=2,col=3,title=bad-value::"
        "YAML error: 100%25 sure%0Asecond line%0D, with: colon"
    )


def test_github_names_files_from_the_working_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INVALID)
    result = run_check("--root", "unknown-field", "--format", "github")
    assert result.stdout.splitlines()[0].startswith("::error file=unknown-field/patterns/llm-gateway.yml,line=3,")
    monkeypatch.chdir(INVALID / "unknown-field")
    result = run_check("--format", "github")
    assert result.stdout.splitlines()[0].startswith("::error file=patterns/llm-gateway.yml,line=3,")


def test_github_on_a_clean_playbook_prints_only_the_count() -> None:
    result = run_check("--root", str(VALID), "--format", "github")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1
    assert result.stdout.startswith("0 errors, 0 warnings in ")


def test_json_keeps_the_text_fields_and_adds_what_the_problem_is_about() -> None:
    result = run_check("--root", str(INVALID / "unknown-pattern"), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [{
        "path": "policies/pii-redaction.yml",
        "line": 7,
        "column": 12,
        "severity": "error",
        "code": "unknown-ref",
        "message": "unknown pattern 'llm-gatway' (did you mean 'llm-gateway'?)",
        "field": "patterns[0]",
        "value": "llm-gatway",
        "suggestion": "llm-gateway",
        "target_kind": "pattern",
        "target_id": "llm-gatway",
        "words": {"key": "unknown-ref",
                  "params": {"what": "pattern", "ref": "llm-gatway", "suggestion": "llm-gateway"}},
    }]


@pytest.mark.parametrize(
    ("case", "data"),
    [
        ("unknown-field", {"code": "unknown-field", "field": "sumary", "value": "sumary", "suggestion": "summary"}),
        ("bad-example-answer", {"code": "bad-answer", "field": "examples[1].answers.budget",
                                "target_kind": "question", "target_id": "budget"}),
        ("unknown-tier", {"code": "unknown-ref", "target_kind": "tier"}),
        ("file-name-mismatch", {"code": "file-name", "field": "id"}),
        ("bad-date", {"code": "bad-date", "field": "review_by"}),
        ("duplicate-key", {"code": "duplicate-key", "field": None, "value": "summary"}),
        ("unsafe-tag", {"code": "unsafe-tag", "value": "tag:yaml.org,2002:python/object/apply:os.system"}),
    ],
)
def test_json_carries_each_problems_data(case: str, data: dict[str, object]) -> None:
    problems = json.loads(run_check("--root", str(INVALID / case), "--format", "json").stdout)
    assert problems, case
    assert {key: problems[0][key] for key in data} == data


def test_json_of_a_clean_playbook_is_an_empty_list() -> None:
    result = run_check("--root", str(VALID), "--format", "json")
    assert (json.loads(result.stdout), result.exit_code) == ([], 0)
    assert JsonReporter().lines([], 0) == ["[]"]


def test_the_shipped_workflow_annotates_with_the_github_format() -> None:
    workflow = (Path(__file__).parent.parent / ".github" / "workflows" / "playbook.yml").read_text(encoding="utf-8")
    assert "playbook check --strict --format github" in workflow


def test_json_leaves_out_a_long_value_that_the_message_measures(tmp_path: Path) -> None:
    root = tmp_path / "pb"
    shutil.copytree(VALID, root)
    path = root / "patterns" / "llm-gateway.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("summary: One door", "summary: " + "x" * 2_500 + " One door", 1), encoding="utf-8")
    [problem] = json.loads(run_check("--root", str(root), "--format", "json").stdout)
    assert problem["message"] == "summary is 2,571 characters long; the limit is 2,000"
    assert (problem["code"], problem["field"], problem["value"]) == ("too-long", "summary", None)
