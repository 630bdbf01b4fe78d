"""mkdocs-macros module: exposes the playbook's renderers to the hand-written pages in docs/.

Every macro reads the one Playbook the plugin loaded for this build, and words it with the plugin's
messages (``theme.language``); none reads YAML itself.
"""

from __future__ import annotations

import posixpath
from typing import Any

from playbook.register.metrics import register_metrics
from playbook.site.pages import overview
from playbook.site.pages.assessment import assessment_form
from playbook.site.pages.learnings import learning_index
from playbook.site.pages.metrics import metrics_page
from playbook.site.pages.print import printable_playbook
from playbook.site.pages.propose import Editor, editor, learning_form, pattern_form
from playbook.site.pages.register import REGISTER_JSON, register_block, register_page, usecase_counts
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

    def new_file_editor() -> Editor | None:
        """Where the forms open a new file: the repository's editor, or None for a download."""
        return editor(env.conf.get("repo_url"), env.conf.get("edit_uri"), plugin.config.propose)

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
        """The end of the assessment: a new use case's file with the answers filled in, proposed in one click."""
        return register_block(plugin.playbook, plugin.messages, url_of, new_file_editor())

    @env.macro
    def learning_list() -> str:
        """Every learning, newest first, with its team, status and what it affects."""
        return learning_index(plugin.playbook, plugin.messages, base())

    @env.macro
    def report_learning() -> str:
        """The form that reports a learning: its file, proposed in one click."""
        return learning_form(plugin.playbook, plugin.messages, url_of(REGISTER_JSON), new_file_editor())

    @env.macro
    def propose_pattern() -> str:
        """The form that proposes a pattern: its file, proposed in one click."""
        return pattern_form(plugin.playbook, plugin.messages, new_file_editor())

    @env.macro
    def printable() -> str:
        """The whole playbook on one page, in reading order."""
        return printable_playbook(plugin.playbook, plugin.messages, base())

    @env.macro
    def count(kind: str) -> int:
        """How many items of a kind the playbook holds: patterns, adopted, policies, tiers, pilots, steps, learnings."""
        return overview.stats(plugin.playbook)[kind]

    @env.macro
    def export_url(path: str) -> str:
        """Markdown link target of a published export (playbook.json, exports/patterns.csv, ...)."""
        return base() + path
