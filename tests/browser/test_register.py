"""The use-case register in Chromium: filtering and paging its rows, and the assessment's
"register this use case" YAML, saved and checked by `playbook check`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect
from registerdata import synthetic_usecases, write_usecases

from playbook.assess.classify import classify, parse_answers
from playbook.check.validate import check
from playbook.data.model.playbook import Playbook
from sitebuild import REPO, assemble, build, once_per_run

from .conftest import Watch, _checked, _new_context, _served
from .pages import Site, heading

pytestmark = pytest.mark.browser

COUNT = 120


@pytest.fixture(scope="module")
def register_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Playbook]]:
    """The repository's playbook with 120 more use cases, built and served on 127.0.0.1."""
    def make(folder: Path) -> Path:
        # Built once a run for every worker; each serves it.
        root = assemble(REPO, folder)
        playbook, _problems, _count = check(root)
        write_usecases(root, synthetic_usecases(playbook, COUNT, seed=11))
        playbook, problems, _count = check(root)
        assert not [p for p in problems if p.severity == "error"]
        result = build(root)
        assert result.returncode == 0, result.stdout + result.stderr
        return root

    root = once_per_run(tmp_path_factory, "register-browser", make)
    playbook, _problems, _count = check(root)
    with _served(root) as site:
        yield site, playbook


@pytest.fixture(scope="module")
def register_watch(register_site: tuple[Site, Playbook]) -> Watch:
    url = urlsplit(register_site[0].base)
    assert url.hostname is not None and url.port is not None
    return Watch(url.hostname, url.port)


@pytest.fixture
def rpage(browser: Browser, register_watch: Watch) -> Iterator[Page]:
    """A page on the register's own site, failing the test on off-site requests or script errors."""
    context = _new_context(browser, register_watch, "light")
    try:
        yield from _checked(context.new_page(), register_watch)
    finally:
        context.close()


def tier_of(playbook: Playbook, case: Any) -> str:
    assert playbook.risk_tiers is not None
    answers = parse_answers(playbook.risk_tiers, case.answers)
    return classify(answers, playbook.risk_tiers, case.patterns, playbook.patterns, case.custom_parts).tier.id


def register_order(playbook: Playbook) -> list[Any]:
    """Latest request first, then by id."""
    return sorted(sorted(playbook.usecases.values(), key=lambda c: c.id), key=lambda c: c.requested, reverse=True)


def shown_ids(page: Page) -> list[str]:
    return page.locator(".pb-register-rows tr").evaluate_all("rows => rows.map(r => r.dataset.id)")


def every_page(page: Page) -> list[str]:
    """The ids on every page of the current filter, clicking Next to the end."""
    ids = shown_ids(page)
    while page.locator(".pb-register-next").is_enabled():
        current = page.locator(".pb-register").get_attribute("data-page")
        page.locator(".pb-register-next").click()
        expect(page.locator(".pb-register")).not_to_have_attribute("data-page", current or "")
        ids += shown_ids(page)
    return ids


def test_register_pages_through_every_case_fifty_at_a_time(
        rpage: Page, register_site: tuple[Site, Playbook]) -> None:
    site, playbook = register_site
    order = [c.id for c in register_order(playbook)]
    rpage.goto(site.url("usecases/"))
    expect(rpage.locator(".pb-register")).to_have_attribute("data-ready", "yes", timeout=30_000)
    assert shown_ids(rpage) == order[:50]
    expect(rpage.locator(".pb-register-status")).to_have_text(f"1–50 of {len(order)} use cases")
    expect(rpage.locator(".pb-register-prev")).to_be_disabled()
    assert every_page(rpage) == order
    expect(rpage.locator(".pb-register-next")).to_be_disabled()
    pages = -(-len(order) // 50)
    expect(rpage.locator(".pb-register-page")).to_have_text(f"Page {pages} of {pages}")
    assert f"page={pages}" in rpage.url
    rpage.locator(".pb-register-rows a").first.click()
    rpage.wait_for_url("**/usecases/*/")
    assert heading(rpage) == playbook.usecases[order[(pages - 1) * 50]].title


def test_register_filters_by_team_tier_status_and_outcome(rpage: Page, register_site: tuple[Site, Playbook]) -> None:
    site, playbook = register_site
    order = register_order(playbook)
    rpage.goto(site.url("usecases/"))
    expect(rpage.locator(".pb-register")).to_have_attribute("data-ready", "yes", timeout=30_000)
    team = sorted(playbook.pilots)[0]
    rpage.select_option(".pb-register-filter select[name=team]", team)
    assert every_page(rpage) == [c.id for c in order if c.team == team]
    tier = playbook.tiers[-1].id
    rpage.select_option(".pb-register-filter select[name=tier]", tier)
    rpage.select_option(".pb-register-filter select[name=status]", "production")
    expected = [c.id for c in order
                if c.team == team and tier_of(playbook, c) == tier and c.status.value == "production"]
    assert every_page(rpage) == expected
    rpage.select_option(".pb-register-filter select[name=team]", "")
    rpage.select_option(".pb-register-filter select[name=tier]", "")
    rpage.select_option(".pb-register-filter select[name=status]", "")
    rpage.select_option(".pb-register-filter select[name=outcome]", "rejected")
    assert every_page(rpage) == [c.id for c in order if c.outcome is not None and c.outcome.value == "rejected"]
    rpage.select_option(".pb-register-filter select[name=outcome]", "")
    rpage.fill(".pb-register-filter input[name=q]", "no such use case anywhere")
    expect(rpage.locator(".pb-register-status")).to_have_text("No use case matches these filters.")
    assert shown_ids(rpage) == []


def test_pilot_page_opens_the_register_on_its_team(rpage: Page, register_site: tuple[Site, Playbook]) -> None:
    site, playbook = register_site
    team = sorted(playbook.pilots)[-1]
    rpage.goto(site.url("pilots/"))
    rpage.locator(f'a[href="../usecases/?team={team}"]').click()
    expect(rpage.locator(".pb-register")).to_have_attribute("data-ready", "yes", timeout=30_000)
    expect(rpage.locator(".pb-register-filter select[name=team]")).to_have_value(team)
    assert every_page(rpage) == [c.id for c in register_order(playbook) if c.team == team]


def fill_example(page: Page, example_id: str) -> None:
    page.select_option(".pb-example", example_id)
    expect(page.locator(".pb-result")).to_have_attribute("data-complete", "yes")


def test_register_this_use_case_gives_yaml_that_passes_playbook_check(
        rpage: Page, register_site: tuple[Site, Playbook], tmp_path: Path) -> None:
    site, playbook = register_site
    assert playbook.risk_tiers is not None
    rpage.goto(site.url("assessment/"))
    block = rpage.locator(".pb-register-usecase")
    note = block.locator("[data-playbook-propose-note]")
    block.locator("input[name=id]").fill("meeting-notes-bot")
    block.locator("button[type=submit]").click()
    expect(note).to_contain_text("Answer every question first")
    expect(block.locator("[data-playbook-propose-file]")).to_be_hidden()

    example = max(playbook.risk_tiers.examples, key=lambda e: len(e.patterns))
    fill_example(rpage, example.id)
    tier = rpage.locator(".pb-result").get_attribute("data-tier")
    block.locator("input[name=id]").fill("Not An Id")
    block.locator("button[type=submit]").click()
    expect(note).to_contain_text("lower-case words joined by hyphens")

    block.locator("input[name=id]").fill("meeting-notes-bot")
    block.locator("input[name=title]").fill('Meeting notes: "quotes", #hashes & ünïcode')
    team = sorted(playbook.pilots)[1]
    block.locator("select[name=team]").select_option(team)
    block.locator("input[name=owner]").fill("Workplace tools: Ana")
    description = "  Summarises meetings.\n\n- with *Markdown*\n- key: value # not a comment\n    code: {x}"
    block.locator("textarea[name=description]").fill(description)
    block.locator("select[name=status]").select_option("prototype")
    block.locator("button[type=submit]").click()
    text = block.locator("[data-playbook-propose-file]").input_value()
    # The register's site has no repository host the engine knows: the file is downloaded, its place said.
    assert block.locator("a[data-playbook-propose]").count() == 0
    expect(note).to_have_text("usecases/meeting-notes-bot.yml is ready. Download it, save it as "
                              "usecases/meeting-notes-bot.yml in the playbook's repository, run playbook check, "
                              "then open a pull request.")
    with rpage.expect_download() as download:
        block.locator("[data-playbook-propose-download]").click()
    assert download.value.suggested_filename == "meeting-notes-bot.yml"
    assert Path(download.value.path()).read_text(encoding="utf-8") == text

    root = assemble(REPO, tmp_path / "playbook")
    (root / "usecases" / "meeting-notes-bot.yml").write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "playbook", "check", "--root", str(root)],
                            capture_output=True, text=True)
    assert result.returncode == 0, text + result.stdout + result.stderr
    assert "meeting-notes-bot" not in result.stdout, result.stdout
    saved, _problems, _count = check(root)
    case = saved.usecases["meeting-notes-bot"]
    assert (case.title, case.team, case.owner, case.status.value) == (
        'Meeting notes: "quotes", #hashes & ünïcode', team, "Workplace tools: Ana", "prototype")
    assert case.description == description.strip()
    assert parse_answers(playbook.risk_tiers, case.answers) == parse_answers(playbook.risk_tiers, example.answers)
    assert sorted(case.patterns) == sorted(example.patterns)
    assert case.tier == tier == example.expected_tier
    assert yaml.safe_load(text)["tier"] == tier


def test_an_id_the_register_holds_is_refused_as_it_is_typed(rpage: Page, register_site: tuple[Site, Playbook]) -> None:
    """The assessment page does not embed the register's ids (a register may hold thousands): the form reads
    them from the register's rows when the id field is first used."""
    site, playbook = register_site
    taken = sorted(playbook.usecases)[-1]
    rpage.goto(site.url("assessment/"))
    block = rpage.locator(".pb-register-usecase")
    block.locator("input[name=id]").click()
    block.locator("input[name=id]").fill(taken)
    expect(block.locator("[data-playbook-propose-id-note]")).to_have_text(
        f"usecases/{taken}.yml already exists. Choose another id, or edit that file.")
