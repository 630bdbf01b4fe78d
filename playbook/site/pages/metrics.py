"""The register's metrics page: use cases per tier and team, the governed path's adoption, decision
turnaround against each tier's target, the longest waits and the value teams report.
"""

from __future__ import annotations

from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.register.metrics import RegisterMetrics
from playbook.site.pages.register import team_link, tier_link
from playbook.site.text import escape, link, money, number, percent, say


def _bar(share: float) -> str:
    """A bar as wide as the share; the figure beside it says the same in words."""
    return (f'<span class="pb-bar-track" aria-hidden="true">'
            f'<span class="pb-bar" style="width: {share * 100:.1f}%"></span></span>')


def _days(value: float | None) -> str:
    """Business days in a table whose heading gives the unit."""
    return "—" if value is None else number(value)


def metrics_page(playbook: Playbook, metrics: RegisterMetrics, m: Messages, base: str = "") -> str:
    """Outcomes and process, from the register: counts per tier and team, the governed path's adoption,
    decision turnaround against each tier's target with the longest waits, and reported value."""
    if not metrics.cases:
        return f"{say(m, 'usecase.metrics.empty')}\n"
    total = metrics.cases
    out = [f"## {say(m, 'usecase.metrics.per_tier')}\n\n"]
    out.append(f"| {say(m, 'usecase.field.tier')} | {say(m, 'usecase.metrics.count')} | "
               f"{say(m, 'usecase.metrics.share')} | |\n| --- | --: | --: | --- |\n")
    for row in metrics.by_tier:
        out.append(f"| {tier_link(playbook, row.key, base)} | {row.cases} | {percent(round(row.cases / total, 3))} | "
                   f"{_bar(row.cases / total)} |\n")
    out.append(f"\n## {say(m, 'usecase.metrics.per_team')}\n\n")
    out.append(f"| {say(m, 'usecase.field.team')} | {say(m, 'usecase.metrics.count')} | "
               f"{say(m, 'usecase.metrics.share')} | |\n| --- | --: | --: | --- |\n")
    for team in metrics.by_team:
        link_to = f"[{team.cases}]({base}usecases/index.md?team={team.key})" if team.cases else "0"
        out.append(f"| {team_link(playbook, team.key, base)} | {link_to} | "
                   f"{percent(round(team.cases / total, 3))} | {_bar(team.cases / total)} |\n")

    adoption = metrics.adoption
    out.append(f"\n## {say(m, 'usecase.metrics.adoption')}\n\n")
    out.append(escape(m("usecase.metrics.adoption_text", on_adopted=adoption.on_adopted, built=adoption.built,
                    share=percent(round(adoption.share, 3)) if adoption.share is not None else "—")) + "\n\n")

    out.append(f"## {say(m, 'usecase.metrics.turnaround')}\n\n{say(m, 'usecase.metrics.unit')}\n\n")
    out.append(f"| {say(m, 'usecase.field.tier')} | {say(m, 'usecase.metrics.target')} | "
               f"{say(m, 'usecase.metrics.decisions')} | {say(m, 'usecase.metrics.median')} | "
               f"{say(m, 'usecase.metrics.p90')} | {say(m, 'usecase.metrics.within_target')} | "
               f"{say(m, 'usecase.metrics.pending')} |\n| --- | --: | --: | --: | --: | --: | --: |\n")
    for tier in metrics.turnaround:
        within = say(m, "usecase.metrics.of", part=tier.within_target, whole=tier.decisions) if tier.decisions else "—"
        p90 = _days(tier.p90)
        if tier.p90 is not None and tier.target is not None and tier.p90 > tier.target:
            p90 = f'<span class="pb-flag">{p90}</span>'
        out.append(f"| {tier_link(playbook, tier.tier, base)} | {_days(tier.target)} | {tier.decisions} | "
                   f"{_days(tier.median)} | {p90} | {within} | {tier.pending} |\n")

    out.append(f"\n## {say(m, 'usecase.metrics.waiting')}\n\n{say(m, 'usecase.metrics.waiting_text')}\n\n")
    # A wait of no business day is no bottleneck: only the cases that did wait are named.
    waits = [w for tier in metrics.turnaround for w in tier.longest if w.days]
    if waits:
        out.append(f"| {say(m, 'usecase.field.title')} | {say(m, 'usecase.field.tier')} | "
                   f"{say(m, 'usecase.metrics.waited')} | {say(m, 'usecase.metrics.target')} |\n"
                   "| --- | --- | --: | --: |\n")
        for wait in waits:
            case = playbook.usecases[wait.id]
            waited = _days(wait.days) + (f" ({say(m, 'usecase.metrics.open')})" if wait.pending else "")
            if wait.late:
                waited = f'<span class="pb-flag">{waited}</span>'
            out.append(f"| {link(case.title, f'usecases/{wait.id}.md', base)} | "
                       f"{tier_link(playbook, wait.tier, base)} | {waited} | {_days(wait.target)} |\n")
        out.append("\n")

    out.append(f"## {say(m, 'usecase.metrics.value')}\n\n")
    if not metrics.value:
        out.append(f"{say(m, 'usecase.metrics.value_none')}\n")
        return "".join(out)
    out.append(f"| {say(m, 'usecase.field.team')} | {say(m, 'usecase.metrics.reporting')} | "
               f"{say(m, 'usecase.value.hours')} | {say(m, 'usecase.value.benefit')} | "
               f"{say(m, 'usecase.value.cost')} |\n"
               "| --- | --: | --: | --: | --: |\n")
    for reported in metrics.value:
        benefit = ", ".join(money(v, c or None) for c, v in sorted(reported.yearly_benefit.items())) or "—"
        cost = ", ".join(money(v, c or None) for c, v in sorted(reported.yearly_cost.items())) or "—"
        out.append(f"| {team_link(playbook, reported.team, base)} | {reported.cases} | "
                   f"{number(reported.hours_saved_per_month)} | {escape(benefit)} | {escape(cost)} |\n")
    return "".join(out) + "\n"
