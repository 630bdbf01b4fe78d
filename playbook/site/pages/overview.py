"""Sections of the hand-written pages: catalog, policy index, tiers, roadmap, pilots, decision rights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup

from playbook.assess.classify import classify, parse_answers
from playbook.data.model.items import Decision, Pilot, Policy, Question, Role, Status, Step, Tier
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.pages.items import checklist_html, tier_names
from playbook.site.text import render

_STATUS_ORDER = list(Status)


def _filter(kind: str, playbook: Playbook, statuses: bool = True) -> dict[str, object]:
    """What filter.html needs: the box's kind, the statuses to offer, the tiers."""
    return {"kind": kind, "statuses": [s.value for s in Status] if statuses else [], "tiers": playbook.tiers}


def pattern_catalog(playbook: Playbook, messages: Messages, href: Callable[[str], str],
                    marks: Mapping[str, str] | None = None, days: int = 0, hold: Callable[[str], str] = str) -> str:
    """Every pattern, grouped by category, with status, tiers and summary, filterable in the page.

    ``href`` gives the link from the page to the page built from a source path (``patterns/x.md``). ``marks`` is
    ``new`` or ``updated`` by pattern id, for the patterns changed in the last ``days`` days. ``hold`` gives what
    the Markdown holds for each table (:meth:`~playbook.site.pagemacros.MacroContext.hold`).
    """
    patterns = sorted(
        playbook.patterns.values(),
        key=lambda p: (p.category.lower(), _STATUS_ORDER.index(p.status) * -1, p.title.lower()),
    )
    categories = [(category, list(group)) for category, group in groupby(patterns, key=lambda p: p.category)]
    return render("catalog.md", messages, **_filter("patterns", playbook), categories=categories, href=href,
                  tier_names=tier_names(playbook), marks=marks or {}, days=days, hold=_held(hold))


def policy_index(playbook: Playbook, messages: Messages, href: Callable[[str], str],
                 marks: Mapping[str, str] | None = None, days: int = 0, hold: Callable[[str], str] = str) -> str:
    """Every policy with its tiers, the patterns that satisfy it and its owner, filterable in the page;
    ``href``, ``marks`` and ``hold`` as for :func:`pattern_catalog`."""

    def policy_patterns(policy: Policy) -> list[object]:
        return [playbook.patterns[pid] for pid in policy.patterns if pid in playbook.patterns]

    policies = sorted(playbook.policies.values(), key=lambda p: p.title.lower())
    return render("policy_index.md", messages, **_filter("policies", playbook, statuses=False), policies=policies,
                  policy_patterns=policy_patterns, href=href, tier_names=tier_names(playbook), marks=marks or {},
                  days=days, hold=_held(hold))


def _held(hold: Callable[[str], str]) -> Callable[[str], Markup]:
    """``hold`` for a template: what it gives is markup to write as it is (the HTML given, or a mark)."""
    return lambda html: Markup(hold(str(html).strip()))


def tier_table(playbook: Playbook, messages: Messages, base: str = "") -> str:
    """Each tier as a section: what falls in it, how it is reviewed and audited."""
    rules = playbook.risk_tiers.rules if playbook.risk_tiers else []

    def rules_of(tier: Tier) -> list[object]:
        return [r for r in rules if r.tier == tier.id]

    def policies_of(tier: Tier) -> list[Policy]:
        return [p for p in playbook.policies.values() if tier.id in p.tiers]

    return render("tiers.md", messages, tiers=playbook.tiers, rules_of=rules_of, policies_of=policies_of, base=base)


def _option_labels(question: Question, values: list[str]) -> list[str]:
    labels = {o.id: o.label for o in question.options}
    return [labels.get(v, v) for v in values]


def threshold_table(playbook: Playbook, messages: Messages) -> str:
    """The rules, as data: when each fires and the tier it gives."""
    risk = playbook.risk_tiers
    if risk is None:
        return ""
    return render("thresholds.md", messages, rules=risk.rules, questions={q.id: q for q in risk.questions},
                  tiers=risk.tiers, tier_names=tier_names(playbook), labels=_option_labels)


def example_table(playbook: Playbook, messages: Messages) -> str:
    """The worked examples with the tier the thresholds give each, computed, not typed in."""
    risk = playbook.risk_tiers
    if risk is None:
        return ""
    examples = [
        (example, classify(parse_answers(risk, example.answers), risk, example.patterns, playbook.patterns))
        for example in risk.examples
    ]
    return render("examples.md", messages, examples=examples)


def roadmap_overview(playbook: Playbook, messages: Messages, base: str = "") -> str:
    """The steps as a row of cards, each linking to its page."""
    if playbook.roadmap is None:
        return ""
    return render("roadmap.md", messages, steps=playbook.roadmap.steps, base=base)


def full_checklist(playbook: Playbook, messages: Messages) -> str:
    if playbook.roadmap is None:
        return ""
    return checklist_html(playbook, list(playbook.roadmap.steps), messages)


@dataclass(frozen=True)
class PilotStatus:
    """Where a pilot stands: items done per step, where its dates say it should be, and flags."""

    per_step: list[tuple[Step, int, int]]
    """Each roadmap step with the items done and the items in it."""
    current: Step | None
    """The step the pilot is on."""
    elapsed: int
    """Days since the start, from 0 up to the length of the window."""
    span: int
    """Days from start to end."""
    flags: list[str]
    """Why the pilot needs attention, if it does, in the site's language."""


def pilot_status(playbook: Playbook, pilot: Pilot, today: dt.date, messages: Messages) -> PilotStatus:
    """The pilot's quarter covers the roadmap's pilot-window step: before it starts the pilot should be
    on an earlier step, during it on that step, after it on a later one."""
    steps = list(playbook.roadmap.steps) if playbook.roadmap else []
    per_step = [(s, sum(pilot.checklist.get(i.id, False) for i in s.checklist), len(s.checklist)) for s in steps]
    ids = [s.id for s in steps]
    current = ids.index(pilot.step) if pilot.step in ids else None
    span = max((pilot.end - pilot.start).days, 1)
    elapsed = min(max((today - pilot.start).days, 0), span)
    flags = []
    if today > pilot.end:
        flags.append(messages("site.pilots.flag_past_end", date=pilot.end.isoformat()))
    window = next((i for i, s in enumerate(steps) if s.pilot_window), None)
    if window is not None and current is not None:
        expected = window - 1 if today < pilot.start else window if today <= pilot.end else window + 1
        expected = min(max(expected, 0), len(steps) - 1)
        if current < expected:
            flags.append(messages("site.pilots.flag_behind", expected=expected + 1, title=steps[expected].title,
                                  current=current + 1))
    return PilotStatus(per_step, steps[current] if current is not None else None, elapsed, span, flags)


def pilot_progress(playbook: Playbook, messages: Messages, base: str = "", today: dt.date | None = None,
                   depth: int = 0, anchor: str = "pilot", usecases: Mapping[str, int] | None = None,
                   trends: Mapping[str, Markup] | None = None) -> str:
    """Each pilot's step, progress, quarter window and metrics; ``anchor`` prefixes each pilot's section id.

    ``usecases`` (registered use cases by team) adds a link to the register, filtered to the team; ``trends``
    (each team's charts over time) the team's own trend.
    """
    today = today or dt.date.today()
    pilots = [(pilot, pilot_status(playbook, pilot, today, messages)) for pilot in playbook.pilots.values()]
    return render("pilots.md", messages, pilots=pilots, base=base, h=Markup("#" * depth), anchor=anchor,
                  usecases=usecases, trends=trends)


_RACI = (("R", "responsible"), ("A", "accountable"), ("C", "consulted"), ("I", "informed"))


def decision_matrix(playbook: Playbook, messages: Messages, base: str = "", depth: int = 0) -> str:
    """Decisions by roles with R, A, C and I; central or distributed; where each escalates."""
    rights = playbook.decision_rights
    if rights is None:
        return ""

    def raci(decision: Decision, role: Role) -> str:
        return "".join(letter for letter, field in _RACI if role.id in getattr(decision.raci, field))

    def letters_title(letters: str) -> str:
        words = {letter: messages(f"site.decisions.{field}") for letter, field in _RACI}
        return ", ".join(words[letter] for letter in letters)

    groups = [
        (f"site.decisions.{ownership}", [d for d in rights.decisions if d.ownership == ownership])
        for ownership in ("central", "distributed")
    ]
    return render("decisions.md", messages, groups=groups, roles=rights.roles, raci=raci,
                  letters_title=letters_title, tier_names=tier_names(playbook), base=base, h=Markup("#" * depth))


def stats(playbook: Playbook) -> dict[str, int]:
    return {
        "patterns": len(playbook.patterns),
        "adopted": sum(p.status is Status.adopted for p in playbook.patterns.values()),
        "policies": len(playbook.policies),
        "tiers": len(playbook.tiers),
        "questions": len(playbook.risk_tiers.questions) if playbook.risk_tiers else 0,
        "pilots": len(playbook.pilots),
        "steps": len(playbook.roadmap.steps) if playbook.roadmap else 0,
        "learnings": len(playbook.learnings),
    }
