"""Scratch git repositories with dated commits, for the tests of what's new and each item's history.

:func:`three_commits` makes the story of issue 24 on a copy of the shipped playbook: a trial pattern adopted;
a new policy; an automated-spend threshold lowered from 1,000 to 500 with a pattern deprecated for its
successor. Every commit is dated (author and committer), so what the site shows can be checked day by day.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sitebuild import REPO, assemble

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
needs_git = shutil.which("git") is not None


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if date is not None:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(repo: Path, message: str, date: str) -> str:
    """Commit everything on ``date`` (``2026-10-15``, at 10:00 UTC); returns the full commit id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=f"{date}T10:00:00+00:00")
    return git(repo, "rev-parse", "HEAD")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy_item(root: Path, folder: str, source: str, target: str, **replace: str) -> None:
    """A new item ``target`` made from the shipped ``source``, with ``replace`` (old text -> new) applied."""
    text = (root / folder / f"{source}.yml").read_text(encoding="utf-8").replace(f"id: {source}", f"id: {target}")
    for old, new in replace.items():
        assert old in text, f"{source}: {old!r} not found"
        text = text.replace(old, new)
    (root / folder / f"{target}.yml").write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Story:
    root: Path
    start: str
    """The first commit: the shipped playbook, with one more use case that the threshold change will move."""
    adopted: str
    """2026-10-15: ``agent-guardrails`` moves from trial to adopted."""
    policy: str
    """2026-10-20: a new policy, ``prompt-retention``."""
    lowered: str
    """2026-11-02: ``automated-spend-1000`` lowered from 1,000 to 500 (``refund-approvals`` moves from standard to
    elevated), and ``permissioned-data-access`` deprecated for ``permissioned-retrieval``."""


def three_commits(root: Path, repo_url: str | None = "https://github.com/acme/playbook",
                  language: str | None = None) -> Story:
    """The shipped playbook at ``root`` with the issue's three commits after a first one on 2026-09-01."""
    assemble(REPO, root)
    config = root / "mkdocs.yml"
    if repo_url is not None:
        edit(config, "repo_url: https://git.example.com/ai-governance/playbook", f"repo_url: {repo_url}")
    if language is not None:
        edit(config, "  language: en\n", f"  language: {language}\n")
    # A use case between the old and the new threshold, with no declared tier for the change to contradict.
    copy_item(root, "usecases", "invoice-matching", "refund-approvals", **{
        "title: Matching supplier invoices to purchase orders": "title: Approving small refunds",
        "automated-amount: 250": "automated-amount: 600", "tier: standard\n": "",
        # Built only on patterns, so that the fast track is open to it once the threshold makes it elevated.
        "built:\n  - capability: document-field-extraction\n": "",
        "    note: Reads supplier, order number and amounts from invoices that arrive as scanned PDFs.\n": ""})
    (root / ".gitignore").write_text("/.cache/\n/site/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    start = commit(root, "The playbook", "2026-09-01")
    edit(root / "patterns" / "agent-guardrails.yml", "status: trial", "status: adopted")
    adopted = commit(root, "Adopt agent guardrails", "2026-10-15")
    copy_item(root, "policies", "incident-reporting", "prompt-retention", **{
        "title: Report AI incidents and near misses": "title: Keep prompts no longer than needed"})
    policy = commit(root, "Keep prompts no longer than needed", "2026-10-20")
    edit(root / "framework" / "risk-tiers.yml", "at_least: 1000\n", "at_least: 500\n")
    edit(root / "patterns" / "permissioned-data-access.yml", "status: adopted",
         "status: deprecated\nsuperseded_by: permissioned-retrieval")
    lowered = commit(root, "Lower the automated-spend threshold to 500; retire the data access layer", "2026-11-02")
    return Story(root, start, adopted, policy, lowered)
