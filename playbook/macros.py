"""mkdocs-macros module: exposes the playbook's renderers to the hand-written pages in docs/.

Every macro reads the one Playbook the plugin loaded for this build, and words it with the plugin's
messages (``theme.language``); none reads YAML itself.
"""

from __future__ import annotations

import posixpath
from typing import Any

from playbook.register.key_figures import key_figures as figures_of
from playbook.register.metrics import register_metrics
from playbook.site.pages import home, overview
from playbook.site.pages.assessment import assessment_form
from playbook.site.pages.metrics import metrics_page
from playbook.site.pages.print import printable_playbook
from playbook.site.pages.register import register_block, register_page, usecase_counts
from playbook.site.plugin import PlaybookPlugin


def define_env(env: Any) -> None:
    plugin = env.conf.plugins.get("playbook")
    if not isinstance(plugin, PlaybookPlugin):
        raise RuntimeError("the macros module needs the playbook plugin, listed before macros in mkdocs.yml")

    def page_uri() -> str:
        return env.page.file.src_uri

    def base() -> str:
        """Relative path from the current page's source to the docs root, for Markdown links."""
        depth = posixpath.dirname(page_uri()).count("/") + (1 if posixpath.dirname(page_uri()) else 0)
        return "../" * depth

    def url_of(src_uri: str) -> str:
        return plugin.url_of(src_uri, env.page.url)

    def url_if_built(src_uri: str) -> str | None:
        """The link to the page built from ``src_uri``, or None when this site has no such page."""
        return plugin.url_of(src_uri, env.page.url) if plugin.has_page(src_uri) else None

    @env.macro
    def search_button() -> str:
        """A large button that opens the header's search: the front door's first move."""
        return home.search_button(plugin.messages)

    @env.macro
    def task_cards() -> str:
        """A card per reader's task (build, find a pattern, pilot, run the playbook, what's new), each on its page."""
        return home.task_cards(plugin.messages, url_if_built)

    @env.macro
    def key_figures() -> str:
        """Patterns adopted, use cases this quarter and the median turnaround, from the catalog and the register."""
        return home.key_figures(figures_of(plugin.playbook), plugin.messages, url_if_built)

    @env.macro
    def pattern_catalog() -> str:
        """Every pattern grouped by category, with a filter."""
        return overview.pattern_catalog(plugin.playbook, plugin.messages, base())

    @env.macro
    def policy_index() -> str:
        """Every policy with its tiers and the patterns that satisfy it."""
        return overview.policy_index(plugin.playbook, plugin.messages, base())

    @env.macro
    def tier_table() -> str:
        """The tiers with review path, audit sampling and turnaround, a section each."""
        return overview.tier_table(plugin.playbook, plugin.messages, base())

    @env.macro
    def threshold_table() -> str:
        """The rules that place a use case in a tier."""
        return overview.threshold_table(plugin.playbook, plugin.messages)

    @env.macro
    def example_table() -> str:
        """The worked example use cases, classified at build time."""
        return overview.example_table(plugin.playbook, plugin.messages)

    @env.macro
    def assessment() -> str:
        """The self-service risk assessment form."""
        return assessment_form(plugin.playbook, url_of, plugin.messages)

    @env.macro
    def roadmap_overview() -> str:
        """The rollout steps as a visual roadmap."""
        return overview.roadmap_overview(plugin.playbook, plugin.messages, base())

    @env.macro
    def full_checklist() -> str:
        """Every checklist item of every step, tickable."""
        return overview.full_checklist(plugin.playbook, plugin.messages)

    @env.macro
    def pilot_progress() -> str:
        """Each pilot's step, progress, quarter window and metrics."""
        return overview.pilot_progress(plugin.playbook, plugin.messages, base(),
                                       usecases=usecase_counts(plugin.playbook))

    @env.macro
    def decision_matrix() -> str:
        """Who decides what: R, A, C, I by role."""
        return overview.decision_matrix(plugin.playbook, plugin.messages, base())

    @env.macro
    def usecase_register() -> str:
        """Every registered use case, filtered and paged in the browser, with counts per team."""
        return register_page(plugin.playbook, plugin.messages, url_of)

    @env.macro
    def usecase_metrics() -> str:
        """Use cases per tier and team, adoption of the governed path, decision turnaround, value by team."""
        return metrics_page(plugin.playbook, register_metrics(plugin.playbook), plugin.messages, base())

    @env.macro
    def register_usecase() -> str:
        """The end of the assessment: the YAML of a new use case with the answers filled in."""
        return register_block(plugin.playbook, plugin.messages)

    @env.macro
    def printable() -> str:
        """The whole playbook on one page, in reading order."""
        return printable_playbook(plugin.playbook, plugin.messages, base())

    @env.macro
    def count(kind: str) -> int:
        """How many items of a kind the playbook holds: patterns, adopted, policies, tiers, pilots, steps."""
        return overview.stats(plugin.playbook)[kind]

    @env.macro
    def export_url(path: str) -> str:
        """Markdown link target of a published export (playbook.json, exports/patterns.csv, ...)."""
        return base() + path
