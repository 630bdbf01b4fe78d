"""The whole playbook on one page, in reading order, for printing or saving as PDF."""

from __future__ import annotations

from markupsafe import Markup

from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.pages.items import pattern_page, pilot_names, policy_page, step_page, tier_names
from playbook.site.pages.learnings import learning_page, newest_first
from playbook.site.pages.overview import decision_matrix, pilot_progress
from playbook.site.text import render


def printable_playbook(playbook: Playbook, messages: Messages, base: str = "") -> str:
    """Every item's page nested two levels down, after the tiers and before decision rights and pilots; the
    learnings last, newest first."""
    citations = playbook.citations()
    about_patterns = playbook.learnings_about("patterns")
    about_policies = playbook.learnings_about("policies")
    teams = pilot_names(playbook)
    names = tier_names(playbook)
    steps = playbook.roadmap.steps if playbook.roadmap else []
    return render(
        "print.md", messages,
        tiers=playbook.tiers,
        patterns=[Markup(pattern_page(playbook, p, messages, base, depth=2, citing=citations.get(p.id, []),
                                      names=names, learned=about_patterns.get(p.id, [])))
                  for p in playbook.patterns.values()],
        policies=[Markup(policy_page(playbook, p, messages, base, depth=2, names=names,
                                     learned=about_policies.get(p.id, [])))
                  for p in playbook.policies.values()],
        learnings=[Markup(learning_page(playbook, x, messages, base, depth=2, teams=teams))
                   for x in newest_first(list(playbook.learnings.values()))],
        steps=[Markup(step_page(playbook, s, n, messages, base, depth=2)) for n, s in enumerate(steps, 1)],
        decisions=Markup(decision_matrix(playbook, messages, base, depth=1)),
        pilots=Markup(pilot_progress(playbook, messages, base, depth=1, anchor="print-pilot")),
    )
