"""Proposing in one click, in Chromium: "Report a learning", "Propose a pattern" and "Register this use case"
open the repository's new-file editor with the file filled in. The test follows each link as GitHub would
read it (the filename and value in its address), saves the file into a copy of the playbook, and
`playbook check --strict` accepts it. Ids and teams are refused as they are typed, with the catalog's words."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from playbook.check.validate import check
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.pages.propose import URL_LIMIT
from sitebuild import REPO, assemble, build, once_per_run

from .conftest import _served
from .pages import Site

pytestmark = pytest.mark.browser

GITHUB = "https://github.com/example-org/ai-playbook"
THEME_REPO_FACTS = "https://api.github.com/"
"""mkdocs-material asks GitHub's API for the stars and forks of a github.com ``repo_url`` from every page; the
test answers nothing there (routed away), and any other request off 127.0.0.1 fails it."""
EN = Messages("en")


@pytest.fixture(scope="module")
def github_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Playbook]]:
    """The repository's playbook with its repo_url on GitHub, built and served on 127.0.0.1."""
    def make(folder: Path) -> Path:
        # Built once a run for every worker; each serves it.
        root = assemble(REPO, folder)
        config = root / "mkdocs.yml"
        config.write_text(re.sub(r"(?m)^repo_url: .*$", f"repo_url: {GITHUB}", config.read_text(encoding="utf-8")),
                          encoding="utf-8")
        result = build(root)
        assert result.returncode == 0, result.stdout + result.stderr
        return root

    root = once_per_run(tmp_path_factory, "propose-github", make)
    playbook, _problems, _count = check(root)
    with _served(root) as site:
        yield site, playbook


@pytest.fixture
def gpage(browser: Browser, github_site: tuple[Site, Playbook]) -> Iterator[Page]:
    """A page of the GitHub site at 1280 px that fails the test on a script error or a request off 127.0.0.1."""
    site = github_site[0]
    host = urlsplit(site.base).netloc
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", accept_downloads=True)
    context.set_default_timeout(10_000)
    context.route(f"{THEME_REPO_FACTS}**", lambda route: route.abort())
    problems: list[str] = []

    def on_request(request: Request) -> None:
        url = urlsplit(request.url)
        if url.scheme not in ("data", "blob") and url.netloc != host and not request.url.startswith(THEME_REPO_FACTS):
            problems.append(f"request off 127.0.0.1: {request.url}")

    context.on("request", on_request)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    page.on("console", lambda message: problems.append(f"console error: {message.text}")
            if message.type == "error" and THEME_REPO_FACTS not in message.text
            and "ERR_FAILED" not in message.text else None)
    try:
        yield page
        assert problems == []
    finally:
        context.close()


def followed(page: Page, form: str) -> tuple[str, str, str]:
    """The link's folder on GitHub, and the file name and text its address carries, as GitHub reads them."""
    link = page.locator(f"[data-playbook-propose-form={form}] a[data-playbook-propose]")
    expect(link).to_be_visible()
    url = urlsplit(link.get_attribute("href") or "")
    assert len(link.get_attribute("href") or "") <= URL_LIMIT
    query = parse_qs(url.query, keep_blank_values=True, strict_parsing=True)
    assert sorted(query) == ["filename", "value"]
    return f"{url.scheme}://{url.netloc}{url.path}", query["filename"][0], query["value"][0]


def saved_and_checked(site: Site, folder: str, filename: str, text: str, tmp_path: Path) -> Playbook:
    """The file saved where the link puts it in a copy of the playbook; `playbook check --strict` must pass."""
    root = assemble(REPO, tmp_path / "playbook")
    target = root / folder / filename
    assert not target.exists()
    target.write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "playbook", "check", "--strict", "--root", str(root)],
                            capture_output=True, text=True)
    assert result.returncode == 0, text + result.stdout + result.stderr
    assert result.stdout.startswith("0 errors, 0 warnings"), result.stdout
    playbook, _problems, _count = check(root)
    return playbook


def test_report_a_learning_opens_github_with_a_file_playbook_check_accepts(
        gpage: Page, github_site: tuple[Site, Playbook], tmp_path: Path, screenshots: Path) -> None:
    site, playbook = github_site
    gpage.goto(site.url("learnings/"))
    form = gpage.locator("[data-playbook-propose-form=learning]")
    expect(form).to_have_attribute("data-bound", "yes")
    form.locator("input[name=id]").fill("gateway-timeouts-at-month-end")
    form.locator("input[name=title]").fill('Gateway timeouts: "quoted", #hashed & ünïcode')
    team = list(playbook.pilots)[1]
    form.locator("select[name=team]").select_option(team)
    form.locator("select[name=status]").select_option("addressed")
    happened = "  Indented first line.\n\n- key: value # not a comment\n- {{ config }} <b>bold</b>"
    form.locator("textarea[name=what_happened]").fill(happened)
    form.locator("textarea[name=impact]").fill("Replies were late.")
    form.locator("input[name=patterns][value=llm-gateway]").check()
    form.locator("input[name=policies][value=incident-reporting]").check()
    case = next(iter(playbook.usecases))
    form.locator("input[name=usecases]").fill(case)
    form.locator("button[type=submit]").click()
    # An addressed learning says what changed: refused until it does.
    expect(form.locator("[data-playbook-propose-note]")).to_have_text(EN("js.propose.changed"))
    expect(form.locator("textarea[name=what_changed]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("a[data-playbook-propose]")).to_be_hidden()
    form.locator("textarea[name=what_changed]").fill("The gateway retries once before it gives up.")
    form.locator("button[type=submit]").click()
    expect(form).to_have_attribute("data-ready", "yes")
    expect(form.locator("[data-playbook-propose-note]")).to_have_text(
        EN("js.propose.ready.link", path="learnings/gateway-timeouts-at-month-end.yml", host="GitHub"))
    gpage.screenshot(path=str(screenshots / "propose-learning-1280.png"), full_page=True)

    folder, filename, text = followed(gpage, "learning")
    assert (folder, filename) == (f"{GITHUB}/new/main/learnings", "gateway-timeouts-at-month-end.yml")
    assert text == form.locator("[data-playbook-propose-file]").input_value()
    saved = saved_and_checked(site, "learnings", filename, text, tmp_path).learnings["gateway-timeouts-at-month-end"]
    assert (saved.title, saved.team, saved.status.value) == ('Gateway timeouts: "quoted", #hashed & ünïcode', team,
                                                             "addressed")
    assert saved.what_happened == happened.strip()
    assert (saved.patterns, saved.policies, saved.usecases) == (["llm-gateway"], ["incident-reporting"], [case])


def test_propose_a_pattern_opens_github_with_a_proposed_pattern_playbook_check_accepts(
        gpage: Page, github_site: tuple[Site, Playbook], tmp_path: Path) -> None:
    site, playbook = github_site
    gpage.goto(site.url("contributing/"))
    form = gpage.locator("[data-playbook-propose-form=pattern]")
    expect(form).to_have_attribute("data-bound", "yes")
    form.locator("input[name=id]").fill("meeting-summaries")
    form.locator("input[name=title]").fill("Meeting summaries")
    form.locator("textarea[name=summary]").fill("Summarise recorded internal meetings: notes and actions.")
    form.locator("input[name=category]").fill(next(iter(playbook.patterns.values())).category)
    form.locator("input[name=owner]").fill("Workplace tools team")
    tiers = [t.id for t in playbook.tiers]
    form.locator(f"input[name=tiers][value={tiers[1]}]").check()
    form.locator("select[name=control_kind]").select_option("data-access")
    form.locator("input[name=control_text]").fill("Recordings are read through the gateway, redacted.")
    form.locator("textarea[name=when_to_use]").fill("Internal meetings.\n\nTeam stand-ups.")
    form.locator("textarea[name=when_not_to_use]").fill("Meetings with customers: yes, really.")
    form.locator("textarea[name=how_it_works]").fill("1. Record.\n2. Summarise.\n\n```\ncode: {x}\n```")
    form.locator("button[type=submit]").click()
    expect(form).to_have_attribute("data-ready", "yes")
    folder, filename, text = followed(gpage, "pattern")
    assert (folder, filename) == (f"{GITHUB}/new/main/patterns", "meeting-summaries.yml")
    saved = saved_and_checked(site, "patterns", filename, text, tmp_path).patterns["meeting-summaries"]
    assert (saved.status.value, saved.tiers, saved.owner) == ("proposed", tiers[:2], "Workplace tools team")
    assert saved.when_to_use == ["Internal meetings.", "Team stand-ups."]
    assert [(c.kind.value, c.text) for c in saved.controls] == [
        ("data-access", "Recordings are read through the gateway, redacted.")]


def test_register_this_use_case_opens_github_with_a_file_playbook_check_accepts(
        gpage: Page, github_site: tuple[Site, Playbook], tmp_path: Path) -> None:
    site, playbook = github_site
    assert playbook.risk_tiers is not None
    example = max(playbook.risk_tiers.examples, key=lambda e: len(e.patterns))
    gpage.goto(site.url("assessment/"))
    gpage.select_option(".pb-example", example.id)
    expect(gpage.locator(".pb-result")).to_have_attribute("data-complete", "yes")
    form = gpage.locator("[data-playbook-propose-form=usecase]")
    form.locator("input[name=id]").fill("meeting-notes-bot")
    form.locator("input[name=title]").fill("Meeting notes bot")
    form.locator("select[name=team]").select_option(list(playbook.pilots)[0])
    form.locator("input[name=owner]").fill("Workplace tools: Ana")
    form.locator("textarea[name=description]").fill("Summarises meetings.\n\n- with *Markdown*")
    form.locator("button[type=submit]").click()
    expect(form).to_have_attribute("data-ready", "yes")
    folder, filename, text = followed(gpage, "usecase")
    assert (folder, filename) == (f"{GITHUB}/new/main/usecases", "meeting-notes-bot.yml")
    saved = saved_and_checked(site, "usecases", filename, text, tmp_path).usecases["meeting-notes-bot"]
    assert saved.tier == example.expected_tier
    assert sorted(saved.patterns) == sorted(example.patterns)


@pytest.mark.parametrize("form, path", [("learning", "learnings/"), ("pattern", "contributing/"),
                                        ("usecase", "assessment/")])
def test_a_taken_reserved_or_malformed_id_is_refused_as_it_is_typed(
        gpage: Page, github_site: tuple[Site, Playbook], form: str, path: str) -> None:
    site, playbook = github_site
    taken, folder, page_of = {
        "learning": (next(iter(playbook.learnings)), "learnings", "learnings/index.md"),
        "pattern": (next(iter(playbook.patterns)), "patterns", "patterns/index.md"),
        "usecase": (next(iter(playbook.usecases)), "usecases", "usecases/index.md"),
    }[form]
    gpage.goto(site.url(path))
    root = gpage.locator(f"[data-playbook-propose-form={form}]")
    expect(root).to_have_attribute("data-bound", "yes")
    field, note = root.locator("input[name=id]"), root.locator("[data-playbook-propose-id-note]")
    for typed, said in [
        (taken, EN("js.propose.id.taken", path=f"{folder}/{taken}.yml")),
        ("index", EN("js.propose.id.reserved", id="index", page=page_of)),
        ("Not An Id", EN("js.propose.id.bad", id="Not An Id", min=2, max=64)),
        ("a", EN("js.propose.id.bad", id="a", min=2, max=64)),
    ]:
        field.fill(typed)
        expect(note).to_have_text(said)
        expect(field).to_have_attribute("aria-invalid", "true")
    field.fill("a-new-one")
    expect(note).to_have_text("")
    expect(field).not_to_have_attribute("aria-invalid", "true")
    root.locator("button[type=submit]").click()
    expect(root.locator("a[data-playbook-propose]")).to_be_hidden()


def test_a_learning_needs_a_team_and_a_registered_use_case(gpage: Page, github_site: tuple[Site, Playbook]) -> None:
    site, _playbook = github_site
    gpage.goto(site.url("learnings/"))
    form = gpage.locator("[data-playbook-propose-form=learning]")
    form.locator("input[name=id]").fill("no-team-yet")
    form.locator("input[name=title]").fill("No team yet")
    form.locator("textarea[name=what_happened]").fill("Something.")
    form.locator("textarea[name=impact]").fill("Nothing.")
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-playbook-propose-note]")).to_have_text(EN("js.propose.team"))
    expect(form.locator("select[name=team]")).to_be_focused()
    form.locator("select[name=team]").select_option(index=1)
    form.locator("input[name=usecases]").fill("no-such-use-case")
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-playbook-propose-note]")).to_have_text(EN("js.propose.usecase", id="no-such-use-case"))
    expect(form.locator("a[data-playbook-propose]")).to_be_hidden()


def test_a_file_too_long_for_a_link_is_offered_as_a_download(gpage: Page, github_site: tuple[Site, Playbook]) -> None:
    site, _playbook = github_site
    gpage.goto(site.url("learnings/"))
    form = gpage.locator("[data-playbook-propose-form=learning]")
    form.locator("input[name=id]").fill("a-long-story")
    form.locator("input[name=title]").fill("A long story")
    form.locator("select[name=team]").select_option(index=1)
    form.locator("textarea[name=what_happened]").fill("Words, and more words. " * 400)
    form.locator("textarea[name=impact]").fill("Long.")
    form.locator("button[type=submit]").click()
    expect(form).to_have_attribute("data-ready", "yes")
    expect(form.locator("a[data-playbook-propose]")).to_be_hidden()
    note = form.locator("[data-playbook-propose-note]").text_content() or ""
    length = int(re.search(r"\((\d+) characters", note).group(1))  # type: ignore[union-attr]
    assert length > URL_LIMIT
    assert note == EN("js.propose.too_long", path="learnings/a-long-story.yml", host="GitHub", length=length,
                      limit=URL_LIMIT)
    with gpage.expect_download() as download:
        form.locator("[data-playbook-propose-download]").click()
    assert download.value.suggested_filename == "a-long-story.yml"
    assert Path(download.value.path()).read_text(encoding="utf-8") == form.locator(
        "[data-playbook-propose-file]").input_value()


def test_a_patterns_page_opens_the_form_with_that_pattern_ticked(
        gpage: Page, github_site: tuple[Site, Playbook]) -> None:
    site, _playbook = github_site
    gpage.goto(site.url("patterns/pii-redaction/"))
    gpage.locator("article a", has_text="Report a learning about this pattern").click()
    gpage.wait_for_url("**/learnings/?pattern=pii-redaction#report-a-learning")
    form = gpage.locator("[data-playbook-propose-form=learning]")
    expect(form).to_have_attribute("data-bound", "yes")
    assert form.locator("input[name=patterns]:checked").evaluate_all("boxes => boxes.map(b => b.value)") == [
        "pii-redaction"]


def test_where_the_repository_is_not_on_github_the_file_is_downloaded_and_its_place_said(
        page: Page, site: Site) -> None:
    """The shipped playbook's repo_url is on a host whose editor the engine does not know."""
    page.goto(site.url("learnings/"))
    form = page.locator("[data-playbook-propose-form=learning]")
    expect(form).to_have_attribute("data-bound", "yes")
    assert form.locator("a[data-playbook-propose]").count() == 0
    form.locator("input[name=id]").fill("downloaded-learning")
    form.locator("input[name=title]").fill("Downloaded")
    form.locator("select[name=team]").select_option(index=1)
    form.locator("textarea[name=what_happened]").fill("It happened.")
    form.locator("textarea[name=impact]").fill("Some.")
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-playbook-propose-note]")).to_have_text(
        EN("js.propose.ready.download", path="learnings/downloaded-learning.yml"))
    with page.expect_download() as download:
        form.locator("[data-playbook-propose-download]").click()
    assert download.value.suggested_filename == "downloaded-learning.yml"


GITLAB = "https://gitlab.example.com/ai/playbook"


def test_on_gitlab_the_link_opens_its_new_file_page_with_name_and_content(
        browser: Browser, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    """GitLab's new-file page takes the file's name (file_name) and, on the server, its text (content); its
    editor may still open empty (gitlab-org/gitlab#594214), so the note says to paste the file shown."""
    root = assemble(REPO / "tests" / "fixtures" / "valid" / "small", tmp_path_factory.mktemp("propose-gitlab"))
    config = root / "mkdocs.yml"
    text = re.sub(r"(?m)^repo_url: .*$", f"repo_url: {GITLAB}", config.read_text(encoding="utf-8"))
    config.write_text(re.sub(r"(?m)^edit_uri: .*$", "edit_uri: -/edit/trunk/", text), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    with _served(root) as site:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        # The theme asks GitLab's API for the project's facts; nothing may reach it.
        context.route("https://gitlab.example.com/**", lambda route: route.abort())
        try:
            page = context.new_page()
            page.goto(site.url("learnings/"))
            form = page.locator("[data-playbook-propose-form=learning]")
            expect(form).to_have_attribute("data-bound", "yes")
            form.locator("input[name=id]").fill("triage-retries")
            form.locator("input[name=title]").fill("Triage retries")
            form.locator("select[name=team]").select_option("claims-team")
            form.locator("textarea[name=what_happened]").fill("It retried.")
            form.locator("textarea[name=impact]").fill("Twice the cost.")
            form.locator("button[type=submit]").click()
            expect(form.locator("[data-playbook-propose-note]")).to_have_text(
                EN("js.propose.ready.gitlab", path="learnings/triage-retries.yml"))
            link = form.locator("a[data-playbook-propose]")
            expect(link).to_have_text("Propose it in GitLab's editor")
            url = urlsplit(link.get_attribute("href") or "")
            assert f"{url.scheme}://{url.netloc}{url.path}" == f"{GITLAB}/-/new/trunk/learnings"
            query = parse_qs(url.query, strict_parsing=True)
            assert sorted(query) == ["content", "file_name"]
            assert query["file_name"] == ["triage-retries.yml"]
            assert query["content"] == [form.locator("[data-playbook-propose-file]").input_value()]
            copy = assemble(REPO / "tests" / "fixtures" / "valid" / "small", tmp_path / "copy")
            (copy / "learnings" / "triage-retries.yml").write_text(query["content"][0], encoding="utf-8")
            checked = subprocess.run([sys.executable, "-m", "playbook", "check", "--strict", "--root", str(copy)],
                                     capture_output=True, text=True)
            assert checked.returncode == 0, checked.stdout + checked.stderr
        finally:
            context.close()


def test_a_playbook_with_too_many_patterns_for_boxes_takes_their_ids_checked_as_typed(
        browser: Browser, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    """Past CHOICES patterns and policies the form asks for their ids instead of a box each, and refuses one the
    playbook does not have."""
    from playbook.authoring.synth import write_synth
    from playbook.site.pages.propose import CHOICES

    data = tmp_path_factory.mktemp("synth-data") / "pb"
    write_synth(data, patterns=CHOICES + 5, policies=CHOICES + 5, usecases=3)
    playbook, _problems, _count = check(data)
    root = assemble(data, tmp_path_factory.mktemp("synth-site"))
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    with _served(root) as site:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        try:
            page = context.new_page()
            pattern = sorted(playbook.patterns)[-1]
            page.goto(site.url(f"learnings/?pattern={pattern}"))
            form = page.locator("[data-playbook-propose-form=learning]")
            expect(form).to_have_attribute("data-bound", "yes")
            assert form.locator("input[type=checkbox]").count() == 0
            expect(form.locator("input[name=patterns]")).to_have_value(pattern)
            form.locator("input[name=id]").fill("too-many-boxes")
            form.locator("input[name=title]").fill("Too many boxes")
            form.locator("select[name=team]").select_option(index=1)
            form.locator("textarea[name=what_happened]").fill("Many.")
            form.locator("textarea[name=impact]").fill("Some.")
            policy = sorted(playbook.policies)[0]
            form.locator("input[name=policies]").fill(f"{policy}, no-such-policy")
            form.locator("button[type=submit]").click()
            label = f"{EN('site.propose.field.policies')} {EN('site.propose.field.ids')}"
            expect(form.locator("[data-playbook-propose-note]")).to_have_text(
                EN("js.propose.unknown", field=label, id="no-such-policy"))
            expect(form.locator("input[name=policies]")).to_have_attribute("aria-invalid", "true")
            form.locator("input[name=policies]").fill(policy)
            form.locator("button[type=submit]").click()
            expect(form).to_have_attribute("data-ready", "yes")
            text = form.locator("[data-playbook-propose-file]").input_value()
        finally:
            context.close()
    (data / "learnings").mkdir(exist_ok=True)
    (data / "learnings" / "too-many-boxes.yml").write_text(text, encoding="utf-8")
    saved, problems, _count = check(data)
    assert [str(p) for p in problems if p.path.startswith("learnings/")] == []
    assert (saved.learnings["too-many-boxes"].patterns, saved.learnings["too-many-boxes"].policies) == (
        [pattern], [policy])


@pytest.fixture(scope="module")
def dutch(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The shipped playbook built in Dutch, served under ``nl-propose/`` by the English site's server."""
    root = assemble(REPO, tmp_path_factory.mktemp("dutch-propose"))
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^  language: en$", "  language: nl", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    result = build(root, site.root / "site" / "nl-propose")
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(root=root, base=site.url("nl-propose/"))


def test_a_dutch_site_words_the_forms_in_dutch(page: Page, dutch: Site) -> None:
    from .test_scripts_language import english_words

    nl = Messages("nl")
    page.goto(dutch.url("learnings/"))
    form = page.locator("[data-playbook-propose-form=learning]")
    expect(form).to_have_attribute("data-bound", "yes")
    form.locator("input[name=id]").fill("index")
    said = nl("js.propose.id.reserved", id="index", page="learnings/index.md")
    assert said != EN("js.propose.id.reserved", id="index", page="learnings/index.md")
    expect(form.locator("[data-playbook-propose-id-note]")).to_have_text(said)
    form.locator("input[name=id]").fill("nieuwe-les")
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-playbook-propose-note]")).to_have_text(
        nl("js.propose.missing", field=nl("site.propose.field.title")))
    form.locator("input[name=title]").fill("Nieuwe les")
    form.locator("select[name=team]").select_option(index=1)
    form.locator("textarea[name=what_happened]").fill("Iets.")
    form.locator("textarea[name=impact]").fill("Weinig.")
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-playbook-propose-note]")).to_have_text(
        nl("js.propose.ready.download", path="learnings/nieuwe-les.yml"))
    shown = form.evaluate("f => f.innerText")
    assert english_words(shown) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_forms_and_the_learning_pages_at_desk_and_phone_width(
        browser: Browser, github_site: tuple[Site, Playbook], screenshots: Path, width: int) -> None:
    site, playbook = github_site
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    context.route(f"{THEME_REPO_FACTS}**", lambda route: route.abort())
    page = context.new_page()
    try:
        learning = next(iter(playbook.learnings))
        for path, name in [("learnings/", "learnings"), (f"learnings/{learning}/", "learning"),
                           ("contributing/", "propose-pattern"), ("assessment/", "register-usecase")]:
            page.goto(site.url(path))
            page.screenshot(path=str(screenshots / f"{name}-{width}.png"), full_page=True)
            # Nothing of the page is wider than the window: no sideways scrolling at phone width.
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
    finally:
        context.close()
