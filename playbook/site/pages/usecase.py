"""The page of each registered use case: what its answers give (tier, review, thresholds, policies), what it
is built on, where its decision stands, the value it reports and the learnings naming it.

Pages see :class:`~playbook.data.model.usecase.PublishedUseCase` fields only: reviewers and audits stay
internal. The register page and its data are in :mod:`playbook.site.pages.register`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from markupsafe import Markup
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from playbook.assess.explain import note_text
from playbook.data.model.items import Question
from playbook.data.model.playbook import Playbook
from playbook.data.model.usecase import PublishedUseCase
from playbook.i18n import Messages
from playbook.register.metrics import business_days
from playbook.register.similar import SimilarWork
from playbook.site.pages.items import pilot_names
from playbook.site.pages.register import assessed, case_address, outcome_of
from playbook.site.text import money, number, render, template_macros

Href = Callable[[str], str]
"""Turns a page's source path into a link from any use-case page (they all sit at the same depth)."""


def page_href(directory_urls: bool = True, from_source: bool = False) -> Href:
    """Links from a use-case page (``usecases/<id>.md``) to another page, as mkdocs would write them: from the
    page's address, or with ``from_source`` from its source file's folder, which Zensical reads them from."""
    @cache
    def url(src_uri: str) -> str:
        return File(src_uri, None, "", directory_urls).url

    here = "usecases/" if from_source else url("usecases/case.md")
    return lambda src_uri: get_relative_url(url(src_uri), here)


def describe_answer(question: Question | None, value: object, m: Messages) -> str:
    """An answer as a reader reads it: the question, then the option's label, yes or no, or the amount."""
    if question is None:
        return str(value)
    labels = {o.id: o.label for o in question.options}
    if question.type == "yes_no":
        shown = m("usecase.yes") if value is True else m("usecase.no")
    elif question.type == "amount" and isinstance(value, (int, float)):
        shown = money(float(value), question.currency, m)
    elif isinstance(value, list):
        shown = ", ".join(labels.get(str(v), str(v)) for v in value) or m("usecase.none")
    else:
        shown = labels.get(str(value), str(value))
    return f"{question.text} {shown}"


def value_facts(case: PublishedUseCase, m: Messages) -> list[tuple[str, str]]:
    """The value measures a case reports, as (measure, amount) pairs."""
    value = case.value
    rows = []
    if value.hours_saved_per_month is not None:
        rows.append((m("usecase.value.hours"), number(value.hours_saved_per_month, m)))
    if value.yearly_benefit is not None:
        rows.append((m("usecase.value.benefit"), money(value.yearly_benefit, value.currency, m)))
    if value.yearly_cost is not None:
        rows.append((m("usecase.value.cost"), money(value.yearly_cost, value.currency, m)))
    return rows


@dataclass(frozen=True)
class Turnaround:
    """Business days from request to decision, or to today while the decision is pending."""

    days: int
    target: int
    """The tier's target, in business days."""

    @property
    def late(self) -> bool:
        return self.days > self.target


@dataclass(frozen=True)
class CaseLinks:
    """The links every use-case page writes in its HTML (they all sit at the same depth)."""

    pilots: str
    tiers: str
    register: str
    case: tuple[str, str]
    """Another case's page: the link is ``case[0] + id + case[1]``."""

    @classmethod
    def of(cls, href: Href) -> CaseLinks:
        # Any id but the one page_href links from ("case"), whose link to itself holds no id.
        return cls(href("pilots.md"), href("risk-tiers.md"), href("usecases/index.md"), case_address(href, "other"))


class UseCasePages:
    """The use-case kind's page renderer: ``pages(case, n)`` is the Markdown of the case's page.

    Built once per site, it holds what every page needs: each case's computed assessment, worked out once
    for all cases, and the Markdown that many pages share (a tier's policies, a pattern's line, a
    threshold's line), rendered the first time a page needs it. ``hold`` takes each HTML block of a page and gives
    what the page's Markdown carries for it (see :meth:`playbook.site.plugin.PlaybookPlugin.hold`).
    """

    def __init__(self, playbook: Playbook, messages: Messages, directory_urls: bool = True,
                 today: dt.date | None = None, base: str = "../", links_from_source: bool = False,
                 hold: Callable[[str], str] | None = None) -> None:
        self.playbook = playbook
        self.messages = messages
        self.today = today or dt.date.today()
        self.base = base
        self.results = assessed(playbook)
        risk = playbook.risk_tiers
        self.questions = {q.id: q for q in risk.questions} if risk else {}
        self.tiers = {t.id: t for t in playbook.tiers}
        self.tier_names = {t.id: t.name for t in playbook.tiers}
        self.href = page_href(directory_urls, links_from_source)
        self.links = CaseLinks.of(self.href)
        self.hold = hold
        self.parts = template_macros("usecase_parts.md", messages, base=base, href=self.href)
        # One index of the whole register, built once: each page asks it for its own few similar cases.
        self.similar = SimilarWork(playbook.usecases.values(), messages.language)
        self.made: dict[tuple[str, str], Markup] = {}
        self.learned = playbook.learnings_about("usecases")
        self.teams = pilot_names(playbook)

    def shared(self, part: str, key: str, args: Callable[[], tuple[Any, ...]]) -> Markup:
        """The macro ``part`` of ``usecase_parts.md`` for ``key``, rendered once per build from ``args()``."""
        found = self.made.get((part, key))
        if found is None:
            found = self.made[(part, key)] = getattr(self.parts, part)(*args())
        return found

    def turnaround(self, case: PublishedUseCase, tier_id: str, outcome: str) -> Turnaround | None:
        """The wait against the tier's target, for a decided case or one waiting for a decision."""
        tier = self.tiers.get(tier_id)
        if tier is None or tier.turnaround_days is None or not (case.decided or outcome == "pending"):
            return None
        return Turnaround(business_days(case.requested, case.decided or self.today), tier.turnaround_days)

    def has_page(self, case_id: str) -> bool:
        """Whether the case gets a page: its answers classify."""
        return case_id in self.results

    def __call__(self, case: PublishedUseCase, _number: int = 0) -> str | None:
        """The page of ``case``; None for a case whose answers do not classify (``playbook check`` fails it)."""
        result = self.results.get(case.id)
        if result is None:
            return None
        m, playbook, assessment = self.messages, self.playbook, result.assessment
        outcome = outcome_of(case, assessment.review)
        tier = assessment.tier
        return render(
            "usecase.md", m,
            case=case,
            base=self.base,
            pilot=playbook.pilots.get(case.team),
            assessment=assessment,
            tier_names=self.tier_names,
            outcome=outcome,
            turnaround=self.turnaround(case, assessment.tier.id, outcome),
            reasons=[
                (self.shared("threshold", reason.rule,
                             lambda: (reason, self.tier_names.get(reason.tier, reason.tier))),  # noqa: B023 - called at once
                 "; ".join(describe_answer(self.questions.get(q), v, m) for q, v in reason.answers.items()))
                for reason in assessment.reasons
            ],
            notes=[note_text(note, m) for note in assessment.notes],
            # Every case of a tier has the same policies: one list per tier, however many cases.
            policies=self.shared("policy_list", tier.id, lambda: (
                [playbook.policies[p] for p in result.policies if p in playbook.policies],)),
            patterns=[self.shared("pattern_item", p, lambda: (playbook.patterns[p],))  # noqa: B023 - called at once
                      for p in case.patterns if p in playbook.patterns],
            answers=[describe_answer(self.questions.get(q), v, m) for q, v in case.answers.items()],
            value=value_facts(case, m),
            learned=self.learned.get(case.id, []),
            teams=self.teams,
            similar=[(match, self.pattern_titles(match.patterns)) for match in self.similar.of(case.id)],
            links=self.links,
            hold=self.hold,
        )

    def pattern_titles(self, ids: list[str]) -> str:
        """The patterns' titles, joined: what two similar cases share."""
        patterns = self.playbook.patterns
        return ", ".join(patterns[p].title if p in patterns else p for p in ids)
