"""The contributor workflow end to end: `playbook new`, `playbook report` and `playbook diff`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from playbook.authoring.scaffold import write_new
from playbook.authoring.scaffold_values import add_months
from playbook.check.validate import check
from playbook.cli.main import main
from playbook.data.kinds import PATTERN
from playbook.data.model.items import Pattern, Pilot, Policy
from playbook.data.problems import PlaybookError

FIXTURE = Path(__file__).parent / "fixtures" / "valid" / "small"
TODAY = dt.date.today()


def run(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"playbook {' '.join(args)} crashed:\n{result.output}") from result.exception
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the small valid playbook."""
    copy = tmp_path / "playbook"
    shutil.copytree(FIXTURE, copy)
    return copy


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def only_todo_warnings(root: Path) -> list[str]:
    """The fields check reports as TODO; fails on any other problem."""
    _playbook, problems, _count = check(root)
    others = [str(p) for p in problems if p.code != "todo" or p.severity != "warning"]
    assert others == []
    return [str(p.field) for p in problems]


# playbook new pattern


def test_new_pattern_writes_every_field_explained_and_passes_check(root: Path) -> None:
    result = run("new", "pattern", "vector-store", "--root", str(root), "--title", "Vector store",
                 "--owner", "Search team")

    assert result.exit_code == 0
    path = root / "patterns" / "vector-store.yml"
    assert result.stdout.splitlines()[0] == f"created {path}"
    assert "Next steps:" in result.stdout
    assert "playbook check" in result.stdout and "pull request" in result.stdout

    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/pattern.schema.json"
    data = yaml.safe_load(text)
    assert list(data) == list(Pattern.model_fields)
    for name, info in Pattern.model_fields.items():
        assert f"# {info.description.replace('``', '`')}" in text, f"no comment explains {name}"
    assert data["id"] == "vector-store"
    assert data["title"] == "Vector store"
    assert data["owner"] == "Search team"
    assert data["status"] == "proposed"
    assert data["tiers"] == ["minimal"]  # the lowest tier of the fixture
    assert data["review_by"] == add_months(TODAY, 6)
    assert data["summary"].startswith("TODO: ")

    todo_fields = only_todo_warnings(root)
    assert "summary" in todo_fields and "how_it_works" in todo_fields
    assert "title" not in todo_fields and "owner" not in todo_fields


def test_new_pattern_takes_repeated_tiers(root: Path) -> None:
    result = run("new", "pattern", "vector-store", "--root", str(root), "--tier", "elevated", "--tier", "high")

    assert result.exit_code == 0
    assert yaml.safe_load((root / "patterns" / "vector-store.yml").read_text())["tiers"] == ["elevated", "high"]


def test_new_pattern_asks_at_the_terminal_and_asks_again_for_an_unknown_tier(root: Path) -> None:
    # title, summary, category (blank: TODO), owner, tiers (a typo, then two good ones)
    answers = "Vector store\nSearch by meaning.\n\nSearch team\nminmal\nminimal, elevated\n"
    result = run("new", "pattern", "vector-store", "--root", str(root), "--interactive", input=answers)

    assert result.exit_code == 0, result.output
    assert "unknown tier 'minmal' (did you mean 'minimal'?)" in result.output
    data = yaml.safe_load((root / "patterns" / "vector-store.yml").read_text())
    assert data["title"] == "Vector store"
    assert data["summary"] == "Search by meaning."
    assert data["category"].startswith("TODO: ")
    assert data["tiers"] == ["minimal", "elevated"]
    only_todo_warnings(root)


def test_new_pattern_does_not_ask_without_a_terminal(root: Path) -> None:
    # CliRunner's stdin is not a terminal: no prompt, placeholders instead.
    result = run("new", "pattern", "vector-store", "--root", str(root))

    assert result.exit_code == 0
    assert "(blank leaves a TODO)" not in result.output
    assert yaml.safe_load((root / "patterns" / "vector-store.yml").read_text())["title"].startswith("TODO: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pattern", "Vector_Store"],
         "error: 'Vector_Store' is not a valid pattern id (did you mean 'vector-store'?); use 2 to 64 lower-case "
         "letters, digits and single hyphens, such as 'llm-gateway'"),
        (["pattern", "x"],
         "error: 'x' is not a valid pattern id; use 2 to 64 lower-case letters, digits and single hyphens, "
         "such as 'llm-gateway'"),
        (["pattern", "llm-gateway"],
         "error: patterns/llm-gateway.yml already exists; edit it, or choose another id"),
        (["policy", "index", "--pattern", "llm-gateway"],
         "error: policy id 'index' is taken: its page would be policies/index.md, the section's own page; "
         "choose another id"),
        (["pattern", "gateway-two"],
         "error: pattern id 'gateway-two' is already used by patterns/copy-of-gateway.yml; choose another id"),
        (["pattern", "vector-store", "--tier", "minmal"],
         "error: unknown tier 'minmal' (did you mean 'minimal'?)"),
        (["pattern", "vector-store", "--tier", "severe"],
         "error: unknown tier 'severe'; tiers are: minimal, elevated, high"),
        (["policy", "pii-redaction", "--pattern", "llm-gateway"],
         "error: policies/pii-redaction.yml already exists; edit it, or choose another id"),
        (["policy", "new-rule"],
         "error: a policy needs at least one pattern that satisfies it; pass --pattern ID "
         "(patterns: direct-api, llm-gateway, rag-search)"),
        (["policy", "new-rule", "--pattern", "llm-gatway"],
         "error: unknown pattern 'llm-gatway' (did you mean 'llm-gateway'?)"),
        (["pilot", "claims-team"],
         "error: pilots/claims-team.yml already exists; edit it, or choose another team"),
        (["pilot", "Claims Team"],
         "error: 'Claims Team' is not a valid pilot team (did you mean 'claims-team'?); use 2 to 64 lower-case "
         "letters, digits and single hyphens, such as 'llm-gateway'"),
    ],
)
def test_new_refuses_and_leaves_every_file_untouched(root: Path, args: list[str], message: str) -> None:
    # A file whose name differs from the id it holds: the id still counts as taken.
    copy = (root / "patterns" / "llm-gateway.yml").read_text().replace("id: llm-gateway", "id: gateway-two")
    (root / "patterns" / "copy-of-gateway.yml").write_text(copy)
    before = snapshot(root)

    result = run("new", *args, "--root", str(root))

    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert result.stdout == ""
    assert snapshot(root) == before


def test_new_refuses_a_folder_that_is_not_a_playbook(tmp_path: Path) -> None:
    result = run("new", "pattern", "vector-store", "--root", str(tmp_path))

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {tmp_path} is not a playbook folder (it has no framework/ folder); "
        "run the command from the playbook's folder or pass --root"
    )
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_while_the_file_it_takes_values_from_is_broken(root: Path) -> None:
    (root / "framework" / "risk-tiers.yml").write_text("tiers: [\n")

    result = run("new", "pattern", "vector-store", "--root", str(root))

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "error: cannot read framework/risk-tiers.yml, which a new file takes its values from; "
        "fix it first (playbook check)"
    )
    assert lines[1].startswith("framework/risk-tiers.yml:") and "[yaml-syntax]" in lines[1]
    assert not (root / "patterns" / "vector-store.yml").exists()


def test_writing_never_replaces_a_file_even_when_the_earlier_check_is_bypassed(root: Path) -> None:
    # Another process may create the file between the check and the write: mode "x" refuses it then too.
    existing = root / "patterns" / "llm-gateway.yml"
    before = existing.read_bytes()
    text = (root / "patterns" / "rag-search.yml").read_text().replace("id: rag-search", "id: llm-gateway")

    with pytest.raises(PlaybookError, match=r"^patterns/llm-gateway.yml already exists"):
        write_new(root, PATTERN, "llm-gateway", text)
    assert existing.read_bytes() == before


def test_new_refuses_a_value_the_model_refuses(root: Path) -> None:
    result = run("new", "pattern", "vector-store", "--root", str(root), "--title", "x" * 301)

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: patterns/vector-store.yml was not written: title is 301 characters long; the limit is 300"
    )
    assert not (root / "patterns" / "vector-store.yml").exists()


# playbook new policy


def test_new_policy_cites_the_given_patterns_and_passes_check(root: Path) -> None:
    result = run("new", "policy", "human-review", "--root", str(root), "--pattern", "llm-gateway",
                 "--pattern", "rag-search", "--tier", "high", "--title", "A person reviews every answer",
                 "--statement", "A person reviews each answer before a customer sees it.")

    assert result.exit_code == 0
    text = (root / "policies" / "human-review.yml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/policy.schema.json"
    data = yaml.safe_load(text)
    assert list(data) == list(Policy.model_fields)
    assert data["patterns"] == ["llm-gateway", "rag-search"]
    assert data["tiers"] == ["high"]
    assert data["statement"] == "A person reviews each answer before a customer sees it.\n"
    assert data["review_by"] == add_months(TODAY, 6)
    assert sorted(only_todo_warnings(root)) == ["exceptions", "owner", "rationale"]


def test_new_policy_asks_for_patterns_at_the_terminal(root: Path) -> None:
    # title, statement, owner, tiers (default), patterns (none, then a typo, then a good one)
    answers = "Log every prompt\n\nPrivacy office\n\n\nllm-gatway\nllm-gateway\n"
    result = run("new", "policy", "log-prompts", "--root", str(root), "--interactive", input=answers)

    assert result.exit_code == 0, result.output
    assert result.output.count("Patterns that satisfy it") == 3  # blank and unknown answers are asked again
    assert "unknown pattern 'llm-gatway' (did you mean 'llm-gateway'?)" in result.output
    data = yaml.safe_load((root / "policies" / "log-prompts.yml").read_text())
    assert data["patterns"] == ["llm-gateway"]
    assert data["tiers"] == ["minimal"]
    assert data["owner"] == "Privacy office"
    only_todo_warnings(root)


# playbook new pilot


def test_new_pilot_lists_every_checklist_item_on_the_first_step_for_one_quarter(root: Path) -> None:
    result = run("new", "pilot", "risk-team", "--root", str(root), "--sponsor", "Chief Risk Officer",
                 "--start", "2026-01-31")

    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"created {root / 'pilots' / 'risk-team.yml'}"
    text = (root / "pilots" / "risk-team.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert list(data) == list(Pilot.model_fields)
    assert data == {
        "team": "risk-team",
        "name": "Risk team",
        "sponsor": "Chief Risk Officer",
        "example": False,
        "start": dt.date(2026, 1, 31),
        "end": dt.date(2026, 4, 30),
        "step": "foundations",
        "checklist": {"name-owners": False, "publish-gateway": False, "pick-unit": False},
        "metrics": {"outcome": [], "process": []},
    }
    assert "# Outcome and process metrics." in text
    _playbook, problems, _count = check(root)
    assert [str(p) for p in problems] == []


def test_new_pilot_starts_today_by_default(root: Path) -> None:
    result = run("new", "pilot", "risk-team", "--root", str(root), "--name", "Risk and compliance")

    assert result.exit_code == 0
    data = yaml.safe_load((root / "pilots" / "risk-team.yml").read_text())
    assert (data["name"], data["start"], data["end"]) == ("Risk and compliance", TODAY, add_months(TODAY, 3))


def test_new_pilot_asks_at_the_terminal(root: Path) -> None:
    result = run("new", "pilot", "risk-team", "--root", str(root), "--interactive", input="\nChief Risk Officer\n")

    assert result.exit_code == 0, result.output
    assert "Team name [Risk team]: " in result.output
    data = yaml.safe_load((root / "pilots" / "risk-team.yml").read_text())
    assert (data["name"], data["sponsor"]) == ("Risk team", "Chief Risk Officer")


# playbook report


@pytest.fixture
def neglected(root: Path) -> Path:
    """The fixture with an overdue pattern, a policy left on a deprecated pattern and a tier with no pattern."""
    rag = root / "patterns" / "rag-search.yml"
    rag.write_text(rag.read_text().replace("review_by: 2099-12-31", "review_by: 2020-01-01"))
    gateway = root / "patterns" / "llm-gateway.yml"
    gateway.write_text(gateway.read_text().replace("tiers: [minimal, elevated, high]", "tiers: [minimal, elevated]"))
    (root / "policies" / "provider-limits.yml").write_text(
        "id: provider-limits\ntitle: Spending limits at the provider\nstatement: Set a limit on every key.\n"
        "tiers: [minimal]\npatterns: [direct-api]\nowner: Finance\nexceptions: Ask finance.\n"
        "review_by: 2099-12-31\n"
    )
    return root


def test_report_text_shows_each_section(neglected: Path) -> None:
    result = run("report", "--root", str(neglected))

    assert result.exit_code == 0, result.output
    days = (TODAY - dt.date(2020, 1, 1)).days
    sections = result.stdout.split("\n\n")
    assert sections[0] == f"Playbook report, {TODAY.isoformat()}"
    assert sections[1] == (
        "Patterns no policy cites (1)\n"
        "----------------------------\n"
        "  rag-search: Retrieval-augmented search (pattern, trial; owner Search team)"
    )
    assert sections[2] == (
        "Policies whose patterns are all deprecated (1)\n"
        "----------------------------------------------\n"
        "  provider-limits: Spending limits at the provider (policy; owner Finance)"
    )
    assert sections[3] == (
        "Past their review date (1)\n"
        "--------------------------\n"
        f"  pattern rag-search: due 2020-01-01, {days} days late (owner Search team)"
    )
    assert sections[4] == (
        "Items by owner (4)\n"
        "------------------\n"
        "  Finance (1)\n"
        "    policy provider-limits\n"
        "  Platform team (2)\n"
        "    pattern direct-api\n"
        "    pattern llm-gateway\n"
        "  Privacy office (1)\n"
        "    policy pii-redaction\n"
        "  Search team (1)\n"
        "    pattern rag-search"
    )
    assert sections[5] == (
        "Tier coverage: non-deprecated patterns approved per tier\n"
        "--------------------------------------------------------\n"
        "  minimal   2 (llm-gateway, rag-search); 1 adopted\n"
        "  elevated  1 (llm-gateway); 1 adopted\n"
        "  high      NO PATTERN: teams in this tier have nothing approved to build on\n"
        "  warning: no pattern is approved for tier(s): high"
    )
    heading = "Pattern candidates: built outside the patterns by 3 or more teams (0)"
    assert sections[6] == f"{heading}\n{'-' * len(heading)}\n  none"
    assert sections[7] == "Watch list: built by 2 teams (0)\n--------------------------------\n  none\n"


def test_report_json(neglected: Path) -> None:
    result = run("report", "--root", str(neglected), "--format", "json")

    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [p["id"] for p in data["uncited_patterns"]] == ["rag-search"]
    assert [p["id"] for p in data["policies_on_deprecated_patterns"]] == ["provider-limits"]
    assert [(o["item"]["id"], o["review_by"]) for o in data["overdue"]] == [("rag-search", "2020-01-01")]
    assert list(data["owners"]) == ["Finance", "Platform team", "Privacy office", "Search team"]
    assert {c["tier"]: (c["patterns"], c["uncovered"]) for c in data["tier_coverage"]} == {
        "minimal": (["llm-gateway", "rag-search"], False),
        "elevated": (["llm-gateway"], False),
        "high": ([], True),
    }


def test_report_refuses_a_playbook_with_errors(root: Path) -> None:
    policy = root / "policies" / "pii-redaction.yml"
    policy.write_text(policy.read_text().replace("patterns: [llm-gateway]", "patterns: [llm-gatway]"))

    result = run("report", "--root", str(root))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: the playbook has 1 error(s); fix them before reporting",
        "policies/pii-redaction.yml:7:12: error: unknown pattern 'llm-gatway' (did you mean 'llm-gateway'?) "
        "[unknown-ref]",
    ]


# playbook diff

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "--short", "HEAD")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose playbook lives in a subfolder, with the fixture committed once."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "governance")
    git(repo, "init", "-q")
    commit_all(repo, "base")
    return repo


def change_playbook(root: Path) -> None:
    """Add a pattern, deprecate another and lower a threshold so one worked example moves tier."""
    assert run("new", "pattern", "vector-store", "--root", str(root), "--title", "Vector store").exit_code == 0
    edit(root / "patterns" / "rag-search.yml", "status: trial", "status: deprecated\nsuperseded_by: llm-gateway")
    risk = root / "framework" / "risk-tiers.yml"
    edit(risk, "at_least: 50000", "at_least: 500")
    edit(risk, "    expected_tier: minimal", "    expected_tier: elevated")


@needs_git
def test_diff_between_two_commits(repo: Path) -> None:
    root = repo / "governance"
    base = git(repo, "rev-parse", "--short", "HEAD")
    change_playbook(root)
    head = commit_all(repo, "head")

    result = run("diff", "HEAD~1", "HEAD", "--root", str(root))

    assert result.exit_code == 0, result.output
    assert result.stdout == f"""\
## Playbook changes

Comparing `HEAD~1` (`{base}`) with `HEAD` (`{head}`).

### Patterns

- **Added:**
  - `vector-store` — Vector store
- **Changed:**
  - `rag-search`: `status`: trial → deprecated; `superseded_by`: none → llm-gateway
- **Status moves:**
  - `rag-search`: trial → deprecated

### Policies

No changes.

### Pilots

No changes.

### Use cases

No changes.

### Learnings

No changes.

### Framework (risk tiers, roadmap, decision rights)

#### Rules (thresholds)

- **Changed:**
  - `big-budget`: `when[0].at_least`: 50000 → 500

#### Worked examples

- **Changed:**
  - `meeting-notes`: `expected_tier`: minimal → elevated

### Worked examples that change tier

Each example is classified with the thresholds of `HEAD~1` (`{base}`) and of `HEAD` (`{head}`).

| Example | Tier before | Tier after | Rules that fire after |
| --- | --- | --- | --- |
| `meeting-notes` — Summarise internal meeting notes. | minimal | elevated | `big-budget` |

### Registered use cases that move

None: every registered use case keeps its tier and review path.
"""


@needs_git
def test_diff_against_the_working_tree_and_with_no_changes(repo: Path) -> None:
    root = repo / "governance"

    unchanged = run("diff", "HEAD", "--root", str(root))
    assert unchanged.exit_code == 0
    assert unchanged.stdout.endswith("with the working tree.\n\nNo changes to patterns, policies, pilots, use cases, "
                                     "learnings or the framework.\n")

    edit(root / "patterns" / "llm-gateway.yml", "review_by: 2099-12-31", "review_by: 2098-06-30")
    (root / "policies" / "pii-redaction.yml").unlink()
    edit(root / "framework" / "roadmap.yml", "    policies: [pii-redaction]\n", "")
    edit(root / "learnings" / "triage-missed-new-claim-types.yml", "policies: [pii-redaction]", "policies: []")
    changed = run("diff", "HEAD", "--root", str(root))

    assert changed.exit_code == 0
    assert "  - `llm-gateway`: `review_by`: 2099-12-31 → 2098-06-30\n" in changed.stdout
    assert "- **Removed:**\n  - `pii-redaction` — Redact personal data before it leaves the company\n" in changed.stdout
    assert "None: every worked example gets the same tier under both revisions' thresholds." in changed.stdout
    assert "Warning" not in changed.stdout


@needs_git
def test_diff_warns_when_a_revision_has_errors(repo: Path) -> None:
    root = repo / "governance"
    edit(root / "patterns" / "rag-search.yml", "status: trial", "status: retired")

    result = run("diff", "HEAD", "--root", str(root))

    assert result.exit_code == 0
    assert ("> **Warning:** the working tree has 1 error (run `playbook check`); items that fail to load are "
            "left out of this comparison.") in result.stdout
    assert "- **Removed:**\n  - `rag-search`" in result.stdout


@needs_git
def test_diff_refuses_an_unknown_revision(repo: Path) -> None:
    result = run("diff", "no-such-branch", "--root", str(repo / "governance"))

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: unknown revision 'no-such-branch'; give a branch, tag or commit of this repository, "
        "such as main or HEAD~1"
    )


@needs_git
def test_diff_refuses_a_folder_outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FIXTURE, tmp_path / "playbook")
    # Stop git from finding a repository above the temporary folder.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run("diff", "HEAD", "--root", str(tmp_path / "playbook"))

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {(tmp_path / 'playbook').resolve()} is not inside a git repository; playbook diff compares two "
        "git revisions of the playbook (run it in a clone)"
    )


# Contributor files


REPO = Path(__file__).parent.parent


def test_pre_commit_hook_runs_check_once_on_playbook_data() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    (hook,) = [h for r in config["repos"] if r["repo"] == "local" for h in r["hooks"]]
    assert hook["entry"] == "playbook check"
    assert hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    for path in ("patterns/llm-gateway.yml", "policies/x.yml", "framework/risk-tiers.yml", "pilots/claims.yml",
                 "usecases/x.yml", "learnings/x.yml"):
        assert pattern.search(path), path
    assert not pattern.search("docs/index.md")


def test_workflow_checks_builds_tests_and_uploads_the_site() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "playbook.yml").read_text())
    (job,) = workflow["jobs"].values()
    runs = [step.get("run", "") for step in job["steps"]]
    uses = {step.get("uses", "").split("@")[0]: step.get("with", {}) for step in job["steps"]}
    assert uses["actions/setup-python"]["python-version"] == "3.11"
    for command in ('pip install -e ".[test]"', "playbook check --strict", "playbook build", "pytest"):
        assert any(command in run for run in runs), command
    assert uses["actions/upload-artifact"]["path"] == "site/"
