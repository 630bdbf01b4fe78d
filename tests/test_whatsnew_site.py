"""What a reader gets from the playbook's history: the what's new page, the Atom feed, each item's history line
and the catalog's marks, built from scratch repositories with dated commits (tests/gitstory.py)."""

from __future__ import annotations

import datetime as dt
import posixpath
import shutil
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup, Tag

import warm
from gitstory import Story, commit, copy_item, git, needs_git, three_commits
from pagetext import read_page
from playbook.history.log import Missing
from sitebuild import REPO, Initialised, assemble, build

pytestmark = pytest.mark.skipif(not needs_git, reason="git is not installed")

BUILD_DAY = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)
"""The day the story's sites are built (SOURCE_DATE_EPOCH): the marks count back from it."""
GITHUB = "https://github.com/acme/playbook"


def built_site(root: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(BUILD_DAY.timestamp())))
        result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return three_commits(tmp_path_factory.mktemp("site") / "playbook")


@pytest.fixture(scope="module")
def site(story: Story) -> Path:
    return built_site(story.root)


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(element: Tag | None) -> str:
    assert element is not None
    return " ".join(element.get_text().split())


def headings(page: BeautifulSoup) -> list[str]:
    """The release headings of the page's content, without their permalinks."""
    found = []
    for heading in page.select("article h2"):
        for permalink in heading.select("a.headerlink"):
            permalink.decompose()
        found.append(text(heading))
    return found


def resolves(site: Path, page: str, href: str) -> bool:
    """True when a relative link on ``page`` leads to a file of the built site."""
    target = posixpath.normpath(posixpath.join(page, href.split("#")[0]))
    path = site / target
    return (path / "index.html").is_file() if href.endswith("/") else path.is_file()


def test_whats_new_lists_each_change_of_the_story_newest_first(site: Path, story: Story) -> None:
    page = soup(site, "whats-new")

    releases = page.select("[data-playbook-release]")
    assert [r["data-playbook-release"] for r in releases] == ["2026-11", "2026-10", "2026-09"]
    assert headings(page) == ["November 2026", "October 2026", "September 2026"]
    changes = [(li["data-playbook-change"], li.get("data-playbook-item"), li.time["datetime"])
               for li in page.select("li[data-playbook-change]")]
    assert changes == [
        ("framework", None, "2026-11-02"),
        ("moved", "pattern:permissioned-data-access", "2026-11-02"),
        ("added", "policy:prompt-retention", "2026-10-20"),
        ("moved", "pattern:agent-guardrails", "2026-10-15"),
    ]
    adopted = page.select_one('li[data-playbook-item="pattern:agent-guardrails"]')
    assert text(adopted) == "2026-10-15 Adopted Pattern Guardrails for AI agents that use tools (Trial → Adopted)"
    deprecated = page.select_one('li[data-playbook-item="pattern:permissioned-data-access"]')
    assert "Use Retrieval over permissioned data instead." in text(deprecated)
    framework = page.select_one('li[data-playbook-change="framework"]')
    assert "Threshold automated-spend-1000: when[0].at_least: 1000 → 500" in text(framework)
    moved = framework.select_one('[data-playbook-moved="refund-approvals"]')
    assert text(moved) == (
        "Approving small refunds: Standard, Self-service assessment → Elevated, Self-service assessment")
    assert "History starts on 2026-09-01" in text(page.select_one("[data-playbook-started]"))
    assert page.select("[data-playbook-history-note]") == []


def test_every_entry_links_to_its_page_and_to_the_change(site: Path, story: Story) -> None:
    page = soup(site, "whats-new")
    commits = {story.adopted: "2026-10-15", story.policy: "2026-10-20", story.lowered: "2026-11-02"}

    for li in page.select("li[data-playbook-change]"):
        commit = li.select_one("a[data-playbook-commit]")
        assert commit is not None and commit["href"].startswith(f"{GITHUB}/commit/")
        assert commits[commit["href"].rsplit("/", 1)[1]] == li.time["datetime"]
        item = [a for a in li.find_all("a", recursive=False) if a is not commit][0]
        assert resolves(site, "whats-new/", item["href"]), item["href"]
    adopted = page.select_one('li[data-playbook-item="pattern:agent-guardrails"] a:not([data-playbook-commit])')
    assert adopted["href"] == "../patterns/agent-guardrails/"
    moved = page.select_one('[data-playbook-moved="refund-approvals"] a')
    assert resolves(site, "whats-new/", moved["href"])


def test_each_item_page_tells_its_history(site: Path, story: Story) -> None:
    lines = {
        "patterns/agent-guardrails": ("Adopted on 2026-10-15 (trial since 2026-09-01) (the change)", [story.adopted]),
        "patterns/permissioned-data-access": ("Deprecated on 2026-11-02 (adopted since 2026-09-01) (the change)",
                                              [story.lowered]),
        "policies/prompt-retention": ("Added on 2026-10-20 (the change)", [story.policy]),
        "patterns/llm-gateway": ("In the playbook since 2026-09-01", []),
    }
    for page, (line, commits) in lines.items():
        history = soup(site, page).select_one("[data-playbook-history]")
        assert text(history) == line, page
        assert [a["href"] for a in history.select("a[data-playbook-commit]")] == [
            f"{GITHUB}/commit/{c}" for c in commits]


def test_the_catalog_and_the_policy_index_mark_what_is_new_or_updated(site: Path) -> None:
    def marks(page: str) -> dict[str, str]:
        """The mark of each marked row, by the item its first cell links to."""
        found = {}
        for mark in soup(site, page).select("[data-playbook-mark]"):
            link = mark.find_parent("td").find("a")
            found[link["href"].rstrip("/").rsplit("/", 1)[-1]] = mark["data-playbook-mark"]
        return found

    assert marks("standards") == {"agent-guardrails": "updated", "permissioned-data-access": "updated"}
    assert marks("policies") == {"prompt-retention": "new"}
    new = soup(site, "policies").select_one("[data-playbook-mark]")
    assert text(new) == "New" and new["title"] == "Added in the last 90 days"


def test_the_feed_is_valid_atom_with_an_entry_per_change(site: Path, story: Story) -> None:
    raw = (site / "feed.xml").read_bytes()
    feed = feedparser.parse(raw)

    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id.startswith("urn:uuid:")
    assert feed.feed.title == "AI Governance Playbook: what's new"
    assert feed.feed.updated == "2026-11-02T10:00:00+00:00"
    assert feed.feed.author == "AI Governance Playbook"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": "feed.xml", "alternate": "whats-new/"}
    assert [(e.title, e.updated[:10]) for e in feed.entries] == [
        ("Thresholds changed: Risk tiers and thresholds", "2026-11-02"),
        ("Deprecated: Permission-aware data access layer (Pattern)", "2026-11-02"),
        ("New: Keep prompts no longer than needed (Policy)", "2026-10-20"),
        ("Adopted: Guardrails for AI agents that use tools (Pattern)", "2026-10-15"),
    ]
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:") and entry.summary
        alternate = [link.href for link in entry.links if link.rel == "alternate"]
        assert len(alternate) == 1 and resolves(site, "", alternate[0]), alternate
        assert [link.href for link in entry.links if link.rel == "related"][0].startswith(f"{GITHUB}/commit/")
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    assert "Approving small refunds: Standard, Self-service assessment → Elevated" in feed.entries[0].summary


def test_feed_ids_stay_the_same_from_build_to_build(site: Path, story: Story, tmp_path: Path) -> None:
    again = tmp_path / "again"
    shutil.copytree(story.root, again, ignore=shutil.ignore_patterns("site", ".cache"))
    ids = [entry.id for entry in feedparser.parse((built_site(again) / "feed.xml").read_bytes()).entries]
    assert ids == [entry.id for entry in feedparser.parse((site / "feed.xml").read_bytes()).entries]


def test_every_page_names_the_feed(site: Path) -> None:
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 50
    for page in pages:
        links = read_page(page).cssselect('head link[rel="alternate"][type="application/atom+xml"]')
        assert len(links) == 1, page
        here = page.parent.relative_to(site).as_posix()
        assert posixpath.normpath(posixpath.join(here, links[0].get("href"))) == "feed.xml", page


def test_a_site_built_without_git_says_what_it_cannot_see(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    site = built_site(assemble(REPO / "tests" / "fixtures" / "valid" / "small", tmp_path / "copy"))

    note = soup(site, "whats-new").select_one("[data-playbook-history-note]")
    assert note["data-playbook-history-note"] == "not-a-repository"
    assert "was not in a git repository" in text(note)
    assert soup(site, "whats-new").select("[data-playbook-release]") == []
    assert soup(site, "patterns/llm-gateway").select("[data-playbook-history]") == []
    assert soup(site, "standards").select("[data-playbook-mark]") == []
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.version == "atom10" and feed.entries == [] and feed.feed.updated


def test_a_shallow_clone_shows_history_from_where_it_was_cut(story: Story, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{story.root}", str(clone))
    site = built_site(clone)

    page = soup(site, "whats-new")
    note = page.select_one("[data-playbook-history-note]")
    assert note["data-playbook-history-note"] == "shallow"
    assert "history here starts on 2026-10-20" in text(note) and "fetch-depth: 0" in text(note)
    assert [li.get("data-playbook-item") for li in page.select("li[data-playbook-change]")] == [
        None, "pattern:permissioned-data-access"]
    assert text(soup(site, "patterns/permissioned-data-access").select_one("[data-playbook-history]")) == (
        "Deprecated on 2026-11-02 (before: adopted) (the change)")
    assert text(soup(site, "patterns/agent-guardrails").select_one("[data-playbook-history]")) == (
        "In the playbook since 2026-10-20 or earlier")


@pytest.fixture(scope="module")
def dutch_gitlab(tmp_path_factory: pytest.TempPathFactory) -> tuple[Story, Path]:
    """The story in Dutch, kept on GitLab: one site for the two tests of what differs from the default."""
    story = three_commits(tmp_path_factory.mktemp("nl-gitlab") / "playbook", language="nl",
                          repo_url="https://gitlab.example.com/ai/playbook")
    return story, built_site(story.root)


def test_history_speaks_the_sites_language(dutch_gitlab: tuple[Story, Path]) -> None:
    _story, site = dutch_gitlab

    page = soup(site, "whats-new")
    assert headings(page) == ["november 2026", "oktober 2026", "september 2026"]
    assert text(page.select_one('li[data-playbook-item="policy:prompt-retention"]')).startswith(
        "2026-10-20 Nieuw Beleidsregel")
    assert text(soup(site, "patterns/agent-guardrails").select_one("[data-playbook-history]")) == (
        "Vastgesteld op 2026-10-15 (in proef sinds 2026-09-01) (de wijziging)")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.feed.language == "nl" and feed.entries[-1].title == (
        "Vastgesteld: Guardrails for AI agents that use tools (Patroon)")


def test_a_gitlab_repository_links_to_its_commits(dutch_gitlab: tuple[Story, Path]) -> None:
    story, site = dutch_gitlab

    history = soup(site, "patterns/agent-guardrails").select_one("[data-playbook-history] a")
    assert history["href"] == f"https://gitlab.example.com/ai/playbook/-/commit/{story.adopted}"


@pytest.mark.parametrize(("repo_url", "edit_uri", "expected"), [
    ("https://github.com/acme/playbook", "edit/main/", "https://github.com/acme/playbook/commit/abc"),
    ("https://github.com/acme/playbook.git/", None, "https://github.com/acme/playbook/commit/abc"),
    ("https://gitlab.com/acme/playbook", None, "https://gitlab.com/acme/playbook/-/commit/abc"),
    ("https://git.example.com/acme/playbook", "-/edit/main/", "https://git.example.com/acme/playbook/-/commit/abc"),
    ("https://bitbucket.org/acme/playbook", None, "https://bitbucket.org/acme/playbook/commits/abc"),
    ("https://git.example.com/acme/playbook", "edit/main/", "https://git.example.com/acme/playbook/commit/abc"),
    (None, None, None),
    ("", "edit/main/", None),
    ("javascript:alert(1)", None, None),
])
def test_a_commit_links_to_its_page_on_the_repository_host(repo_url: str | None, edit_uri: str | None,
                                                           expected: str | None) -> None:
    from playbook.site.pages.whatsnew import commit_links

    assert commit_links(repo_url, edit_uri)("abc") == expected


def test_a_new_playbook_has_whats_new_working_from_its_first_commits(
        initialised: Callable[[str], Initialised], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gitstory import commit, edit

    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    # `playbook init --language de` and its first build, before any commit (test_init reads the same site).
    made = initialised("de")
    assert "git init && git add . && git commit" in made.output
    root = tmp_path / "our-playbook"
    shutil.copytree(made.root, root, symlinks=True)

    # Before its first commit, the page says what to do, in the site's language.
    note = soup(root / "site", "whats-new").select_one("[data-playbook-history-note]")
    assert note["data-playbook-history-note"] == "not-a-repository" and "git init" in text(note)
    assert "Committen Sie es" in text(note)

    git(root, "init", "-q")
    commit(root, "Start the playbook", "2026-10-01")
    edit(root / "patterns" / "agent-guardrails.yml", "status: trial", "status: adopted")
    adopted = commit(root, "Adopt agent guardrails", "2026-10-30")
    site = built_site(root)

    page = soup(site, "whats-new")
    assert page.select("[data-playbook-history-note]") == []
    assert [li.get("data-playbook-item") for li in page.select("li[data-playbook-change]")] == [
        "pattern:agent-guardrails"]
    assert text(soup(site, "patterns/agent-guardrails").select_one("[data-playbook-history]")) == (
        "Freigegeben am 2026-10-30 (in Erprobung seit 2026-10-01)")
    assert [e.title for e in feedparser.parse((site / "feed.xml").read_bytes()).entries] == [
        "Freigegeben: Guardrails for AI agents that use tools (Muster)"]
    assert adopted  # the new repository has no repo_url yet: no link to the change, and none is made up
    assert soup(site, "patterns/agent-guardrails").select("[data-playbook-commit]") == []
    # The cache stays out of the repository and out of the site.
    assert (root / ".cache" / "playbook" / "history.json").is_file()
    assert git(root, "status", "--porcelain", "--ignored", ".cache") == "!! .cache/"
    assert not list(site.rglob("history.json"))


def test_the_workflows_init_writes_fetch_the_whole_history(tmp_path: Path) -> None:
    from playbook.authoring.init import plan

    files = plan("en")
    github = yaml.safe_load(files[".github/workflows/playbook.yml"])
    checkout = [s for job in github["jobs"].values() for s in job["steps"]
                if s.get("uses", "").startswith("actions/checkout")]
    assert checkout and all(step["with"]["fetch-depth"] == 0 for step in checkout)
    gitlab = yaml.safe_load(files[".gitlab-ci.yml"])
    assert gitlab["variables"]["GIT_DEPTH"] == "0"
    assert any("install" in line and " git" in line for line in gitlab["before_script"])
    assert ".cache/playbook" in gitlab["cache"]["paths"]
    shipped = yaml.safe_load((REPO / ".github" / "workflows" / "playbook.yml").read_text(encoding="utf-8"))
    assert [s["with"]["fetch-depth"] for job in shipped["jobs"].values() for s in job["steps"]
            if s.get("uses", "").startswith("actions/checkout")] == [0]


@pytest.mark.parametrize("language", ["en", "nl", "de", "fr"])
@pytest.mark.parametrize("missing", list(Missing))
def test_each_reason_history_is_missing_is_said_in_each_language(language: str, missing: Missing) -> None:
    from playbook.data.model.playbook import Playbook
    from playbook.history.timeline import History
    from playbook.i18n import Messages
    from playbook.site.pages.whatsnew import Links, whats_new_page

    m = Messages(language)
    page = BeautifulSoup(whats_new_page(History(missing=missing), Playbook(root=Path(".")), m,
                                        Links(lambda _src: None, lambda _commit: None), feed="../feed.xml"),
                         "html.parser")
    note = page.select_one("[data-playbook-history-note]")
    assert note is not None and note["data-playbook-history-note"] == missing.value
    assert text(note).endswith(m(f"whatsnew.missing.{missing.value}"))
    assert page.select_one("a[data-playbook-feed]")["href"] == "../feed.xml"


def test_a_new_learning_is_in_whats_new_and_the_feed_on_every_pipeline(tmp_path: Path) -> None:
    """A learning committed after the start shows as new, linked to its page, and its page says when it was added, in
    the plugin's site and in the tree
    ``playbook generate`` writes for engines without the plugin (here built by plain mkdocs)."""
    story = three_commits(tmp_path / "playbook")
    copy_item(story.root, "learnings", "routing-model-drift", "drift-after-launch", **{
        "title: The case-routing model drifted when a new product line launched": "title: Drift after a launch"})
    commit(story.root, "A learning", "2026-11-06")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(BUILD_DAY.timestamp())))
        plugin_site = built_site(story.root)
        tree = tmp_path / "tree"
        generated = warm.playbook("generate", "--root", str(story.root), str(tree), cwd=Path.cwd())
        assert generated.returncode == 0, generated.stderr
        plain = warm.mkdocs("build", "--strict", "-q", "-f", tree / "mkdocs.yml", "-d", tmp_path / "plain",
                            cwd=Path.cwd())
        assert plain.returncode == 0, plain.stderr
    for site in (plugin_site, tmp_path / "plain"):
        item = soup(site, "whats-new").select_one('li[data-playbook-item="learning:drift-after-launch"]')
        assert item is not None and item["data-playbook-change"] == "added"
        assert item.time["datetime"] == "2026-11-06" and "Drift after a launch" in text(item)
        link = [a for a in item.find_all("a") if not a.has_attr("data-playbook-commit")][0]
        assert link["href"] == "../learnings/drift-after-launch/" and resolves(site, "whats-new/", link["href"])
        feed = feedparser.parse((site / "feed.xml").read_bytes())
        assert not feed.bozo and feed.entries[0].title == "New: Drift after a launch (Learning)"
        # The learning's own page says when it came, as a pattern's page does.
        history = soup(site, "learnings/drift-after-launch").select_one("[data-playbook-history]")
        assert text(history) == "Added on 2026-11-06 (the change)"
        change = item.select_one("a[data-playbook-commit]")["href"]
        assert history.select_one("a[data-playbook-commit]")["href"] == change
