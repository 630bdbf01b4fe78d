"""`playbook serve` rebuilds when a YAML file changes, as an author previewing a pattern expects."""

from __future__ import annotations

import html
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sitebuild import REPO, assemble

SMALL = REPO / "tests" / "fixtures" / "valid" / "small"
POLL_SECONDS = 0.05
"""How often a test asks the server for a page it waits for: a rebuild takes a tenth of a second or more."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    """True once the page at ``url`` holds ``text``, as markup or as the text a reader sees (entities read)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and (text in page or text in html.unescape(page)):
            return True
        time.sleep(POLL_SECONDS)
    return False


def _wait_for_not(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and text not in page:
            return True
        time.sleep(POLL_SECONDS)
    return False


class Served:
    """A running `playbook serve`; ``output`` holds what it printed once it has stopped."""

    def __init__(self, root: Path) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "playbook", "serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{self.port}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        self.output = ""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.output = self.process.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.output = self.process.communicate()[0]


@contextmanager
def serving(root: Path) -> Iterator[Served]:
    served = Served(root)
    try:
        yield served
    finally:
        served.stop()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_serve_rebuilds_when_a_pattern_file_changes(tmp_path: Path) -> None:
    root = assemble(SMALL, tmp_path / "pb")
    with serving(root) as served:
        url = served.url("patterns/llm-gateway/")
        assert _wait_for(url, "LLM gateway", 60), "the server did not serve the pattern page"
        _edit(root / "patterns" / "llm-gateway.yml", "title: LLM gateway", "title: Model gateway")
        assert _wait_for(url, "Model gateway", 60), "the page was not rebuilt after the YAML changed"
    assert "end of life" not in served.output.lower()
    assert "Traceback" not in served.output
    # Our lines, not mkdocs-macros' inventory of its modules, variables and macros.
    assert "[macros]" not in served.output
    assert "Serving on http://127.0.0.1:" in served.output


def test_serve_shows_the_problems_in_the_browser_until_a_good_save(tmp_path: Path) -> None:
    root = assemble(SMALL, tmp_path / "pb")
    pattern = root / "patterns" / "llm-gateway.yml"
    with serving(root) as served:
        page, home = served.url("patterns/llm-gateway/"), served.url("")
        assert _wait_for(page, "LLM gateway", 60), "the server did not serve the pattern page"
        line = next(i for i, text in enumerate(pattern.read_text(encoding="utf-8").splitlines(), 1)
                    if text.startswith("title:"))
        _edit(pattern, "title: LLM gateway", "titel: LLM gateway")
        problem = f"patterns/llm-gateway.yml:{line}:1: error: unknown field 'titel'"
        assert _wait_for(page, problem, 60), "the browser did not get the problems page"
        for url in (page, home, served.url("standards/")):
            shown = _fetch(url)
            assert shown is not None and "The playbook has errors" in shown, url
            assert "livereload" in shown, "the problems page must reload itself when the playbook is fixed"
        # A second broken file: the page lists every problem, as playbook check does.
        _edit(root / "framework" / "roadmap.yml", "steps:", "steps: [")
        assert _wait_for(home, "framework/roadmap.yml:", 60)
        _edit(root / "framework" / "roadmap.yml", "steps: [", "steps:")
        _edit(pattern, "titel: LLM gateway", "title: Model gateway")
        assert _wait_for(page, "Model gateway", 60), "the site did not come back after the fix was saved"
        assert "The playbook has errors" not in (_fetch(home) or "")
    assert f"patterns/llm-gateway.yml:{line}:1: error: unknown field 'titel'" in served.output
    assert "Traceback" not in served.output
    assert "appear stuck" not in served.output


def test_serve_started_on_a_broken_playbook_shows_the_problems_at_every_page(tmp_path: Path) -> None:
    root = assemble(SMALL, tmp_path / "pb")
    pattern = root / "patterns" / "llm-gateway.yml"
    _edit(pattern, "title: LLM gateway", "titel: LLM gateway")
    with serving(root) as served:
        page = served.url("patterns/llm-gateway/")
        # No good build came before: the item page's address comes from its file's name.
        assert _wait_for(page, "The playbook has errors", 60), "the server did not start on the problems page"
        assert "livereload" in (_fetch(page) or "")
        _edit(pattern, "titel: LLM gateway", "title: LLM gateway")
        assert _wait_for(page, "<title>LLM gateway", 60), "the site did not come back after the fix was saved"
    assert "Traceback" not in served.output


def test_rebuilds_in_one_process_free_the_playbook_they_replace(tmp_path: Path) -> None:
    """The plugin freezes each build's playbook out of the collector's walks; under serve the next
    rebuild must thaw it, or every rebuild's playbook would stay frozen for good."""
    import gc

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    root = assemble(REPO, tmp_path / "pb")
    frozen = []
    try:
        for _ in range(3):
            mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
            frozen.append(gc.get_freeze_count())
    finally:
        gc.unfreeze()
    assert frozen[0] > 10_000, "the build froze its playbook"
    # Kept frozen, each rebuild would add the shipped playbook's objects again (about 11,000); what
    # remains is the theme's and mkdocs' bounded caches (about 1,600 a rebuild, up to their limits).
    growth = frozen[2] - frozen[1]
    assert growth < 5_000, f"objects frozen after each rebuild: {frozen}"


def test_serve_runs_the_playbooks_own_macros_as_last_saved(tmp_path: Path) -> None:
    root = assemble(SMALL, tmp_path / "pb")
    with serving(root) as served:
        url = served.url("contributing/")
        assert _wait_for(url, 'id="pattern-owners"', 60), "the server did not serve the contributing page"
        _edit(root / "macros" / "__init__.py", '"- **{escape(owner)}:** ', '"- **{escape(owner)} (owner):** ')
        assert _wait_for(url, "(owner):</strong>", 60), "the page did not show what the saved macro writes"
    assert "Traceback" not in served.output


def test_an_edit_shows_on_every_page_that_shows_the_item(tmp_path: Path) -> None:
    """Serve rebuilds only the pages an edit changes: the item's own page and every page that shows it must have
    the edit, and a page that shows another item must have that item's edit too."""
    root = assemble(SMALL, tmp_path / "pb")
    with serving(root) as served:
        pattern, policy = served.url("patterns/llm-gateway/"), served.url("policies/pii-redaction/")
        assert _wait_for(pattern, "LLM gateway", 60), "the server did not serve the pattern page"
        _edit(root / "patterns" / "llm-gateway.yml", "title: LLM gateway", "title: Model gateway")
        assert _wait_for(pattern, "<title>Model gateway", 60), "the pattern page was not rebuilt"
        # Served once the rebuild is done: the other pages are as they will stay.
        for url in ("standards/", "print/", "policies/pii-redaction/", "search/playbook-index.json"):
            assert "Model gateway" in (_fetch(served.url(url)) or ""), f"{url} still shows the old title"
        _edit(root / "policies" / "pii-redaction.yml", "title: Redact personal data before it leaves the company",
              "title: Mask personal data before it leaves the company")
        assert _wait_for(policy, "<title>Mask personal data", 60), "the policy page was not rebuilt"
        for url in ("patterns/llm-gateway/", "policies/", "print/", "search/playbook-index.json"):
            page = _fetch(served.url(url)) or ""
            assert "Mask personal data" in page, f"{url} does not show the policy's new title"
            assert "Redact personal data before" not in page, f"{url} still shows the policy's old title"
        # A page no edit touched is still served, as it was.
        assert "<title>Direct model API" in (_fetch(served.url("patterns/direct-api/")) or "")
        # A pattern whose file is removed is gone from the site, not left behind from an earlier build.
        (root / "patterns" / "direct-api.yml").unlink()
        assert _wait_for_not(served.url("standards/"), "Direct model API", 60), "the catalog still lists it"
        assert _fetch(served.url("patterns/direct-api/")) is None, "the removed pattern's page is still served"
    assert "Traceback" not in served.output
    assert "dirty" not in served.output.lower(), "mkdocs' notice of a dirty build reached the author"
