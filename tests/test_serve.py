"""`playbook serve` rebuilds when a YAML file changes, as an author previewing a pattern expects."""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

import warm
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


def _interruptible() -> None:
    """Ctrl-C stops the server, as in a terminal: a test worker may ignore SIGINT, and a child inherits that (it
    then ignored ``stop``'s SIGINT for the 20 s until SIGKILL, four times a run)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class _Fresh:
    """`python -m playbook serve` started as a terminal starts it, imports and all (warm.Started's interface)."""

    def __init__(self, args: list[str]) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "playbook", *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True,
                                        preexec_fn=_interruptible)
        self.pid = self.process.pid
        self.ran: warm.Ran | None = None

    def wait(self, timeout: float) -> warm.Ran:
        if self.ran is None:
            output = self.process.communicate(timeout=timeout)[0]
            self.ran = warm.Ran(["python", "-m", "playbook", "serve"], self.process.returncode, output, "", 0, 0, 0)
        return self.ran


class Served:
    """A running `playbook serve`; ``output`` holds what it printed once it has stopped.

    It runs in a fork of tests/warm.py's Python, which has imported the playbook already; ``fresh`` starts it as a
    terminal does instead, to see what its start-up prints."""

    def __init__(self, root: Path, fresh: bool = False) -> None:
        self.port = _free_port()
        args = ["serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{self.port}"]
        self.process = _Fresh(args) if fresh else warm.start(*args, cwd=root)
        self.output = ""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def signal(self, number: int) -> None:
        """Send a signal to the server alone, as a process manager does."""
        os.kill(self.process.pid, number)

    def stop(self) -> bool:
        """Ctrl-C, as a terminal sends it to the whole group; False if the server was still running 10 s later
        (it is then killed)."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.output = self.process.wait(timeout=10).output
            return True
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.output = self.process.wait(timeout=60).output
            return False


@contextmanager
def serving(root: Path, fresh: bool = False) -> Iterator[Served]:
    served = Served(root, fresh)
    try:
        yield served
    except BaseException:
        served.stop()
        raise
    assert served.stop(), "playbook serve was still running 10 s after Ctrl-C"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


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
    """Serve rebuilds when a pattern file changes, and only the pages an edit changes: the item's own page and
    every page that shows it must have the edit, and a page that shows another item must have that item's edit
    too."""
    root = assemble(SMALL, tmp_path / "pb")
    with serving(root, fresh=True) as served:  # its start-up's output is checked below
        pattern, policy = served.url("patterns/llm-gateway/"), served.url("policies/pii-redaction/")
        assert _wait_for(pattern, "LLM gateway", 60), "the server did not serve the pattern page"
        _edit(root / "patterns" / "llm-gateway.yml", "title: LLM gateway", "title: Model gateway")
        assert _wait_for(pattern, "<title>Model gateway", 60), "the page was not rebuilt after the YAML changed"
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
    assert "end of life" not in served.output.lower()
    # Our lines, not mkdocs-macros' inventory of its modules, variables and macros.
    assert "[macros]" not in served.output
    assert "Serving on http://127.0.0.1:" in served.output
    # The data folders are watched by the system's file events, the author told which (mkdocs names only its own).
    assert "Watching the playbook's data for changes as they are saved: 'framework', 'patterns', 'policies'" \
        in served.output


def test_serve_stopped_by_a_signal_lets_go_of_its_address(tmp_path: Path) -> None:
    """A process manager or an editor's stop button ends `playbook serve` with SIGTERM, to it alone (not its process
    group, as Ctrl-C does): nothing may go on serving."""
    root = assemble(SMALL, tmp_path / "pb")
    served = Served(root)
    try:
        assert _wait_for(served.url(""), "<html", 120), "the server did not come up"
        served.signal(signal.SIGTERM)
        served.process.wait(timeout=20)
        time.sleep(0.5)
        assert _fetch(served.url("")) is None, "something still serves the playbook"
    finally:
        served.stop()


class _Server:
    """What watch_natively needs of mkdocs' LiveReloadServer: its rebuild signal."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False


def test_a_save_in_a_watched_folder_asks_the_server_to_rebuild(tmp_path: Path) -> None:
    from playbook.site.serving import watch_natively

    server = _Server()
    folder = tmp_path / "patterns"
    (folder / "deeper").mkdir(parents=True)
    assert watch_natively(server, [str(folder)]) == []
    time.sleep(0.2)
    assert server._want_rebuild is False, "nothing was saved yet"
    # Saved as editors save: a new file renamed over the old one, one folder down.
    (folder / "deeper" / ".x.yml.tmp").write_text("title: x\n", encoding="utf-8")
    os.replace(folder / "deeper" / ".x.yml.tmp", folder / "deeper" / "x.yml")
    with server._rebuild_cond:
        assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=10)
    # A server without the signal polls every folder itself; a file is left to the server's polling too.
    assert watch_natively(object(), [str(folder)]) == [str(folder)]
    assert watch_natively(server, [str(folder / "deeper" / "x.yml")]) == [str(folder / "deeper" / "x.yml")]


SERVE_URL = "http://127.0.0.1:8000/"


FEED_DATE = re.compile(rb"(?<=<updated>)[^<]*(?=</updated>\n  <link rel=\"self\")")
"""The feed's own date: with no change in the history yet, it is the time of the build."""


def _site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site by path; the sitemap's gzip copy left out (its header holds the time)."""
    return {path.relative_to(site).as_posix(): FEED_DATE.sub(b"", path.read_bytes()) if path.name == "feed.xml"
            else path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file() and path.name != "sitemap.xml.gz"}


def _differences(served: Path, clean: Path) -> list[str]:
    served_files, clean_files = _site_files(served), _site_files(clean)
    found = [f"only served: {path}" for path in sorted(served_files.keys() - clean_files.keys())]
    found += [f"only built: {path}" for path in sorted(clean_files.keys() - served_files.keys())]
    for path in sorted(served_files.keys() & clean_files.keys()):
        if served_files[path] != clean_files[path]:
            old, new = clean_files[path].decode(errors="replace"), served_files[path].decode(errors="replace")
            at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
            found.append(f"{path}: built {old[max(at - 80, 0):at + 80]!r}, served {new[max(at - 80, 0):at + 80]!r}")
    return found


class DirtyServe:
    """A playbook rebuilt in this process as `mkdocs serve --dirty` rebuilds it after each save (the configuration
    loaded afresh, the plugin object kept), and built clean, in another process, to compare with."""

    def __init__(self, root: Path, work: Path) -> None:
        from mkdocs.config import load_config

        self.root, self.work, self.served = root, work, work / "served"
        # The clean build's configuration, at the served address; written first, so that serve sees it from the start.
        (root / "mkdocs-clean.yml").write_text(f"INHERIT: mkdocs.yml\nsite_url: {SERVE_URL}\n", encoding="utf-8")
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "start")
        self.config = load_config(str(root / "mkdocs.yml"), site_dir=str(self.served))
        self.config.plugins.on_startup(command="serve", dirty=True)

    def rebuild(self) -> None:
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config

        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.served))
        config.site_url = SERVE_URL
        mkdocs_build(config, serve_url=SERVE_URL, dirty=True)

    def same_as_a_clean_build(self, step: str) -> None:
        clean = self.work / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        result = warm.mkdocs("build", "-q", "-f", self.root / "mkdocs-clean.yml", "-d", clean, cwd=self.root,
                             env={"NO_MKDOCS_2_WARNING": "1"})
        assert result.returncode == 0, result.stderr
        differences = _differences(self.served, clean)
        assert not differences, f"after {step}:\n" + "\n".join(differences)


def test_a_dirty_rebuild_serves_what_a_clean_build_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After each save, the folder serve rebuilds with ``--dirty`` holds the same files, byte for byte, as a clean
    build of the same playbook: no page that shows an edited item is left as it was, and none is gone wrong."""
    root = assemble(SMALL, tmp_path / "pb")
    # A page of the playbook's own that shows mkdocs-macros' git variable, which serve reads again only after a commit.
    with (root / "docs" / "contributing.md").open("a", encoding="utf-8") as page:
        page.write("\nBuilt from commit {{ git.short_commit }}.\n")
    # A theme folder of the playbook's own, where the author may add a file while serve runs.
    _edit(root / "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    (root / "overrides" / "assets").mkdir(parents=True)
    (root / "overrides" / "assets" / "first.txt").write_text("first\n", encoding="utf-8")
    monkeypatch.chdir(root)  # where serve runs, and git with it
    serve = DirtyServe(root, tmp_path)
    serve.rebuild()
    serve.rebuild()
    serve.same_as_a_clean_build("a rebuild with nothing saved")
    patterns, policies = root / "patterns", root / "policies"
    _edit(patterns / "llm-gateway.yml", "title: LLM gateway", "title: Model gateway")
    serve.rebuild()
    serve.same_as_a_clean_build("a pattern's new title")
    _edit(policies / "pii-redaction.yml", "title: Redact personal data", "title: Mask personal data")
    _edit(patterns / "rag-search.yml", "summary: ", "summary: Edited. ")
    serve.rebuild()
    serve.same_as_a_clean_build("a policy's new title and a pattern's new summary")
    _edit(patterns / "llm-gateway.yml", "title: Model gateway", "titel: Model gateway")
    serve.rebuild()
    _edit(patterns / "llm-gateway.yml", "titel: Model gateway", "title: Gateway for models")
    (patterns / "direct-api.yml").unlink()
    serve.rebuild()
    serve.same_as_a_clean_build("a broken save, then a good one that also removed a pattern")
    _edit(root / "docs" / "standards.md", "\n", "\nA line the author added.\n")
    serve.rebuild()
    serve.same_as_a_clean_build("an edited hand-written page")
    _edit(root / "learnings" / "triage-missed-new-claim-types.yml", "title: ", "title: Learned, ")
    serve.rebuild()
    serve.same_as_a_clean_build("a learning's new title (the print page holds its page)")
    (root / "overrides" / "assets" / "second.txt").write_text("second\n", encoding="utf-8")
    serve.rebuild()
    serve.same_as_a_clean_build("a file added to the playbook's own theme folder")
    _git(root, "commit", "-q", "-am", "the edits")
    serve.rebuild()
    serve.same_as_a_clean_build("a commit")
    serve.config.plugins.on_shutdown()


def test_a_dirty_rebuild_of_a_dutch_playbook_with_material_s_search_is_a_clean_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for a playbook in another language that also runs Material's own search plugin: its index lists
    every page, the ones left as built too."""
    root = tmp_path / "pb"
    shutil.copytree(REPO / "tests" / "fixtures" / "site-nl", root)
    monkeypatch.chdir(root)
    serve = DirtyServe(root, tmp_path)
    serve.rebuild()
    serve.rebuild()
    serve.same_as_a_clean_build("a rebuild with nothing saved")
    _edit(root / "patterns" / "llm-gateway.yml", "title: LLM-gateway", "title: Modelpoort")
    serve.rebuild()
    serve.same_as_a_clean_build("a pattern's new title")
    _edit(root / "policies" / "persoonsgegevens-maskeren.yml", "title: Persoonsgegevens maskeren",
          "title: Persoonsgegevens afschermen")
    serve.rebuild()
    serve.same_as_a_clean_build("a policy's new title")
    serve.config.plugins.on_shutdown()


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                   capture_output=True)


def test_serve_asks_git_again_when_a_commit_branch_or_tag_moves_and_not_when_a_file_is_saved(tmp_path: Path) -> None:
    """Under serve the history and mkdocs-macros' ``git`` variable are read again only when the repository moved."""
    from playbook.site.serving import Remembered, RepositoryState

    root = tmp_path / "pb"
    (root / "patterns").mkdir(parents=True)
    item = root / "patterns" / "a.yml"
    item.write_text("id: a\n", encoding="utf-8")
    asked: list[Path] = []
    remembered = Remembered(RepositoryState(), lambda folder: asked.append(folder) or len(asked))
    assert [remembered(root), remembered(root)] == [1, 2], "outside a repository nothing is kept"
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "one")
    first = remembered(root)
    item.write_text("id: a\ntitle: saved, not committed\n", encoding="utf-8")
    _git(root, "branch", "side")
    assert remembered(root) == first, "a saved file, or a branch made and not checked out, moved nothing"
    steps = [("commit", "-q", "-am", "two"), ("tag", "v1"), ("tag", "-a", "v2", "-m", "two"),
             ("checkout", "-q", "side"), ("commit", "-q", "--allow-empty", "-m", "three"), ("checkout", "-q", "main"),
             ("reset", "-q", "--hard", "HEAD~1"), ("tag", "-d", "v1")]
    for step in steps:
        before = remembered(root)
        if step[0] == "tag" and step[1] == "-d":
            _git(root, "pack-refs", "--all")  # the tag to delete is now in packed-refs, not a file of its own
            before = remembered(root)
        _git(root, *step)
        assert remembered(root) != before, f"git {' '.join(step)} was not noticed"
        assert remembered(root) == remembered(root), f"after git {' '.join(step)} the answer is not kept"


def test_serve_makes_a_generated_page_again_only_from_what_changed(tmp_path: Path) -> None:
    """Serve's memory of the generated pages' Markdown gives what a fresh render gives: for the same playbook (the
    same text, not made again), for an edited item, and in another language."""
    from playbook.data.load import ReadFiles
    from playbook.i18n import Messages
    from playbook.site.generated import each_generated_page
    from playbook.site.text import PageMemo

    root = assemble(SMALL, tmp_path / "pb")
    read, memo = ReadFiles(), PageMemo()

    def pages(messages: Messages, with_memo: bool) -> dict[str, str]:
        from playbook.check.validate import check

        playbook = check(root, read=read)[0]
        return {uri: text for uri, text, _ in each_generated_page(playbook, messages, memo=memo if with_memo else None)}

    english = Messages("en")
    first = pages(english, True)
    again = pages(english, True)
    assert again == first == pages(english, False)
    assert all(again[uri] is first[uri] for uri in first if uri.startswith(("patterns/", "policies/"))), \
        "an unchanged page was rendered again"
    _edit(root / "patterns" / "llm-gateway.yml", "title: LLM gateway", "title: Model gateway")
    edited = pages(english, True)
    assert edited == pages(english, False)
    assert "Model gateway" in edited["patterns/llm-gateway.md"] and "Model gateway" in edited["patterns/direct-api.md"]
    assert pages(Messages("nl"), True) == pages(Messages("nl"), False) != edited


def test_serve_reuses_a_page_s_compiled_macros_only_under_the_same_jinja_settings() -> None:
    """mkdocs-macros makes a new Jinja environment each build; serve gives it the code of a page it compiled before,
    but not to an environment whose delimiters (mkdocs-macros' j2_* options) make the same text another template."""
    from jinja2 import Environment

    from playbook.site.serving import CompiledPages

    compiled = CompiledPages()
    page = "{{ greeting }} [[ greeting ]]"
    first = Environment()
    compiled.install(first)
    assert first.from_string(page).render(greeting="hi") == "hi [[ greeting ]]"
    second = Environment()
    compiled.install(second)
    code = second.compile(page)
    assert code is first.compile(page), "the same page under the same settings was compiled again"
    assert second.from_string(page).render(greeting="hello") == "hello [[ greeting ]]"
    other = Environment(variable_start_string="[[", variable_end_string="]]")
    compiled.install(other)
    assert other.from_string(page).render(greeting="hey") == "{{ greeting }} hey"
