"""The whole playbook on one page, in reading order, for printing or saving as PDF."""

from __future__ import annotations

from ..classify import REVIEW_LABELS
from ..model import Playbook
from .items import pattern_page, policy_page, step_page
from .overview import decision_matrix, pilot_progress
from .text import md, percent


def printable_playbook(playbook: Playbook, base: str = "") -> str:
    out = ["## Risk tiers\n\n"]
    out.append(
        "| Tier | What falls here | Review path | Audit sampling | Turnaround |\n| --- | --- | --- | --- | --- |\n"
    )
    out += [
        f"| {md(t.name)} | {md(t.description)} | {REVIEW_LABELS[t.review]} | "
        f"{percent(t.audit_sampling)} | {md(t.turnaround)} |\n"
        for t in playbook.tiers
    ]
    out.append("\n## Patterns\n\n")
    citations = playbook.citations()
    out += [
        pattern_page(playbook, p, base, depth=2, citing=citations.get(p.id, [])) for p in playbook.patterns.values()
    ]
    out.append("## Policies\n\n")
    out += [policy_page(playbook, p, base, depth=2) for p in playbook.policies.values()]
    if playbook.roadmap:
        out.append("## Rollout\n\n")
        out += [step_page(playbook, s, n, base, depth=2) for n, s in enumerate(playbook.roadmap.steps, 1)]
    out.append("## Decision rights\n\n")
    matrix = "\n" + decision_matrix(playbook, base)
    out.append(matrix.replace("\n### Roles", "\n#### Roles").replace("\n## ", "\n### "))
    out.append("\n## Pilots\n\n")
    out.append(pilot_progress(playbook, base).replace("## ", "### ").replace("{ #pilot-", "{ #print-pilot-"))
    return "".join(out)
