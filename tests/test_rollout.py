"""Rollout checklist, pilot progress and decision rights, as the built site shows them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from playbook.check.validate import check
from playbook.data.model.items import Pilot
from playbook.i18n import Messages
from playbook.site.pages.overview import pilot_status
from sitebuild import REPO

PLAYBOOK, _PROBLEMS, _COUNT = check(REPO)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_rollout_shows_every_step_in_order_with_its_own_page(default_site: Path) -> None:
    assert PLAYBOOK.roadmap is not None
    cards = _soup(default_site / "rollout" / "index.html").select("ol.pb-roadmap li .pb-step-title a")
    assert [a.get_text(strip=True) for a in cards] == [s.title for s in PLAYBOOK.roadmap.steps]
    for step in PLAYBOOK.roadmap.steps:
        page = _soup(default_site / "rollout" / step.id / "index.html")
        boxes = page.select("input.pb-check")
        assert [b["data-item"] for b in boxes] == [i.id for i in step.checklist]
        text = page.get_text(" ", strip=True)
        for item in step.checklist:
            assert item.text in text
            assert f"Owner: {PLAYBOOK.role_name(item.owner)}" in text
        for criterion in step.exit_criteria:
            assert criterion in text
        for pattern_id in step.patterns:
            assert PLAYBOOK.patterns[pattern_id].title in text


def test_the_whole_checklist_holds_every_item_once(default_site: Path) -> None:
    boxes = _soup(default_site / "rollout" / "index.html").select("input.pb-check")
    assert sorted(b["data-item"] for b in boxes) == sorted(PLAYBOOK.checklist_items())


def test_steps_are_listed_under_rollout_in_the_navigation(default_site: Path) -> None:
    assert PLAYBOOK.roadmap is not None
    nav = _soup(default_site / "rollout" / "index.html").select_one("nav.md-nav--primary")
    links = [a.get_text(strip=True) for a in nav.select("a.md-nav__link")]
    titles = [f"Step {n}: {s.title}" for n, s in enumerate(PLAYBOOK.roadmap.steps, 1)]
    assert [t for t in links if t in titles] == titles


def test_pilots_page_shows_each_pilot_with_progress_and_metrics(default_site: Path) -> None:
    soup = _soup(default_site / "pilots" / "index.html")
    text = soup.get_text(" ", strip=True)
    assert PLAYBOOK.pilots
    for pilot in PLAYBOOK.pilots.values():
        section = soup.find(id=f"pilot-{pilot.team}")
        assert section is not None, pilot.team
        assert pilot.name in section.get_text()
        for metric in [*pilot.metrics.outcome, *pilot.metrics.process]:
            assert metric.name in text and metric.value in text
        bars = section.find_next("table").select("progress")
        done = [int(bar["value"]) for bar in bars]
        assert done == [sum(pilot.checklist.get(i.id, False) for i in s.checklist) for s in PLAYBOOK.roadmap.steps]


def test_decision_matrix_shows_every_decision_with_its_accountable_role(default_site: Path) -> None:
    assert PLAYBOOK.decision_rights is not None
    soup = _soup(default_site / "decision-rights" / "index.html")
    roles = [r.name for r in PLAYBOOK.decision_rights.roles]
    rows = {}
    for table in soup.select("article table"):
        header = [th.get_text(strip=True) for th in table.select("thead th")]
        assert header[1:-1] == roles
        for tr in table.select("tbody tr"):
            cells = [td.get_text(strip=True) for td in tr.find_all("td")]
            rows[cells[0]] = dict(zip(roles, cells[1:-1], strict=True))
    for decision in PLAYBOOK.decision_rights.decisions:
        assert decision.name in rows, decision.id
        accountable = [role for role, letters in rows[decision.name].items() if "A" in letters]
        assert accountable == [PLAYBOOK.role_name(decision.raci.accountable[0])]


def _pilot(start: str, end: str, step: str) -> Pilot:
    return Pilot.model_validate({"team": "claims", "name": "Claims", "sponsor": "COO", "start": start, "end": end,
                                 "step": step})


@pytest.mark.parametrize(
    ("today", "step", "flags"),
    [
        ("2026-12-01", "pilot-distributed-ownership", []),
        ("2026-12-01", "build-enablement", ["behind: its dates put it on step 4 (Pilot distributed ownership), "
                                            "it is on step 3"]),
        ("2026-09-01", "build-enablement", []),
        ("2027-02-01", "pilot-distributed-ownership", ["past its end date (2027-01-31)", "behind: its dates put it on "
                                                       "step 5 (Scale what works), it is on step 4"]),
        ("2027-02-01", "scale-what-works", ["past its end date (2027-01-31)"]),
    ],
)
def test_pilots_are_flagged_when_late_or_behind_their_dates(today: str, step: str, flags: list[str]) -> None:
    pilot = _pilot("2026-11-01", "2027-01-31", step)
    status = pilot_status(PLAYBOOK, pilot, dt.date.fromisoformat(today), Messages("en"))
    assert status.flags == flags
