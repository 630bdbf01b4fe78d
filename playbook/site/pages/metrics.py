"""The register's metrics page: use cases per tier and team, the governed path's adoption, decision
turnaround against each tier's target, the longest waits and the value teams report.
"""

from __future__ import annotations

from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.register.metrics import RegisterMetrics
from playbook.site.pages.items import tier_names
from playbook.site.text import render


def metrics_page(playbook: Playbook, metrics: RegisterMetrics, m: Messages, base: str = "") -> str:
    """Outcomes and process, from the register: counts per tier and team, the governed path's adoption,
    decision turnaround against each tier's target with the longest waits, and reported value."""
    # A wait of no business day is no bottleneck: only the cases that did wait are named.
    waits = [(w, playbook.usecases[w.id].title) for tier in metrics.turnaround for w in tier.longest if w.days]
    return render("metrics.md", m, metrics=metrics, waits=waits, base=base, tier_names=tier_names(playbook),
                  pilots=playbook.pilots)
