"""`playbook check` on fixture playbooks: the exact lines a person sees, and the exit code."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from playbook.cli.main import main
from playbook.data.kinds import data_folders
from playbook.data.load import load

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid" / "small"
INVALID_CASES = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.is_dir())
PROBLEM_LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): "
    r"(?P<message>.+) \[(?P<code>[a-z-]+)\]$"
)
SUMMARY_LINE = re.compile(r"^(\d+) errors?, (\d+) warnings? in \d+ files?$")


def run_check(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, ["check", *args], env=env)
    # Exit codes travel as SystemExit; anything else escaped the CLI as a traceback.
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"playbook check {' '.join(args)} crashed:\n{result.output}") from result.exception
    assert "Traceback" not in result.output
    return result


def expected_lines(case: Path) -> list[str]:
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


def yaml_files(root: Path) -> list[Path]:
    return [p for folder in data_folders() for p in (root / folder).glob("*.yml")]


def test_every_invalid_case_states_problems_and_a_summary() -> None:
    assert len(INVALID_CASES) >= 30
    for case in INVALID_CASES:
        *problems, last = expected_lines(case)
        assert problems, f"{case.name}/expected.txt lists no problem"
        for line in problems:
            assert PROBLEM_LINE.match(line), f"{case.name}/expected.txt: not a problem line: {line!r}"
        assert SUMMARY_LINE.match(last), f"{case.name}/expected.txt: last line is not the summary: {last!r}"


def test_valid_playbook_is_clean() -> None:
    result = run_check("--root", str(VALID))
    files = len(yaml_files(VALID))
    assert result.stdout.splitlines() == [f"0 errors, 0 warnings in {files} files"]
    assert result.exit_code == 0


@pytest.mark.parametrize("case", INVALID_CASES, ids=lambda p: p.name)
def test_invalid_case_prints_expected_lines(case: Path) -> None:
    expected = expected_lines(case)
    result = run_check("--root", str(case))
    assert result.stdout.splitlines() == expected
    has_error = any(PROBLEM_LINE.match(line)["severity"] == "error" for line in expected[:-1])
    assert result.exit_code == (1 if has_error else 0), result.output


@pytest.mark.parametrize("case", INVALID_CASES, ids=lambda p: p.name)
def test_json_format_gives_the_same_problems(case: Path) -> None:
    text = run_check("--root", str(case))
    result = run_check("--root", str(case), "--format", "json")
    assert result.exit_code == text.exit_code
    problems = json.loads(result.stdout)
    assert isinstance(problems, list)
    as_lines = [
        f"{p['path']}:{p['line']}:{p['column']}: {p['severity']}: {p['message']} [{p['code']}]" for p in problems
    ]
    assert as_lines == expected_lines(case)[:-1]


WARNING_CASES = [c for c in INVALID_CASES if all(" error: " not in line for line in expected_lines(c))]


def test_some_cases_only_warn() -> None:
    assert {c.name for c in WARNING_CASES} >= {"deprecated-pattern", "pilot-ahead", "review-due"}


@pytest.mark.parametrize("case", WARNING_CASES, ids=lambda p: p.name)
def test_strict_turns_warnings_into_errors(case: Path) -> None:
    assert run_check("--root", str(case)).exit_code == 0
    result = run_check("--root", str(case), "--strict")
    assert result.exit_code == 1
    *problems, summary = expected_lines(case)
    assert result.stdout.splitlines()[:-1] == [line.replace(": warning: ", ": error: ", 1) for line in problems]
    assert result.stdout.splitlines()[-1].startswith(f"{len(problems)} error")


def test_strict_on_a_clean_playbook_passes() -> None:
    assert run_check("--root", str(VALID), "--strict").exit_code == 0


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["--format", "xml"], "xml"),
        (["--root", "no/such/folder"], "no/such/folder"),
        (["--no-such-option"], "--no-such-option"),
    ],
)
def test_usage_errors_exit_2_and_name_the_mistake(args: list[str], mentions: str) -> None:
    result = run_check(*args)
    assert result.exit_code == 2
    assert mentions in result.stderr
    assert result.stdout == ""


def test_root_can_come_from_the_environment() -> None:
    result = run_check(env={"PLAYBOOK_ROOT": str(VALID)})
    assert result.exit_code == 0
    assert result.stdout.startswith("0 errors, 0 warnings")


def test_broken_and_looping_links_are_reported_not_a_crash(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(VALID, root)
    try:
        os.symlink("b.yml", root / "patterns" / "a.yml")
        os.symlink("a.yml", root / "patterns" / "b.yml")
        os.symlink("gone.yml", root / "patterns" / "c.yml")
    except OSError:
        pytest.skip("cannot create symbolic links here")
    result = run_check("--root", str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"patterns/{name}.yml:1:1: error: file is a link that leads nowhere (broken or looping); "
        "fix the link or copy the file in instead [unreadable]"
        for name in "abc"
    ] + [f"3 errors, 0 warnings in {len(yaml_files(VALID))} files"]


def test_installed_command_matches_expected_output() -> None:
    """The console script, in a fresh process, prints what the fixtures say."""
    command = Path(sys.executable).with_name("playbook")
    if not command.exists():
        pytest.skip("the playbook console script is not installed next to this Python")
    for case in (VALID, FIXTURES / "invalid" / "unsafe-tag", FIXTURES / "invalid" / "alias-bomb"):
        done = subprocess.run([str(command), "check", "--root", str(case)], capture_output=True, text=True, timeout=60)
        assert "Traceback" not in done.stderr
        if case == VALID:
            assert done.returncode == 0
        else:
            assert done.stdout.splitlines() == expected_lines(case)
            assert done.returncode == 1


@pytest.mark.parametrize("enabled", [True, False], ids=["collector-on", "collector-off"])
def test_loading_leaves_the_cycle_collector_as_it_found_it(enabled: bool) -> None:
    """load() pauses Python's cycle collector while it reads (see playbook/load.py); a build or a
    test that runs after it must find the collector as it was, whether or not the files had problems."""
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        for root in (VALID, FIXTURES / "invalid" / "duplicate-key"):
            load(root)
            assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()


def test_garbage_from_before_a_load_is_still_collected_after_it() -> None:
    """`mkdocs serve` loads the playbook again on every rebuild, while the previous build's pages
    and navigation (which point at each other) become garbage. Loading must leave that garbage
    where the collector's routine runs find it: promoting everything to the oldest generation
    (gc.freeze/unfreeze) kept 7 MB more per rebuild."""

    class Node:
        def __init__(self) -> None:
            self.other: Node | None = None

    if not gc.isenabled():
        pytest.skip("the collector is off in this run")
    first, second = Node(), Node()
    first.other, second.other = second, first  # a cycle: only the collector can free it
    gone = weakref.ref(first)
    load(VALID)
    del first, second
    # Enough new containers kept alive (freed ones do not count) for many routine young collections.
    kept = [[] for _ in range(20_000)]
    assert len(kept) == 20_000
    assert gone() is None, "a cycle made before load() outlived the collector's routine runs"


@pytest.mark.parametrize(
    ("path", "before", "line"),
    [
        ("policies/pii-redaction.yml", "id: pii-redaction",
         "policies/index.yml:1:5: error: policy id 'index' is taken: its page would be policies/index.md, "
         "the section's own page; choose another id [reserved-id]"),
        ("usecases/claims-triage.yml", "id: claims-triage",
         "usecases/index.yml:1:5: error: usecase id 'index' is taken: its page would be usecases/index.md, "
         "the section's own page; choose another id [reserved-id]"),
        ("framework/roadmap.yml", "- id: pilot",
         "framework/roadmap.yml:17:9: error: step id 'index' is taken: its page would be rollout/index.md, "
         "the section's own page; choose another id [reserved-id]"),
    ],
)
def test_an_id_whose_page_would_be_the_section_s_own_page_is_refused(
        tmp_path: Path, path: str, before: str, line: str) -> None:
    root = shutil.copytree(VALID, tmp_path / "playbook")
    source = root / path
    text = source.read_text(encoding="utf-8")
    assert before in text
    source.write_text(text.replace(before, before.replace(before.split("id: ")[1], "index"), 1), encoding="utf-8")
    if source.parent.name != "framework":
        source.rename(source.with_name("index.yml"))
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert line in result.output.splitlines(), result.output
    assert result.exit_code == 1


def test_a_load_that_keeps_what_it_read_finds_what_a_fresh_load_finds(tmp_path: Path) -> None:
    """``playbook serve`` loads the playbook at every save with the files of its last load: a file whose bytes are
    the same is not parsed again, one that changed is, and the problems are those of a fresh load."""
    from playbook.check.validate import check
    from playbook.data.load import ReadFiles

    read = ReadFiles()
    # One memory for every case: the same paths hold other bytes from one case to the next.
    for case in [*INVALID_CASES, *INVALID_CASES]:
        assert check(case, read=read)[1] == check(case)[1], case.name
    root = tmp_path / "pb"
    shutil.copytree(VALID, root)
    first, _, _ = load(root, read)
    pattern = root / "patterns" / "llm-gateway.yml"
    pattern.write_text(pattern.read_text(encoding="utf-8").replace("title: LLM gateway", "title: Model gateway"),
                       encoding="utf-8")
    second, problems, count = load(root, read)
    fresh, fresh_problems, fresh_count = load(root)
    assert (problems, count) == (fresh_problems, fresh_count)
    assert second.patterns["llm-gateway"].title == "Model gateway"
    assert second.patterns == fresh.patterns and second.policies == fresh.policies
    assert second.patterns["rag-search"] is first.patterns["rag-search"], "an unchanged file was parsed again"
    pattern.write_text("id: llm-gateway\ntitel: broken\n", encoding="utf-8")
    assert check(root, read=read)[1] == check(root)[1]
