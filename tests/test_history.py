"""The playbook's git history in playbook terms (playbook.history): what each dated commit did, the releases,
each item's own history and the new and updated marks, read cheaply and cached by commit."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel

import playbook.history.changes as changes_module
import playbook.history.log as log_module
from gitstory import Story, commit, copy_item, edit, git, needs_git, three_commits
from playbook.data.model.items import Id, Item, Line
from playbook.history.cache import CACHE_FILE
from playbook.history.changes import Change, What
from playbook.history.log import Missing
from playbook.history.timeline import History, read_history

pytestmark = pytest.mark.skipif(not needs_git, reason="git is not installed")


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return three_commits(tmp_path_factory.mktemp("story") / "playbook")


@pytest.fixture
def story_copy(story: Story, tmp_path: Path) -> Story:
    """The story's repository copied, for a test that commits more or changes the cache."""
    root = tmp_path / "playbook"
    shutil.copytree(story.root, root, ignore=shutil.ignore_patterns(".cache"))
    return Story(root, story.start, story.adopted, story.policy, story.lowered)


def changes_of(history: History) -> list[tuple[str, str, str, str, str | None, str | None]]:
    """(day, commit, what, kind:id, before, after) of every change the releases list, newest first."""
    return [(e.day.isoformat(), e.commit.id, e.change.what.value, f"{e.change.kind}:{e.change.id}",
             e.change.before, e.change.status) for e in history.entries()]


def count(root: Path, folder: str) -> int:
    return len(list((root / folder).glob("*.yml")))


def test_each_commit_of_the_story_is_read_in_playbook_terms(story: Story) -> None:
    history = read_history(story.root)

    assert history.missing is None and not history.shallow and not history.tagged
    assert history.start == dt.date(2026, 9, 1)
    assert [r.key for r in history.releases] == ["2026-11", "2026-10", "2026-09"]
    assert changes_of(history) == [
        ("2026-11-02", story.lowered, "framework", "risk-tiers:", None, None),
        ("2026-11-02", story.lowered, "moved", "pattern:permissioned-data-access", "adopted", "deprecated"),
        ("2026-10-20", story.policy, "added", "policy:prompt-retention", None, None),
        ("2026-10-15", story.adopted, "moved", "pattern:agent-guardrails", "trial", "adopted"),
    ]
    framework, deprecated = history.releases[0].entries
    (rule,) = framework.change.entries
    assert (rule.list, rule.id, rule.what) == ("rules", "automated-spend-1000", "changed")
    assert [(v.path, v.before, v.after) for v in rule.values] == [("when[0].at_least", "1000", "500")]
    moved = {m.id: (m.before, m.after) for m in framework.change.moved}
    assert moved["refund-approvals"] == (("standard", "self-service"), ("elevated", "self-service"))
    assert deprecated.change.successor == "permissioned-retrieval"
    # The first commit is where history starts, not a list of hundreds of additions.
    assert history.releases[2].entries == []
    assert history.releases[2].started == {
        "pattern": count(story.root, "patterns"), "policy": count(story.root, "policies") - 1,
        "pilot": count(story.root, "pilots"), "usecase": count(story.root, "usecases"),
        "learning": count(story.root, "learnings"),
    }


def test_each_item_has_its_own_history(story: Story) -> None:
    history = read_history(story.root)

    adopted = history.item("pattern", "agent-guardrails")
    assert adopted is not None and adopted.from_start and adopted.added is None
    assert [(m.day, m.change.before, m.change.status) for m in adopted.moves] == [
        (dt.date(2026, 10, 15), "trial", "adopted")]
    assert adopted.status_since(0) == dt.date(2026, 9, 1)
    new = history.item("policy", "prompt-retention")
    assert new is not None and new.added is not None and new.added.commit.id == story.policy
    untouched = history.item("pattern", "llm-gateway")
    assert untouched is not None and untouched.since == dt.date(2026, 9, 1) and untouched.last is None


def test_marks_name_what_was_added_or_changed_in_the_last_days(story: Story) -> None:
    history = read_history(story.root)
    today = dt.date(2026, 11, 10)

    assert history.marks(today, 90) == {
        ("pattern", "agent-guardrails"): "updated",
        ("policy", "prompt-retention"): "new",
        ("pattern", "permissioned-data-access"): "updated",
    }
    # 2026-10-20 is 21 days before: out of the 21 days up to today (today counts), in the 22.
    assert history.marks(today, 21) == {("pattern", "permissioned-data-access"): "updated"}
    assert ("policy", "prompt-retention") in history.marks(today, 22)
    assert history.marks(today, 0) == {}


def test_a_commit_is_read_once_then_comes_from_the_cache(story_copy: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    root = story_copy.root
    cold = read_history(root)
    assert (root / CACHE_FILE).is_file()

    def refuse(*_args: object) -> list[Change]:
        raise AssertionError("a cached commit was computed again")

    monkeypatch.setattr(changes_module.Walk, "changes", refuse)
    warm = read_history(root)
    assert changes_of(warm) == changes_of(cold)

    # A new commit is the only one computed; the cache keeps the others.
    monkeypatch.undo()
    computed: list[str] = []
    real = changes_module.Walk.changes

    def spy(self: changes_module.Walk, commit_: log_module.Commit) -> list[Change]:
        computed.append(commit_.id)
        return real(self, commit_)

    monkeypatch.setattr(changes_module.Walk, "changes", spy)
    edit(root / "patterns" / "llm-gateway.yml", "status: adopted",
         "status: deprecated\nsuperseded_by: agent-guardrails")
    newest = commit(root, "Retire the gateway", "2026-11-20")
    assert changes_of(read_history(root))[0] == (
        "2026-11-20", newest, "moved", "pattern:llm-gateway", "adopted", "deprecated")
    assert computed == [newest]


def test_a_broken_or_foreign_cache_is_ignored(story_copy: Story) -> None:
    root = story_copy.root
    expected = changes_of(read_history(root))
    cache = root / CACHE_FILE
    for text in ("{not json", '{"fingerprint": "another engine", "commits": {}}', '{"fingerprint": 1}'):
        cache.write_text(text, encoding="utf-8")
        assert changes_of(read_history(root)) == expected
    cache.unlink()
    cache.parent.rmdir()
    assert changes_of(read_history(root)) == expected


def test_only_the_blobs_a_commit_changed_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story = three_commits(tmp_path / "playbook")
    edit(story.root / "patterns" / "llm-gateway.yml", "owner:", "owner: Platform team #")
    commit(story.root, "A new owner", "2026-11-05")
    asked: list[str] = []
    real = log_module.read_blobs

    def spy(repo: log_module.Repository, ids: object) -> dict[str, bytes]:
        wanted = list(ids)  # type: ignore[call-overload]
        asked.extend(wanted)
        return real(repo, wanted)

    monkeypatch.setattr(changes_module, "read_blobs", spy)
    read_history(story.root)

    def blobs(rev: str, *paths: str) -> set[str]:
        return {git(story.root, "rev-parse", f"{rev}:{path}") for path in paths}

    changed = (blobs(story.start, "patterns/agent-guardrails.yml")
               | blobs(story.adopted, "patterns/agent-guardrails.yml")
               | blobs(story.policy, "policies/prompt-retention.yml")
               | blobs(story.policy, "framework/risk-tiers.yml", "patterns/permissioned-data-access.yml")
               | blobs(story.lowered, "framework/risk-tiers.yml", "patterns/permissioned-data-access.yml")
               | blobs(story.lowered, "patterns/llm-gateway.yml") | blobs("HEAD", "patterns/llm-gateway.yml"))
    assert changed <= set(asked)
    # Beyond them, only the patterns and use cases the threshold change assesses the register with.
    register = {git(story.root, "rev-parse", f"{story.lowered}:{folder}/{path.name}")
                for folder in ("patterns", "usecases") for path in (story.root / folder).glob("*.yml")}
    policies = {git(story.root, "rev-parse", f"{story.lowered}:policies/{path.name}")
                for path in (story.root / "policies").glob("*.yml")}
    assert set(asked) - changed <= register | blobs(story.policy, "patterns/permissioned-data-access.yml")
    assert not (set(asked) & policies) - blobs(story.policy, "policies/prompt-retention.yml")
    assert len(asked) == len(set(asked))


def test_releases_are_tags_where_the_repository_has_them(story_copy: Story) -> None:
    root = story_copy.root
    git(root, "tag", "v1", story_copy.adopted)
    git(root, "tag", "-a", "v2", "-m", "Second release", story_copy.lowered, date="2026-11-03T09:00:00+00:00")
    tagged = read_history(root)
    assert tagged.tagged
    assert [(r.key, r.day.isoformat(), r.after) for r in tagged.releases] == [
        ("v2", "2026-11-02", None), ("v1", "2026-10-15", None)]
    assert [e.commit.id for e in tagged.releases[0].entries] == [story_copy.lowered] * 2 + [story_copy.policy]
    assert tagged.releases[1].started and [e.commit.id for e in tagged.releases[1].entries] == [story_copy.adopted]

    copy = story_copy.root / "policies" / "prompt-retention.yml"
    copy.unlink()
    removed = commit(root, "Drop the prompt policy again", "2026-11-12")
    later = read_history(root)
    assert [(r.key, r.after) for r in later.releases][0] == ("", "v2")
    assert changes_of(later)[0] == ("2026-11-12", removed, "removed", "policy:prompt-retention", None, None)
    assert later.releases[0].entries[0].change.title == "Keep prompts no longer than needed"
    assert later.item("policy", "prompt-retention") is None


def test_a_merged_branch_is_one_change_dated_when_it_was_merged(story_copy: Story) -> None:
    root = story_copy.root
    git(root, "switch", "-q", "-c", "adopt")
    edit(root / "patterns" / "shadow-ai-onboarding.yml", "status: adopted",
         "status: deprecated\nsuperseded_by: llm-gateway")
    commit(root, "On the branch", "2026-11-05")
    git(root, "switch", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge adopt", "adopt", date="2026-11-09T10:00:00+00:00")
    merge = git(root, "rev-parse", "HEAD")

    history = read_history(root)

    assert changes_of(history)[0] == ("2026-11-09", merge, "moved", "pattern:shadow-ai-onboarding", "adopted",
                                      "deprecated")


def test_history_is_missing_outside_git_and_without_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = tmp_path / "copy"
    (root / "patterns").mkdir(parents=True)
    assert read_history(root).missing is Missing.not_a_repository
    git(root, "init", "-q")
    empty = read_history(root)
    assert empty.missing is Missing.no_commits and empty.releases == [] and empty.marks(dt.date.today(), 90) == {}
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert read_history(root).missing is Missing.no_git


def test_a_shallow_clone_starts_history_where_it_was_cut(story: Story, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{story.root}", str(clone))

    history = read_history(clone)

    assert history.shallow and history.start == dt.date(2026, 10, 20)
    assert [r.key for r in history.releases] == ["2026-11", "2026-10"]
    assert changes_of(history) == [
        ("2026-11-02", story.lowered, "framework", "risk-tiers:", None, None),
        ("2026-11-02", story.lowered, "moved", "pattern:permissioned-data-access", "adopted", "deprecated"),
    ]
    assert history.releases[1].started["policy"] == count(story.root, "policies")
    guardrails = history.item("pattern", "agent-guardrails")
    assert guardrails is not None and guardrails.from_start and guardrails.moves == []


class Learning(Item):
    """A stand-in for a kind that lands later (learnings): nothing in history names it."""

    id: Id
    title: Line
    status: str


def test_a_kind_the_registry_gains_needs_no_code_of_its_own(tmp_path: Path) -> None:
    """Learnings joined the registry after history was written: a new one and its status move are read with no
    history code of their own."""
    story = three_commits(tmp_path / "playbook")
    copy_item(story.root, "learnings", "routing-model-drift", "drift", **{
        "title: The case-routing model drifted when a new product line launched": "title: Routing accuracy drifted",
        "status: addressed": "status: open"})
    added = commit(story.root, "A learning", "2026-11-06")
    edit(story.root / "learnings" / "drift.yml", "status: open", "status: addressed")
    addressed = commit(story.root, "Addressed", "2026-11-08")

    history = read_history(story.root)

    assert changes_of(history)[:2] == [
        ("2026-11-08", addressed, "moved", "learning:drift", "open", "addressed"),
        ("2026-11-06", added, "added", "learning:drift", None, "open"),
    ]
    assert history.entries()[1].change.title == "Routing accuracy drifted"
    assert history.marks(dt.date(2026, 11, 10), 90)[("learning", "drift")] == "new"


def test_an_unloadable_version_is_an_edit_without_details(tmp_path: Path) -> None:
    story = three_commits(tmp_path / "playbook")
    edit(story.root / "patterns" / "llm-gateway.yml", "status: adopted", "status: [broken")
    broken = commit(story.root, "Broken", "2026-11-06")

    history = read_history(story.root)

    item = history.item("pattern", "llm-gateway")
    assert item is not None and item.last is not None and item.last.commit.id == broken
    assert item.last.change == Change(what=What.edited, kind="pattern", id="llm-gateway")
    assert all(e.commit.id != broken for e in history.entries())


def test_changes_survive_the_cache_as_they_were(story: Story, tmp_path: Path) -> None:
    cache = tmp_path / "history.json"
    first = read_history(story.root, cache=cache)
    again = read_history(story.root, cache=cache)
    assert [e.change for e in again.entries()] == [e.change for e in first.entries()]
    assert isinstance(first.entries()[0].change, BaseModel)


def test_a_playbook_in_a_folder_of_a_larger_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    repo = tmp_path / "monorepo"
    story = three_commits(repo / "governance")
    # The story made its repository in governance/; make the whole monorepo the repository instead.
    shutil.rmtree(story.root / ".git")
    (repo / "README.md").write_text("Many things live here.\n", encoding="utf-8")
    (repo / "patterns").mkdir()
    (repo / "patterns" / "not-ours.yml").write_text("id: not-ours\n", encoding="utf-8")
    git(repo, "init", "-q")
    commit(repo, "Everything", "2026-09-01")
    edit(story.root / "patterns" / "agent-guardrails.yml", "status: adopted",
         "status: deprecated\nsuperseded_by: llm-gateway")
    (repo / "README.md").write_text("Still many things.\n", encoding="utf-8")
    (repo / "patterns" / "also-not-ours.yml").write_text("id: also-not-ours\n", encoding="utf-8")
    deprecated = commit(repo, "Deprecate agent guardrails", "2026-10-01")
    (repo / "README.md").write_text("Only the README.\n", encoding="utf-8")
    commit(repo, "Outside the playbook", "2026-10-02")

    history = read_history(story.root)

    assert history.commits == 2
    assert changes_of(history) == [
        ("2026-10-01", deprecated, "moved", "pattern:agent-guardrails", "adopted", "deprecated")]
    assert (story.root / CACHE_FILE).is_file() and not (repo / CACHE_FILE).exists()
