"""Sections of the hand-written pages: catalog, policy index, tiers, roadmap, pilots, decision rights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from ..classify import REVIEW_LABELS, classify, parse_answers
from ..model import Pilot, Playbook, Question, Status, Step
from .items import STATUS_LABELS, checklist_html, status_badge, tier_badges
from .text import esc, link, md, md_attr, money, percent

_STATUS_ORDER = list(Status)


def filter_box(kind: str, playbook: Playbook, statuses: bool = True) -> str:
    """Controls that narrow the tables below them; driven by playbook.js, inert without it."""
    tiers = "".join(f'<option value="{esc(t.name)}">{esc(t.name)}</option>' for t in playbook.tiers)
    status = ""
    if statuses:
        options = "".join(f'<option value="{esc(label)}">{esc(label)}</option>' for label in STATUS_LABELS.values())
        status = (
            f'<label>Status <select class="pb-filter-status"><option value="">Any</option>{options}</select></label> '
        )
    return (
        f'\n<div class="pb-filter" data-kind="{esc(kind)}" markdown="0">'
        f'<label>Filter <input type="search" class="pb-filter-text" placeholder="Type to filter {esc(kind)}" '
        f'aria-label="Filter {esc(kind)}"></label> {status}'
        f'<label>Tier <select class="pb-filter-tier"><option value="">Any</option>{tiers}</select></label> '
        '<span class="pb-filter-count" aria-live="polite"></span></div>\n\n'
    )


def pattern_catalog(playbook: Playbook, base: str = "") -> str:
    """Every pattern, grouped by category, with status, tiers and summary, filterable in the page."""
    out = [filter_box("patterns", playbook)]
    patterns = sorted(
        playbook.patterns.values(),
        key=lambda p: (p.category.lower(), _STATUS_ORDER.index(p.status) * -1, p.title.lower()),
    )
    for category, group in groupby(patterns, key=lambda p: p.category):
        out.append(f"## {md(category)}\n\n| Pattern | Status | Approved for | Summary |\n| --- | --- | --- | --- |\n")
        for p in group:
            # The span sits in a Markdown table: md() keeps brackets, pipes and the like as text.
            aka = f' <span class="pb-aka">also: {md(", ".join(p.aliases))}</span>' if p.aliases else ""
            out.append(
                f"| {link(p.title, f'patterns/{p.id}.md', base)}{aka} | {status_badge(p.status)} | "
                f"{tier_badges(playbook, p.tiers, base)} | {md(p.summary)} |\n"
            )
        out.append("\n")
    if not playbook.patterns:
        out.append("No patterns yet. Add one with `playbook new pattern ID`.\n")
    return "".join(out)


def policy_index(playbook: Playbook, base: str = "") -> str:
    out = [filter_box("policies", playbook, statuses=False)]
    out.append("| Policy | Applies to | Satisfied by | Owner |\n| --- | --- | --- | --- |\n")
    for policy in sorted(playbook.policies.values(), key=lambda p: p.title.lower()):
        patterns = ", ".join(
            link(playbook.patterns[pid].title, f"patterns/{pid}.md", base)
            for pid in policy.patterns
            if pid in playbook.patterns
        )
        out.append(
            f"| {link(policy.title, f'policies/{policy.id}.md', base)} | {tier_badges(playbook, policy.tiers, base)} | "
            f"{patterns} | {md(policy.owner)} |\n"
        )
    return "".join(out) + "\n"


def tier_table(playbook: Playbook, base: str = "") -> str:
    """Each tier as a section: what falls in it, how it is reviewed and audited."""
    out = [
        "| Tier | Review path | With adopted patterns | Audit sampling | Turnaround |\n"
        "| --- | --- | --- | --- | --- |\n"
    ]
    for tier in playbook.tiers:
        fast = REVIEW_LABELS[tier.fast_track] if tier.fast_track else "—"
        out.append(
            f"| [{md(tier.name)}](#tier-{tier.id}) | {REVIEW_LABELS[tier.review]} | {fast} | "
            f"{percent(tier.audit_sampling)} of decisions | {md(tier.turnaround)} |\n"
        )
    out.append("\n")
    for tier in playbook.tiers:
        out.append(f"## {md(tier.name)} {{ #tier-{tier.id} }}\n\n{md(tier.description)}\n\n")
        out.append(f"- **Review path:** {REVIEW_LABELS[tier.review]}\n")
        if tier.fast_track:
            out.append(
                f"- **Built only from adopted patterns approved for this tier:** {REVIEW_LABELS[tier.fast_track]}\n"
            )
        out.append(f"- **Audit:** {percent(tier.audit_sampling)} of decisions sampled\n")
        out.append(f"- **Target turnaround:** {md(tier.turnaround)}\n")
        rules = [r for r in playbook.risk_tiers.rules if r.tier == tier.id] if playbook.risk_tiers else []
        if rules:
            out.append("- **Thresholds that place a use case here:**\n")
            out += [f"    - {md(r.description)}\n" for r in rules]
        policies = [p for p in playbook.policies.values() if tier.id in p.tiers]
        if policies:
            out.append(
                "- **Policies that apply:** "
                + ", ".join(link(p.title, f"policies/{p.id}.md", base) for p in policies)
                + "\n"
            )
        out.append("\n")
    return "".join(out)


def describe_condition(question: Question | None, condition: object) -> str:
    from ..model import Condition

    assert isinstance(condition, Condition)
    if question is None:
        return md(condition.question)
    text = md(question.text)
    labels = {o.id: o.label for o in question.options}
    if condition.equals is not None:
        return f"{text} **{'Yes' if condition.equals else 'No'}**"
    if condition.in_ is not None:
        return f"{text} **{md(' or '.join(labels.get(v, v) for v in condition.in_))}**"
    if condition.any_of is not None:
        return f"{text} **any of: {md(', '.join(labels.get(v, v) for v in condition.any_of))}**"
    return f"{text} **at least {md(money(condition.at_least or 0, question.currency))}**"


def threshold_table(playbook: Playbook) -> str:
    """The rules, as data: when each fires and the tier it gives."""
    risk = playbook.risk_tiers
    if risk is None:
        return ""
    questions = {q.id: q for q in risk.questions}
    names = {t.id: t.name for t in risk.tiers}
    out = ["| Threshold | When | Minimum tier |\n| --- | --- | --- |\n"]
    for rule in risk.rules:
        when = "; and ".join(describe_condition(questions.get(c.question), c) for c in rule.when)
        out.append(
            f"| {md(rule.description)} `{rule.id}` | {when} | "
            f"[{md(names.get(rule.tier, rule.tier))}](#tier-{rule.tier}) |\n"
        )
    lowest = risk.tiers[0].name
    out.append(
        f"\nWhen no threshold is crossed, the use case is in **{md(lowest)}**. "
        "When several are, the highest tier wins.\n"
    )
    return "".join(out)


def example_table(playbook: Playbook) -> str:
    """The worked examples with the tier the thresholds give each, computed, not typed in."""
    risk = playbook.risk_tiers
    if risk is None:
        return ""
    out = ["| Use case | Tier | Review path | Why |\n| --- | --- | --- | --- |\n"]
    for example in risk.examples:
        result = classify(parse_answers(risk, example.answers), risk, example.patterns, playbook.patterns)
        why = "; ".join(md(r.description) for r in result.reasons) or "No threshold crossed"
        if result.fast_track:
            why += " (fast track: built only on adopted patterns)"
        out.append(
            f"| {md(example.description)} | [{md(result.tier.name)}](#tier-{result.tier.id}) | "
            f"{REVIEW_LABELS[result.review]} | {why} |\n"
        )
    return "".join(out) + "\n"


def roadmap_overview(playbook: Playbook, base: str = "") -> str:
    """The steps as a row of cards, each linking to its page."""
    if playbook.roadmap is None:
        return ""
    out = ['\n<ol class="pb-roadmap" markdown="1">\n']
    for number, step in enumerate(playbook.roadmap.steps, 1):
        out.append(
            f'<li class="pb-roadmap-step" markdown="1">\n'
            f'<span class="pb-step-no" aria-hidden="true">{number}</span>\n'
            f'<span class="pb-step-title" markdown="1">{link(step.title, f"rollout/{step.id}.md", base)}</span>\n'
            f'<span class="pb-step-goal">{md(step.goal)}</span>\n'
            f'<span class="pb-step-meta">{md(step.duration)} · {len(step.checklist)} checklist items</span>\n'
            "</li>\n"
        )
    out.append("</ol>\n\n")
    return "".join(out)


def full_checklist(playbook: Playbook) -> str:
    if playbook.roadmap is None:
        return ""
    return checklist_html(playbook, list(playbook.roadmap.steps))


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
    """Why the pilot needs attention, if it does."""


def pilot_status(playbook: Playbook, pilot: Pilot, today: dt.date) -> PilotStatus:
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
        flags.append(f"past its end date ({pilot.end.isoformat()})")
    window = next((i for i, s in enumerate(steps) if s.pilot_window), None)
    if window is not None and current is not None:
        expected = window - 1 if today < pilot.start else window if today <= pilot.end else window + 1
        expected = min(max(expected, 0), len(steps) - 1)
        if current < expected:
            flags.append(
                f"behind: its dates put it on step {expected + 1} ({steps[expected].title}), "
                f"it is on step {current + 1}"
            )
    return PilotStatus(per_step, steps[current] if current is not None else None, elapsed, span, flags)


def pilot_progress(playbook: Playbook, base: str = "", today: dt.date | None = None,
                   usecases_line: Callable[[str], str] | None = None) -> str:
    """Each pilot's section; ``usecases_line(team)`` adds the line linking to the team's use cases."""
    today = today or dt.date.today()
    if not playbook.pilots:
        return "No pilots yet. Start one with `playbook new pilot TEAM`.\n"
    out = []
    for pilot in playbook.pilots.values():
        status = pilot_status(playbook, pilot, today)
        current = status.current
        example = " (example)" if pilot.example else ""
        out.append(f"## {md(pilot.name)}{example} {{ #pilot-{pilot.team} }}\n\n")
        out.append(f"- **Sponsor:** {md(pilot.sponsor)}\n")
        out.append(
            f"- **Quarter:** {pilot.start.isoformat()} to {pilot.end.isoformat()} "
            f"(day {status.elapsed} of {status.span})\n"
        )
        if current is not None:
            out.append(f"- **Current step:** {link(current.title, f'rollout/{current.id}.md', base)}\n")
        if usecases_line is not None:
            out.append(usecases_line(pilot.team))
        for flag in status.flags:
            out.append(f'- <span class="pb-flag">Attention: {esc(flag)}</span>\n')
        out.append("\n| Step | Done | Progress |\n| --- | --- | --- |\n")
        for step, done, total in status.per_step:
            share = done / total if total else 0
            label = f"{md_attr(step.title)}: {done} of {total} done"
            bar = f'<progress value="{done}" max="{total}" aria-label="{label}"></progress>'
            out.append(f"| {md(step.title)} | {done} of {total} ({percent(share)}) | {bar} |\n")
        out.append("\n")
        for label, metrics in (("Outcome metrics", pilot.metrics.outcome), ("Process metrics", pilot.metrics.process)):
            if metrics:
                out.append(f"**{label}**\n\n| Metric | Value |\n| --- | --- |\n")
                out += [f"| {md(m.name)} | {md(m.value)} |\n" for m in metrics]
                out.append("\n")
    return "".join(out)


def decision_matrix(playbook: Playbook, base: str = "") -> str:
    """Decisions by roles with R, A, C and I; central or distributed; where each escalates."""
    rights = playbook.decision_rights
    if rights is None:
        return ""
    names = {t.id: t.name for t in playbook.tiers}
    out = []
    for ownership, title in (
        ("central", "Decisions that stay central"),
        ("distributed", "Decisions made by business units"),
    ):
        decisions = [d for d in rights.decisions if d.ownership == ownership]
        if not decisions:
            continue
        header = " | ".join(md(r.name) for r in rights.roles)
        out.append(f'## {title}\n\n<div class="pb-matrix" markdown="1">\n\n')
        out.append(f"| Decision | {header} | Escalates to central review from |\n")
        out.append("| --- |" + " :-: |" * len(rights.roles) + " --- |\n")
        for d in decisions:
            cells = []
            for role in rights.roles:
                letters = "".join(
                    letter
                    for letter, field in (
                        ("R", "responsible"),
                        ("A", "accountable"),
                        ("C", "consulted"),
                        ("I", "informed"),
                    )
                    if role.id in getattr(d.raci, field)
                )
                cells.append(
                    f'<span class="pb-raci" title="{esc(_raci_title(letters))}">{letters}</span>' if letters else ""
                )
            escalation = (
                f"[{md(names.get(d.escalates_from, d.escalates_from))}]({base}risk-tiers.md#tier-{d.escalates_from})"
                if d.escalates_from
                else ("always central" if ownership == "central" else "—")
            )
            name = f"[{md(d.name)}](#decision-{d.id})" if d.description else md(d.name)
            out.append(f"| {name} | " + " | ".join(cells) + f" | {escalation} |\n")
        out.append("\n</div>\n\n")
        described = [d for d in decisions if d.description]
        if described:
            out += [f"- **{md(d.name)}**{{ #decision-{d.id} }}: {md(d.description or '')}\n" for d in described]
            out.append("\n")
    out.append(
        "**R** responsible (does the work) · **A** accountable (owns the outcome; exactly one) · "
        "**C** consulted before · **I** informed after\n\n"
    )
    out.append("### Roles\n\n")
    out += [f"- **{md(r.name)}**" + (f": {md(r.description)}" if r.description else "") + "\n" for r in rights.roles]
    return "".join(out)


def _raci_title(letters: str) -> str:
    words = {"R": "responsible", "A": "accountable", "C": "consulted", "I": "informed"}
    return ", ".join(words[c] for c in letters)


def stats(playbook: Playbook) -> dict[str, int]:
    return {
        "patterns": len(playbook.patterns),
        "adopted": sum(p.status is Status.adopted for p in playbook.patterns.values()),
        "policies": len(playbook.policies),
        "tiers": len(playbook.tiers),
        "questions": len(playbook.risk_tiers.questions) if playbook.risk_tiers else 0,
        "pilots": len(playbook.pilots),
        "steps": len(playbook.roadmap.steps) if playbook.roadmap else 0,
    }
