"""The use-case register on the site: the register page and its data, the block that registers a new case.

Everything here reads the in-memory Playbook through :mod:`playbook.register.cases` and words it through the
message catalog; only :class:`~playbook.data.model.usecase.PublishedUseCase` fields are shown: reviewers and
audits stay internal. Each case's own page is in :mod:`playbook.site.pages.usecase`, the metrics page in
:mod:`playbook.site.pages.metrics`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable

from playbook.data.model.items import ReviewPath
from playbook.data.model.playbook import Playbook
from playbook.data.model.usecase import Outcome, PublishedUseCase, UseCaseStatus
from playbook.i18n import Messages
from playbook.register.cases import CaseAssessment, case_assessments
from playbook.site.pages.propose import Editor, max_length, usecase_form_data
from playbook.site.text import render, say

REGISTER_JSON = "usecases/register.json"
"""Where the register's rows are published for the register page's script."""
PAGE_SIZE = 50
"""Rows per page of the register, in the browser and in its no-script list."""
PENDING = "pending"
"""The outcome filter's value for cases waiting for a decision."""
NOT_NEEDED = "not-needed"
"""The outcome filter's value for undecided cases whose tier needs no review."""
OUTCOMES = [*(o.value for o in Outcome), PENDING, NOT_NEEDED]
"""Every outcome the register shows, decided or not."""

UrlOf = Callable[[str], str]
"""Turns a page's source path (``usecases/x.md``) into a link from the page being rendered."""

def case_address(url_of: UrlOf, case_id: str) -> tuple[str, str]:
    """The link ``url_of`` gives to a use case's page, split around the case's id: every use-case page is
    ``usecases/<id>.md``, so one address serves every case (``prefix + id + suffix``). ``case_id`` is a case the
    site has a page for (the plugin's links check that the page exists)."""
    prefix, suffix = url_of(f"usecases/{case_id}.md").rsplit(case_id, 1)
    return prefix, suffix


_last: tuple[Playbook, dict[str, CaseAssessment]] | None = None


def assessed(playbook: Playbook) -> dict[str, CaseAssessment]:
    """``case_assessments(playbook)``, worked out once per loaded playbook: the pages, the register
    and its data all need it, and at 10,000 cases each pass costs seconds."""
    global _last
    if _last is None or _last[0] is not playbook:
        _last = (playbook, case_assessments(playbook))
    return _last[1]


def team_name(playbook: Playbook, team: str) -> str:
    pilot = playbook.pilots.get(team)
    return pilot.name if pilot else team


def outcome_of(case: PublishedUseCase, review: ReviewPath) -> str:
    """The decision taken, or whether one is awaited: a tier whose review path is none needs none."""
    if case.outcome is not None:
        return case.outcome.value
    return NOT_NEEDED if review is ReviewPath.none else PENDING


def _ordered(results: Iterable[CaseAssessment]) -> list[CaseAssessment]:
    """Latest request first, then by id: the order the register lists cases in."""
    return sorted(sorted(results, key=lambda r: r.case.id), key=lambda r: r.case.requested, reverse=True)


def register_data(playbook: Playbook, m: Messages) -> dict[str, object]:
    """The register's rows for its page script: one short array per case, names given once.

    A row is ``[id, title, team, tier, status, outcome, requested, decided]``, where team, tier,
    status and outcome index the lists beside the rows. Only published fields go in.
    """
    results = _ordered(assessed(playbook).values())
    teams = list(dict.fromkeys([*playbook.pilots, *sorted({r.case.team for r in results})]))
    tiers = [t.id for t in playbook.tiers]
    statuses = [s.value for s in UseCaseStatus]
    rows = [
        [r.case.id, r.case.title, teams.index(r.case.team), tiers.index(r.tier), statuses.index(r.case.status.value),
         OUTCOMES.index(outcome_of(r.case, r.review)), r.case.requested.isoformat(),
         r.case.decided.isoformat() if r.case.decided else ""]
        for r in results
    ]
    return {
        "pageSize": PAGE_SIZE,
        "teams": [{"id": t, "name": team_name(playbook, t)} for t in teams],
        "tiers": [{"id": t.id, "name": t.name} for t in playbook.tiers],
        "statuses": [{"id": s, "name": m(f"usecase.status.{s}")} for s in statuses],
        "outcomes": [{"id": o, "name": m(f"usecase.outcome.{o}")} for o in OUTCOMES],
        "rows": rows,
    }


def register_files(playbook: Playbook, m: Messages) -> dict[str, str]:
    """Data files published beside the register page."""
    data = register_data(playbook, m)
    return {REGISTER_JSON: json.dumps(data, ensure_ascii=False, separators=(",", ":"))}


def register_page(playbook: Playbook, m: Messages, url_of: UrlOf, href: UrlOf | None = None) -> str:
    """The register: filters and a page of 50 rows the script fills from the published JSON.

    Without scripts the reader gets the counts per team and the latest 50 requests, as links. ``url_of`` links a
    page's source path for the script, ``href`` (``url_of`` when None) for the page's own HTML.
    """
    href = href or url_of
    results = _ordered(assessed(playbook).values())
    if not results:
        return f"{say(m, 'usecase.register.empty')}\n"
    teams = list(dict.fromkeys([*playbook.pilots, *sorted({r.case.team for r in results})]))
    tally = Counter(r.case.team for r in results)
    pilots_url = href("pilots.md")
    sample = results[0].case.id
    case_href, script_href = case_address(href, sample), case_address(url_of, sample)
    filters = [
        ("team", "usecase.field.team", [(t, team_name(playbook, t)) for t in teams]),
        ("tier", "usecase.field.tier", [(t.id, t.name) for t in playbook.tiers]),
        ("status", "usecase.field.status", [(s.value, m(f"usecase.status.{s.value}")) for s in UseCaseStatus]),
        ("outcome", "usecase.field.outcome", [(o, m(f"usecase.outcome.{o}")) for o in OUTCOMES]),
    ]
    rows = [
        {"id": r.case.id, "title": r.case.title, "team": team_name(playbook, r.case.team),
         "tier": r.assessment.tier.name,
         "status": m(f"usecase.status.{r.case.status.value}"),
         "outcome": m(f"usecase.outcome.{outcome_of(r.case, r.review)}"),
         "requested": r.case.requested.isoformat(), "decided": r.case.decided.isoformat() if r.case.decided else ""}
        for r in results[:PAGE_SIZE]
    ]
    team_rows = [(t, team_name(playbook, t), f"{pilots_url}#pilot-{t}" if t in playbook.pilots else None, tally[t])
                 for t in teams]
    columns = ["usecase.field.title", "usecase.field.team", "usecase.field.tier", "usecase.field.status",
               "usecase.field.outcome", "usecase.field.requested", "usecase.field.decided"]
    return render(
        "register.html", m, src=url_of(REGISTER_JSON), href=case_href, script_href=script_href, filters=filters,
        rows=rows, total=len(results), columns=columns, teams=team_rows,
        teams_with_cases=sum(1 for t in teams if tally[t]))


def usecase_counts(playbook: Playbook) -> dict[str, int]:
    """Registered use cases by team: the pilots page links each pilot to its team's."""
    return dict(Counter(case.team for case in playbook.usecases.values()))


def register_block(playbook: Playbook, m: Messages, url_of: UrlOf, target: Editor | None = None) -> str:
    """The end of the assessment: a few details, then the new use case's file, made by register.js and
    proposed in one click at ``target``, the repository's new-file editor (a download when None)."""
    limits = {name: max_length(PublishedUseCase, name) for name in ("title", "owner", "description")}
    return render("register_usecase.html", m, data=usecase_form_data(playbook, url_of(REGISTER_JSON), target),
                  limits=limits,
                  teams=[(t, p.name) for t, p in playbook.pilots.items()],
                  statuses=[s.value for s in UseCaseStatus])
