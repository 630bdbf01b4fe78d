"""The use-case register on the site: a page per use case, the register and pilot links.

Everything here reads the in-memory Playbook through :mod:`playbook.usecases` and words it through the
message catalog. Pages show :class:`~playbook.usecase_model.PublishedUseCase` fields only: reviewers and
audits stay internal. The metrics page is in :mod:`playbook.site.metrics`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import partial

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from playbook.assess.classify import Reason
from playbook.assess.explain import note_text
from playbook.data.model.items import Pattern, Question, ReviewPath
from playbook.data.model.learning import Learning
from playbook.data.model.playbook import Playbook
from playbook.data.model.usecase import Outcome, PublishedUseCase, UseCaseStatus
from playbook.i18n import Messages
from playbook.register.cases import CaseAssessment, case_assessments
from playbook.register.metrics import business_days
from playbook.site.pages.items import pilot_names
from playbook.site.pages.propose import Editor, max_length, usecase_form_data
from playbook.site.text import escape, link, markdown_html, money, number, render, say

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
Href = Callable[[str], str]
"""Turns a page's source path into a link from any use-case page (they all sit at the same depth)."""


def _markdown_block(text: str) -> str:
    """A Markdown field as a raw HTML block that the page's own Markdown pass leaves alone."""
    return f'\n<div class="pb-md" markdown="0">\n{markdown_html(text)}\n</div>\n'


_YAML_UNSAFE = re.compile("[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]")


def _meta(title: str) -> str:
    """Front matter of a use-case page. Kept out of search and tags: the register is the way to find
    them, and 10,000 cases in the search index would slow every search of the playbook.

    Written by hand, not dumped: at 10,000 pages PyYAML's emitter was a tenth of the build. A JSON string
    is a YAML double-quoted scalar once the characters YAML reads as breaks or refuses are escaped too.
    """
    quoted = json.dumps(html.escape(title, quote=False), ensure_ascii=False)
    quoted = _YAML_UNSAFE.sub(lambda c: f"\\u{ord(c.group()):04x}", quoted)
    return f"---\ntitle: {quoted}\nsearch:\n  exclude: true\nrender_macros: false\n---\n\n"


_last: tuple[Playbook, dict[str, CaseAssessment]] | None = None


def assessed(playbook: Playbook) -> dict[str, CaseAssessment]:
    """``case_assessments(playbook)``, worked out once per loaded playbook: the pages, the register
    and its data all need it, and at 10,000 cases each pass costs seconds."""
    global _last
    if _last is None or _last[0] is not playbook:
        _last = (playbook, case_assessments(playbook))
    return _last[1]


class _Memo:
    """Markdown shared by many use-case pages (a tier's policies, a pattern's link), made once per build."""

    def __init__(self) -> None:
        self.made: dict[tuple[object, ...], str] = {}

    def __call__(self, key: tuple[object, ...], make: Callable[[], str]) -> str:
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = make()
        return found


def describe_answer(question: Question | None, value: object, m: Messages) -> str:
    """An answer as a reader reads it: the question, then the option's label, yes or no, or the amount."""
    if question is None:
        return str(value)
    labels = {o.id: o.label for o in question.options}
    if question.type == "yes_no":
        shown = m("usecase.yes") if value is True else m("usecase.no")
    elif question.type == "amount" and isinstance(value, (int, float)):
        shown = money(float(value), question.currency)
    elif isinstance(value, list):
        shown = ", ".join(labels.get(str(v), str(v)) for v in value) or m("usecase.none")
    else:
        shown = labels.get(str(value), str(value))
    return f"{question.text} {shown}"


def team_name(playbook: Playbook, team: str) -> str:
    pilot = playbook.pilots.get(team)
    return pilot.name if pilot else team


def team_link(playbook: Playbook, team: str, base: str) -> str:
    """The team's name, linked to its section of the pilots page when it runs a pilot."""
    if team in playbook.pilots:
        return link(team_name(playbook, team), f"pilots.md#pilot-{team}", base)
    return escape(team)


def tier_link(playbook: Playbook, tier_id: str, base: str) -> str:
    tier = next((t for t in playbook.tiers if t.id == tier_id), None)
    return link(tier.name if tier else tier_id, f"risk-tiers.md#tier-{tier_id}", base)


def outcome_of(result: CaseAssessment) -> str:
    """The decision taken, or whether one is awaited: a tier whose review path is none needs none."""
    if result.case.outcome is not None:
        return result.case.outcome.value
    return NOT_NEEDED if result.review is ReviewPath.none else PENDING


def _facts(rows: list[tuple[str, str]]) -> str:
    return "".join(f"- **{escape(name)}:** {value}\n" for name, value in rows) + "\n"


def case_turnaround(playbook: Playbook, case: PublishedUseCase, tier_id: str, m: Messages,
                    today: dt.date) -> str | None:
    """Business days from request to decision (or to today while pending), against the tier's target."""
    tier = next((t for t in playbook.tiers if t.id == tier_id), None)
    if tier is None or tier.turnaround_days is None:
        return None
    days = business_days(case.requested, case.decided or today)
    key = "usecase.page.turnaround_days" if case.decided else "usecase.page.turnaround_open"
    text = m(key, days=days, target=m("usecase.metrics.days", days=tier.turnaround_days))
    verdict = "usecase.page.over_target" if days > tier.turnaround_days else "usecase.page.within_target"
    css = "pb-flag" if days > tier.turnaround_days else "pb-muted"
    return f'{escape(text)} <span class="{css}">{escape(m(verdict))}</span>'


def usecase_page(playbook: Playbook, result: CaseAssessment, m: Messages, base: str = "../",
                 today: dt.date | None = None, memo: _Memo | None = None, href: Href | None = None,
                 learned: Sequence[Learning] = ()) -> str:
    """The page of one use case: what its answers give (tier, review, thresholds, policies), what it
    is built on, where its decision stands, the value it reports, and the learnings naming it.

    Callers rendering every case pass one ``memo``, so that what cases share is rendered once, and each case's
    ``learned`` from one ``playbook.learnings_about("usecases")``.
    """
    today = today or dt.date.today()
    memo = memo or _Memo()
    href = href or page_href()
    case = result.case.published()
    assessment = result.assessment
    risk = playbook.risk_tiers
    questions = {q.id: q for q in risk.questions} if risk else {}
    out = [_meta(case.title), f"# {escape(case.title)}\n\n"]
    tier_text = m("usecase.page.computed", tier=escape(assessment.tier.name))
    facts = [
        (m("usecase.field.id"), f"`{case.id}`"),
        (m("usecase.field.team"), memo(("team", case.team), lambda: team_link(playbook, case.team, base))),
        (m("usecase.field.owner"), escape(case.owner)),
        (m("usecase.field.status"), escape(m(f"usecase.status.{case.status.value}"))),
        (m("usecase.field.tier"), f"[{tier_text}]({base}risk-tiers.md#tier-{assessment.tier.id})"),
    ]
    if case.tier is not None:
        facts.append((m("usecase.field.declared_tier"), tier_link(playbook, case.tier, base)))
    facts.append((m("usecase.field.review"), escape(m(f"review.{assessment.review.value}"))))
    fast = "usecase.page.fast_track_yes" if assessment.fast_track else "usecase.page.fast_track_no"
    facts.append((m("usecase.field.fast_track"), escape(m(fast))))
    if case.review is not None:
        facts.append((m("usecase.field.review_taken"), escape(m(f"review.{case.review.value}"))))
    facts.append((m("usecase.field.requested"), case.requested.isoformat()))
    facts.append((m("usecase.field.decided"), case.decided.isoformat() if case.decided else
                  say(m, "usecase.page.undecided")))
    waited = case_turnaround(playbook, case, assessment.tier.id, m, today)
    if waited and (case.decided or outcome_of(result) == PENDING):
        facts.append((m("usecase.field.turnaround"), waited))
    facts.append((m("usecase.field.outcome"), escape(m(f"usecase.outcome.{outcome_of(result)}"))))
    out.append(_facts(facts))
    if case.conditions:
        out += [f"- {escape(c)}\n" for c in case.conditions]
        out.append("\n")
    out.append(f"## {say(m, 'usecase.page.description')}\n" + _markdown_block(case.description) + "\n")

    out.append(f"## {say(m, 'usecase.page.thresholds')}\n\n")
    if not assessment.reasons:
        out.append(f"{say(m, 'usecase.page.no_threshold')}\n\n")
    for reason in assessment.reasons:
        because = "; ".join(describe_answer(questions.get(q), v, m) for q, v in reason.answers.items())
        head = memo(("rule", reason.rule), partial(_reason_line, playbook, reason, base))
        out.append(f"{head}  {escape(m('usecase.page.because', answers=because))}\n")
    out.append("\n")
    if assessment.notes:
        notes = "".join(f"- {escape(note_text(n, m))}\n" for n in assessment.notes)
        out.append(f"**{say(m, 'usecase.page.notes')}**\n\n{notes}\n")

    out.append(f"## {say(m, 'usecase.page.policies')}\n\n")
    # Every case of a tier has the same policies: one list per tier, however many cases.
    out.append(memo(("policies", assessment.tier.id), partial(_policy_list, playbook, result.policies, m, href)))

    out.append(f"## {say(m, 'usecase.page.patterns')}\n\n")
    patterns = [playbook.patterns[p] for p in case.patterns if p in playbook.patterns]
    if patterns:
        items = "".join(memo(("pattern", p.id), partial(_pattern_item, p, m, href)) for p in patterns)
        out.append(f'<ul class="pb-links">\n{items}</ul>\n\n')
    else:
        out.append(f"{say(m, 'usecase.page.no_patterns')}\n\n")

    out.append(f"## {say(m, 'usecase.page.answers')}\n\n")
    out += [f"- {escape(describe_answer(questions.get(q), v, m))}\n" for q, v in case.answers.items()]
    out.append("\n")

    out.append(f"## {say(m, 'usecase.page.value')}\n\n")
    value_rows = value_facts(case, m)
    if value_rows:
        out.append(f"| {say(m, 'usecase.page.measure')} | {say(m, 'usecase.page.amount')} |\n| --- | --: |\n")
        out += [f"| {escape(name)} | {escape(amount)} |\n" for name, amount in value_rows]
        out.append("\n")
    else:
        out.append(f"{say(m, 'usecase.page.no_value')}\n\n")
    if case.value.notes:
        out.append(f"{escape(case.value.notes)}\n\n")
    if case.links:
        out.append(f"## {say(m, 'usecase.page.links')}\n\n")
        items = "".join(f'<li><a href="{escape(r.url)}">{escape(r.title)}</a></li>\n' for r in case.links)
        out.append(f'<ul class="pb-references">\n{items}</ul>\n\n')
    if learned:
        out.append(render("learned.md", m, learned=learned, teams=pilot_names(playbook), base=base, h=Markup(""),
                          report=False, report_about="", report_query=""))
    out.append(f"[{say(m, 'usecase.page.register')}]({base}usecases/index.md)\n")
    return "".join(out)


def _policy_list(playbook: Playbook, policy_ids: list[str], m: Messages, href: Href) -> str:
    policies = [playbook.policies[p] for p in policy_ids if p in playbook.policies]
    if not policies:
        return f"{say(m, 'usecase.page.no_policies')}\n\n"
    items = "".join(f'<li><a href="{escape(href(f"policies/{p.id}.md"))}">{escape(p.title)}</a></li>\n'
                    for p in policies)
    return f'<ul class="pb-links">\n{items}</ul>\n\n'


def _reason_line(playbook: Playbook, reason: Reason, base: str) -> str:
    return f"- {escape(reason.description)} → {tier_link(playbook, reason.tier, base)} `{reason.rule}`  \n"


def _pattern_item(pattern: Pattern, m: Messages, href: Href) -> str:
    status = pattern.status.value
    return (f'<li><a href="{escape(href(f"patterns/{pattern.id}.md"))}">{escape(pattern.title)}</a> '
            f'<span class="pb-badge pb-status-{status}">{escape(m(f"status.{status}"))}</span></li>\n')


def page_href(directory_urls: bool = True) -> Href:
    """Links from a use-case page (``usecases/<id>.md``) to another page, as mkdocs would write them.

    The policy and pattern lists are raw HTML: a tier's list is the same on thousands of pages, and
    Python-Markdown's inline pass over its links was most of the build time of a large register.
    The lists are made from validated ids, so the link check mkdocs would do has nothing to find.
    """
    def url(src_uri: str) -> str:
        stem = src_uri[: -len(".md")]
        return f"{stem}/" if directory_urls else f"{stem}.html"

    here = url("usecases/case.md")
    return lambda src_uri: get_relative_url(url(src_uri), here)


def value_facts(case: PublishedUseCase, m: Messages) -> list[tuple[str, str]]:
    """The value measures a case reports, as (measure, amount) pairs."""
    value = case.value
    rows = []
    if value.hours_saved_per_month is not None:
        rows.append((m("usecase.value.hours"), number(value.hours_saved_per_month)))
    if value.yearly_benefit is not None:
        rows.append((m("usecase.value.benefit"), money(value.yearly_benefit, value.currency)))
    if value.yearly_cost is not None:
        rows.append((m("usecase.value.cost"), money(value.yearly_cost, value.currency)))
    return rows


def usecase_pages(playbook: Playbook, m: Messages, directory_urls: bool = True) -> list[tuple[str, str, str]]:
    """(page path, Markdown, YAML file to edit) for every use case whose answers classify."""
    today, memo, href = dt.date.today(), _Memo(), page_href(directory_urls)
    learned = playbook.learnings_about("usecases")
    return [
        (f"usecases/{key}.md", usecase_page(playbook, result, m, today=today, memo=memo, href=href,
                                            learned=learned.get(key, [])),
         f"usecases/{key}.yml")
        for key, result in assessed(playbook).items()
    ]


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
         OUTCOMES.index(outcome_of(r)), r.case.requested.isoformat(),
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


def register_page(playbook: Playbook, m: Messages, url_of: UrlOf) -> str:
    """The register: filters and a page of 50 rows the script fills from the published JSON.

    Without scripts the reader gets the counts per team and the latest 50 requests, as links.
    """
    results = _ordered(assessed(playbook).values())
    if not results:
        return f"{say(m, 'usecase.register.empty')}\n"
    teams = list(dict.fromkeys([*playbook.pilots, *sorted({r.case.team for r in results})]))
    tally = Counter(r.case.team for r in results)
    pilots_url = url_of("pilots.md")
    # Every use-case page is usecases/<id>.md: one address, split around the id, serves every row.
    sample = results[0].case.id
    href = url_of(f"usecases/{sample}.md").rsplit(sample, 1)
    filters = [
        ("team", "usecase.field.team", [(t, team_name(playbook, t)) for t in teams]),
        ("tier", "usecase.field.tier", [(t.id, t.name) for t in playbook.tiers]),
        ("status", "usecase.field.status", [(s.value, m(f"usecase.status.{s.value}")) for s in UseCaseStatus]),
        ("outcome", "usecase.field.outcome", [(o, m(f"usecase.outcome.{o}")) for o in OUTCOMES]),
    ]
    rows = [
        {"id": r.case.id, "title": r.case.title, "team": team_name(playbook, r.case.team),
         "tier": r.assessment.tier.name,
         "status": m(f"usecase.status.{r.case.status.value}"), "outcome": m(f"usecase.outcome.{outcome_of(r)}"),
         "requested": r.case.requested.isoformat(), "decided": r.case.decided.isoformat() if r.case.decided else ""}
        for r in results[:PAGE_SIZE]
    ]
    team_rows = [(t, team_name(playbook, t), f"{pilots_url}#pilot-{t}" if t in playbook.pilots else None, tally[t])
                 for t in teams]
    columns = ["usecase.field.title", "usecase.field.team", "usecase.field.tier", "usecase.field.status",
               "usecase.field.outcome", "usecase.field.requested", "usecase.field.decided"]
    intro = escape(m("usecase.register.intro", count=len(results), teams=sum(1 for t in teams if tally[t])))
    return f"{intro}\n\n" + render(
        "register.html", m, src=url_of(REGISTER_JSON), href=href, filters=filters, rows=rows, total=len(results),
        columns=columns, teams=team_rows)


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
