"""The use-case register as the built site shows it: each case's page, the register and the metrics.

The site is built from the repository's playbook plus 130 use cases written by ``registerdata``;
every figure a page shows is worked out again here from those files, not taken from the engine.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from registerdata import synthetic_usecases, write_usecases

from playbook.assess.classify import classify, parse_answers, policies_at
from playbook.assess.explain import describe
from playbook.check.validate import check
from playbook.data.model.items import Status
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.register.cases import case_assessments
from playbook.register.metrics import register_metrics
from playbook.site.pages.metrics import metrics_page
from playbook.site.pages.register import register_block, register_page
from playbook.site.pages.usecase import UseCasePages
from sitebuild import REPO, assemble, build, once_per_run

COUNT = 130
SECRET = "Do-not-publish"
"""Written into the reviewer and audit fields, which no page may show."""


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Playbook]:
    """The site, built once a run for every worker (tests only read it), and its playbook."""

    def make(folder: Path) -> Path:
        root = assemble(REPO, folder)
        playbook, _problems, _count = check(root)
        cases = synthetic_usecases(playbook, COUNT)
        for case in list(cases.values())[::7]:
            case["reviewer"] = f"{SECRET} reviewer"
            case["audits"] = [{"date": dt.date(2026, 11, 2), "auditor": f"{SECRET} auditor", "result": "findings",
                               "notes": f"{SECRET} notes"}]
        write_usecases(root, cases)
        playbook, problems, _count = check(root)
        assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
        result = build(root)
        assert result.returncode == 0, result.stdout + result.stderr
        return root

    root = once_per_run(tmp_path_factory, "register", make)
    playbook, _problems, _count = check(root)
    return root / "site", playbook


def soup(path: Path) -> BeautifulSoup:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for permalink in page.select("a.headerlink"):
        permalink.decompose()
    return page


def section(page: BeautifulSoup, heading_id: str) -> Tag:
    """The first table or list after the heading with this id."""
    heading = page.find(id=heading_id)
    assert heading is not None, f"no heading #{heading_id}"
    following = heading.find_next(["table", "ul", "p"])
    assert isinstance(following, Tag)
    return following


def table_rows(table: Tag) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in table.select("tbody tr")]


def business_days(start: dt.date, end: dt.date) -> int:
    """Weekdays from the request up to the decision, counted one day at a time."""
    return sum((start + dt.timedelta(days=n)).weekday() < 5 for n in range((end - start).days))


def computed(playbook: Playbook, case: Any) -> Any:
    assert playbook.risk_tiers is not None
    answers = parse_answers(playbook.risk_tiers, case.answers)
    return classify(answers, playbook.risk_tiers, case.patterns, playbook.patterns, case.custom_parts)


def test_each_use_case_page_shows_what_its_answers_give(built: tuple[Path, Playbook]) -> None:
    site, playbook = built
    cases = list(playbook.usecases.values())
    with_conditions = [c for c in cases if c.conditions]
    assert with_conditions
    for case in cases[::9] + with_conditions:
        result = computed(playbook, case)
        page = soup(site / "usecases" / case.id / "index.html")
        article = page.select_one("article")
        assert article is not None
        text = article.get_text(" ", strip=True)
        assert page.find("h1").get_text(strip=True) == case.title
        tier_link = article.select_one('a[href$="risk-tiers/#tier-' + result.tier.id + '"]')
        assert tier_link is not None and result.tier.name in tier_link.get_text(), case.id
        rules = [code.get_text() for code in section(page, "thresholds-that-fired").select("code")]
        assert rules == [r.rule for r in result.reasons], case.id
        policies = {a.get_text(strip=True) for a in section(page, "policies-that-apply").select("a")}
        assert policies == {p.title for p in policies_at(result.tier.id, playbook.policies)}, case.id
        if case.patterns:
            hrefs = [a["href"] for a in section(page, "patterns-used").select("a")]
            assert hrefs == [f"../../patterns/{p}/" for p in case.patterns], case.id
        assert ("Fast track: Yes" in text) is result.fast_track, case.id
        # The classifier's notes are worded, as a reader reads them, not shown as data.
        for note in describe(result, Messages("en")).notes:
            assert " ".join(note.split()) in text, (case.id, note)
        assert "Note(" not in text and "code=" not in text, case.id
        team = article.select_one(f'a[href$="pilots/#pilot-{case.team}"]')
        assert team is not None and team.get_text(strip=True) == playbook.pilots[case.team].name
        assert f"Requested: {case.requested.isoformat()}" in text
        if case.decided:
            days = business_days(case.requested, case.decided)
            assert f"Decided: {case.decided.isoformat()}" in text
            assert f"Turnaround: {days} business {'day' if days == 1 else 'days'} (target: " in text, case.id
        assert SECRET not in text
        # The conditions of an approval are listed under its outcome, each as written (plain text, not Markdown).
        conditions = [li.get_text(" ", strip=True) for li in article.select("[data-playbook-conditions] > li")]
        assert conditions == [" ".join(c.split()) for c in case.conditions], case.id
        if case.conditions:
            outcome = article.select_one("[data-playbook-conditions]").find_parent("li")
            assert outcome.get_text(" ", strip=True).startswith("Outcome: Approved with conditions"), case.id
        for a in article.select("a[href]"):
            target = a["href"].split("#")[0]
            if target and "://" not in target:
                resolved = (site / "usecases" / case.id / target).resolve()
                assert (resolved / "index.html").is_file() or resolved.is_file(), (case.id, a["href"])


def test_no_page_or_file_publishes_a_reviewer_or_an_audit(built: tuple[Path, Playbook]) -> None:
    site, _playbook = built
    leaks = [str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".csv"}
             and SECRET in p.read_text(encoding="utf-8")]
    assert leaks == []


def test_register_lists_the_latest_requests_and_the_counts_per_team_without_scripts(
        built: tuple[Path, Playbook]) -> None:
    site, playbook = built
    page = soup(site / "usecases" / "index.html")
    latest = sorted(sorted(playbook.usecases.values(), key=lambda c: c.id), key=lambda c: c.requested, reverse=True)
    rows = page.select(".pb-register-rows tr")
    assert [row["data-id"] for row in rows] == [c.id for c in latest[:50]]
    first = rows[0].find("a")
    assert first["href"] == f"{latest[0].id}/" and first.get_text() == latest[0].title
    teams = {row["data-team"]: int(row.find_all("td")[1].get_text())
             for row in page.select(".pb-register-teams tr[data-team]")}
    assert teams == dict(Counter(c.team for c in playbook.usecases.values()))
    for team in teams:
        assert page.select_one(f'tr[data-team="{team}"] a')["href"] == f"../pilots/#pilot-{team}"
    filters = page.select_one("form.pb-register-filter")
    assert {s["name"] for s in filters.select("select")} == {"team", "tier", "status", "outcome"}


def test_register_data_holds_every_case_once_with_published_fields_only(built: tuple[Path, Playbook]) -> None:
    site, playbook = built
    data = json.loads((site / "usecases" / "register.json").read_text(encoding="utf-8"))
    assert len(data["rows"]) == len(playbook.usecases) > COUNT
    by_id = {row[0]: row for row in data["rows"]}
    for case in playbook.usecases.values():
        row = by_id[case.id]
        assert row[1] == case.title
        assert data["teams"][row[2]]["id"] == case.team
        assert data["tiers"][row[3]]["id"] == computed(playbook, case).tier.id
        assert data["statuses"][row[4]]["id"] == case.status.value
        outcome = data["outcomes"][row[5]]["id"]
        assert outcome == (case.outcome.value if case.outcome else outcome)
        assert outcome in {"pending", "not-needed"} or case.outcome is not None
        assert row[6:] == [case.requested.isoformat(), case.decided.isoformat() if case.decided else ""]


def test_register_page_stays_small_whatever_the_number_of_cases(built: tuple[Path, Playbook]) -> None:
    site, _playbook = built
    page = (site / "usecases" / "index.html").read_text(encoding="utf-8")
    # 50 rows, never all 130: the rest are in register.json, read by the page's script.
    assert page.count("<tr data-id=") == 50


def test_metrics_count_cases_per_tier_and_team(built: tuple[Path, Playbook]) -> None:
    site, playbook = built
    page = soup(site / "metrics" / "index.html")
    tiers = Counter(computed(playbook, c).tier.name for c in playbook.usecases.values())
    shown = {row[0]: int(row[1]) for row in table_rows(section(page, "use-cases-per-tier"))}
    assert shown == {t.name: tiers[t.name] for t in playbook.tiers}
    teams = Counter(playbook.pilots[c.team].name for c in playbook.usecases.values())
    shown = {row[0]: int(row[1]) for row in table_rows(section(page, "use-cases-per-team"))}
    assert shown == dict(teams)


def test_metrics_share_built_only_on_adopted_patterns(built: tuple[Path, Playbook]) -> None:
    site, playbook = built
    page = soup(site / "metrics" / "index.html")
    built_cases = [c for c in playbook.usecases.values() if c.status.value != "idea"]
    adopted = [c for c in built_cases if c.patterns and not c.custom_parts and not c.built
               and all(playbook.patterns[p].status is Status.adopted for p in c.patterns)]
    text = section(page, "built-on-the-governed-path").get_text(" ", strip=True)
    assert text.startswith(f"{len(adopted)} of the {len(built_cases)} use cases past the idea stage")


def test_metrics_turnaround_per_tier_against_its_target(built: tuple[Path, Playbook]) -> None:
    site, playbook = built
    page = soup(site / "metrics" / "index.html")
    rows = {row[0]: row for row in table_rows(section(page, "decision-turnaround-per-tier").find_next("table"))}
    for tier in playbook.tiers:
        days = sorted(business_days(c.requested, c.decided) for c in playbook.usecases.values()
                      if c.decided and computed(playbook, c).tier.id == tier.id)
        row = rows[tier.name]
        assert row[1] == str(tier.turnaround_days)
        assert int(row[2]) == len(days)
        if days:
            median = statistics.median(days)
            p90 = days[math.ceil(0.9 * len(days)) - 1]
            assert row[3] == f"{median:g}", tier.id
            assert row[4] == str(p90), tier.id
            within = sum(d <= (tier.turnaround_days or 0) for d in days)
            assert row[5] == f"{within} of {len(days)}"


def test_metrics_name_the_cases_that_waited_longest_in_each_tier(built: tuple[Path, Playbook]) -> None:
    site, playbook = built
    page = soup(site / "metrics" / "index.html")
    table = section(page, "where-do-decisions-wait").find_next("table")
    rows = [row.find_all("td") for row in table.select("tbody tr")]
    listed = [(cells[1].get_text(strip=True), cells[0].get_text(strip=True), cells[2].get_text(" ", strip=True))
              for cells in rows]
    today = dt.date.today()
    expected = []
    for tier in playbook.tiers:
        waits = []
        for case in playbook.usecases.values():
            result = computed(playbook, case)
            # A case whose tier needs no review, or that was withdrawn before a decision, waits for nothing.
            if result.tier.id != tier.id or (not case.decided and result.review.value == "none"):
                continue
            days = business_days(case.requested, case.decided or today)
            shown = f"{days}" + ("" if case.decided else " (still open)")
            waits.append((-days, case.id, (tier.name, case.title, shown)))
        # The five longest waits of the tier, leaving out waits of no business day.
        expected += [row for days, _id, row in sorted(waits)[:5] if days]
    assert listed == expected


def test_metrics_value_by_team(built: tuple[Path, Playbook]) -> None:
    site, playbook = built
    page = soup(site / "metrics" / "index.html")
    rows = {row[0]: row for row in table_rows(section(page, "reported-value-by-team"))}
    for team, pilot in playbook.pilots.items():
        cases = [c.value for c in playbook.usecases.values() if c.team == team and (
            c.value.hours_saved_per_month is not None or c.value.yearly_cost is not None
            or c.value.yearly_benefit is not None)]
        if not cases:
            assert pilot.name not in rows
            continue
        hours = sum(v.hours_saved_per_month or 0 for v in cases)
        assert rows[pilot.name][1:3] == [str(len(cases)), f"{hours:,.0f}"]
        for column, field in ((3, "yearly_benefit"), (4, "yearly_cost")):
            totals: Counter[str] = Counter()
            for v in cases:
                if getattr(v, field) is not None:
                    totals[v.currency or ""] += getattr(v, field)
            shown = ", ".join(f"{c} {n:,.0f}".strip() for c, n in sorted(totals.items())) or "—"
            assert rows[pilot.name][column] == shown, (team, field)


def test_pilot_sections_link_to_their_teams_use_cases(built: tuple[Path, Playbook]) -> None:
    site, playbook = built
    page = soup(site / "pilots" / "index.html")
    tally = Counter(c.team for c in playbook.usecases.values())
    for team in playbook.pilots:
        heading = page.find(id=f"pilot-{team}")
        facts = heading.find_next("ul")
        link = facts.select_one('a[href*="usecases/?team="]')
        assert link is not None and link["href"] == f"../usecases/?team={team}"
        assert link.get_text() == str(tally[team])


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_register_pages_speak_the_sites_language(language: str) -> None:
    """No English label of ours is left on the register's pages of an nl, de or fr site."""
    playbook, _problems, _count = check(REPO)
    english, local = Messages("en"), Messages(language)
    case = next(iter(case_assessments(playbook).values())).case.published()
    text = (str(UseCasePages(playbook, local)(case)) + register_page(playbook, local, lambda uri: uri)
            + metrics_page(playbook, register_metrics(playbook), local)
            + register_block(playbook, local, lambda uri: uri))
    labels = [english(key) for key in english.subset("usecase.")
              if "{" not in english(key) and english(key) != local(key)]
    assert labels and [label for label in labels if f">{label}<" in text or f"**{label}:**" in text
                       or f"## {label}\n" in text or f"| {label} |" in text] == []


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_every_register_string_is_translated(language: str) -> None:
    folder = REPO / "playbook" / "i18n"
    english = yaml.safe_load((folder / "en" / "usecases.yml").read_text(encoding="utf-8"))
    local = yaml.safe_load((folder / language / "usecases.yml").read_text(encoding="utf-8"))
    assert sorted(local) == sorted(english)
    placeholders = {key: sorted(re.findall(r"\{\w+\}", text)) for key, text in english.items()}
    assert {key: sorted(re.findall(r"\{\w+\}", text)) for key, text in local.items()} == placeholders
