"""The whole playbook on one page, in reading order, for printing or saving as PDF."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from playbook.data.kinds import LEARNING, PATTERN, POLICY
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.pages.items import pattern_page, pilot_names, policy_page, step_page, tier_names
from playbook.site.pages.learnings import learning_page, newest_first
from playbook.site.pages.overview import decision_matrix, pilot_progress
from playbook.site.text import render

Placeholder = Callable[[str], str]
"""The mark that stands in the print page for the page built from a source path (``patterns/x.md``), replaced by
that page's HTML once every page has rendered (:func:`nested_html`)."""
PLACEHOLDER = re.compile(r"<!-- playbook:print (\S+) -->")
PAGE_ONLY = re.compile(r"<!-- playbook:page-only -->.*?<!-- /playbook:page-only -->", re.S)
"""What an item's own page has and its place in the print page has not (the link that reports a learning)."""
HISTORY = re.compile(r'<p class="pb-history" data-playbook-history>.*?</p>', re.S)
"""The item's history line (``history.html``): its own page's, not the print page's."""
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_ANCHOR = re.compile(r'\b(id|href)="(#?)([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def placeholder(src_uri: str) -> str:
    """A block of its own in the Markdown, so Python-Markdown passes it through as it is."""
    return f"\n\n<!-- playbook:print {src_uri} -->\n\n"


def printable_playbook(playbook: Playbook, messages: Messages, base: str = "", pages: Placeholder | None = None) -> str:
    """Every item's page nested two levels down, after the tiers and before decision rights and pilots; the
    learnings last, newest first.

    With ``pages`` (the plugin's :func:`placeholder`) the patterns, policies and learnings are marks that the plugin
    replaces with their pages' HTML, rendered once for both; without it, their Markdown is written here again.
    """
    citations = playbook.citations()
    about_patterns = playbook.learnings_about("patterns")
    about_policies = playbook.learnings_about("policies")
    teams = pilot_names(playbook)
    names = tier_names(playbook)
    steps = playbook.roadmap.steps if playbook.roadmap else []
    newest = newest_first(list(playbook.learnings.values()))
    if pages is not None:
        patterns = [Markup(pages(PATTERN.route.format(id=p))) for p in playbook.patterns]  # type: ignore[union-attr]
        policies = [Markup(pages(POLICY.route.format(id=p))) for p in playbook.policies]  # type: ignore[union-attr]
        learnings = [Markup(pages(LEARNING.route.format(id=x.id))) for x in newest]  # type: ignore[union-attr]
    else:
        patterns = [Markup(pattern_page(playbook, p, messages, base, depth=2, citing=citations.get(p.id, []),
                                        names=names, learned=about_patterns.get(p.id, [])))
                    for p in playbook.patterns.values()]
        policies = [Markup(policy_page(playbook, p, messages, base, depth=2, names=names,
                                       learned=about_policies.get(p.id, [])))
                    for p in playbook.policies.values()]
        learnings = [Markup(learning_page(playbook, x, messages, base, depth=2, teams=teams)) for x in newest]
    return render(
        "print.md", messages,
        tiers=playbook.tiers,
        patterns=patterns,
        policies=policies,
        learnings=learnings,
        steps=[Markup(step_page(playbook, s, n, messages, base, depth=2)) for n, s in enumerate(steps, 1)],
        decisions=Markup(decision_matrix(playbook, messages, base, depth=1)),
        pilots=Markup(pilot_progress(playbook, messages, base, depth=1, anchor="print-pilot")),
    )


def nested_html(html: str, page_url: str, print_url: str, prefix: str) -> str:
    """An item page's rendered HTML as a part of the print page at ``print_url``: its headings two levels down,
    without what only its own page has, its links made relative to the print page, and its ids (and the links to
    them) prefixed with ``prefix``, so that two items' "When to use" stay apart."""
    html = HISTORY.sub("", PAGE_ONLY.sub("", html))
    html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}", html)
    here = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    moved: dict[str, str] = {}

    def link(match: re.Match[str]) -> str:
        attribute, hash_mark, value = match[1], match[2], match[3]
        if attribute == "id" or hash_mark:
            return f'{attribute}="{hash_mark}{prefix}{value}"'
        if value.startswith("/") or _SCHEME.match(value):
            return match[0]
        if value not in moved:
            path, mark, rest = value.partition("#")
            path, query, search = path.partition("?")
            target = posixpath.normpath(posixpath.join(here, path)) if path else here.rstrip("/") or "."
            if (path.endswith("/") or not path) and target != ".":
                target += "/"
            moved[value] = get_relative_url("./" if target == "." else target, print_url) + query + search + mark + rest
        return f'href="{moved[value]}"'

    return _ANCHOR.sub(link, html)
