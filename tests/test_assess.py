"""`playbook assess` end to end on the shipped playbook: flags, files, questions, errors, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli.main import main
from sitebuild import REPO

QUIET = {
    "production": "no", "customer-impact": "none", "automated-amount": "0", "data-categories": "internal",
    "new-vendor": "no", "deviates-from-standards": "no", "affects-employment": "no",
}


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["assess", "--root", str(REPO), *args], input=input)
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def flags(omit: frozenset[str] = frozenset(), **changes: str) -> list[str]:
    answers = {**QUIET, **{k.replace("_", "-"): v for k, v in changes.items()}}
    return [arg for key, value in answers.items() if key not in omit for arg in ("-a", f"{key}={value}")]


def test_quiet_use_case_is_the_lowest_tier_with_no_review() -> None:
    code, out, _ = run(*flags())
    assert code == 0
    assert out.startswith("Tier: Experiment (experiment)\nReview path: No review: follow the standards\n")
    assert "no threshold crossed" in out


def test_reasons_name_the_threshold_and_the_answer_that_fired_it() -> None:
    code, out, _ = run(*flags(automated_amount="30000", production="yes"), "--format", "json")
    record = json.loads(out)
    assert code == 0 and record["tier"] == "high" and record["review"] == "central"
    first = record["reasons"][0]
    assert first["tier"] == "high" and first["answers"] == {"automated-amount": 30000.0}
    assert {"tier", "review", "reasons", "policies", "patterns"} <= set(record)
    assert all(isinstance(p, str) for p in record["policies"]) and record["patterns"]


def test_building_on_adopted_patterns_takes_the_fast_track() -> None:
    code, out, _ = run(*flags(customer_impact="minor-decision", production="yes"), "-p", "llm-gateway",
                       "--format", "json")
    record = json.loads(out)
    assert (code, record["tier"], record["review"], record["fast_track"]) == (0, "elevated", "self-service", True)
    assert record["notes"][0].startswith("fast track: every part is an adopted pattern")


def test_a_deviation_from_the_standards_is_never_fast_tracked() -> None:
    code, out, _ = run(*flags(deviates_from_standards="yes", production="yes"), "-p", "llm-gateway",
                       "--format", "json")
    record = json.loads(out)
    assert (record["tier"], record["review"], record["fast_track"]) == ("elevated", "fast-track", False)
    assert "threshold 'architecture-deviation' always takes the full review" in record["notes"][0]
    # The same note as data, for tools that act on it rather than read it.
    assert record["note_details"] == [{"code": "no-fast-track", "params": {
        "blockers": [{"code": "full-review", "params": {"rule": "architecture-deviation"}}]}}]


def test_a_deprecated_pattern_names_its_successor() -> None:
    code, out, _ = run(*flags(customer_impact="minor-decision"), "-p", "direct-provider-keys")
    assert code == 0
    assert "'direct-provider-keys' is deprecated; use 'llm-gateway' instead" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "production=maybe"], "error: answer to 'production' (Will it run in production"),
        (["-a", "automated-amount=lots"], "'lots' is not allowed; expected an amount in USD, such as 25000"),
        (["-a", "customer-impact=huge"], "expected one of: none, reviewed-content, direct-content, minor-decision, "
                                         "significant-decision"),
        (["-a", "prodution=yes"], "error: unknown question 'prodution' (did you mean 'production'?)"),
        (["-a", "production"], "error: --answer 'production': write QUESTION=VALUE"),
        (["-p", "llm-gatway"], "error: unknown pattern 'llm-gatway' (did you mean 'llm-gateway'?)"),
    ],
)
def test_bad_answers_are_refused_naming_the_question_and_allowed_values(args: list[str], message: str) -> None:
    replaced = frozenset(arg.split("=")[0] for arg in args if "=" in arg)
    code, out, err = run(*flags(omit=replaced), *args)
    assert code == 1 and out == ""
    assert message in err


def test_every_missing_answer_is_named() -> None:
    code, _, err = run("-a", "production=yes")
    assert code == 1
    for question in QUIET:
        if question != "production":
            assert f"error: no answer to '{question}'" in err


def test_answers_from_a_yaml_or_json_file(tmp_path: Path) -> None:
    answers = {**QUIET, "automated-amount": 5000, "production": True}
    yaml_file = tmp_path / "answers.yml"
    yaml_file.write_text("answers:\n" + "".join(f"  {k}: {json.dumps(v)}\n" for k, v in answers.items())
                         + "built_on: [llm-gateway]\n", encoding="utf-8")
    json_file = tmp_path / "answers.json"
    json_file.write_text(json.dumps(answers), encoding="utf-8")
    for path in (yaml_file, json_file):
        code, out, _ = run("--file", str(path), "--format", "json")
        record = json.loads(out)
        assert code == 0 and record["tier"] == "elevated", path.name
    assert json.loads(run("--file", str(yaml_file), "--format", "json")[1])["built_on"] == ["llm-gateway"]


def test_questions_are_listed_as_text_and_json() -> None:
    code, out, _ = run("--questions")
    assert code == 0 and "automated-amount (amount):" in out and "answer: yes or no" in out
    questions = json.loads(run("--questions", "--format", "json")[1])
    assert [q["id"] for q in questions] == list(QUIET)


def test_questions_are_asked_one_at_a_time_and_asked_again_when_wrong() -> None:
    typed = ["yes", "4", "lots", "250", "internal", "no", "no", "no", "llm-gateway", "n"]
    code, out, err = run("--interactive", input="\n".join(typed) + "\n")
    assert code == 0, err
    assert "'lots' is not allowed" in err
    assert "Tier: Elevated (elevated)" in out and "fast track" in out
