"""What turns a Playbook into site content: the generated pages, the data files the scripts read, the exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from playbook.data.kinds import KINDS, LEARNING, PATTERN, POLICY, ROADMAP, Kind
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.pages.items import pattern_page, pilot_names, policy_page, step_page, tier_names
from playbook.site.pages.learnings import learning_page
from playbook.site.pages.register import register_files, usecase_pages


def page_renderers(playbook: Playbook, messages: Messages | None = None,
                   learnings_index: bool = True) -> dict[Kind, Callable[[Any, int], str]]:
    """What writes the page of each kind that has a route (``Kind.route``), given an entry and its 1-based place.

    Pages are worded in ``messages``' language, English when none is given. ``learnings_index`` is whether the
    site has the list of learnings (``learnings/index.md``), with its form: pages link to it only then, so a
    playbook written before learnings existed builds as it did.
    """
    messages = messages or Messages()
    citations = playbook.citations()
    names = tier_names(playbook)
    about_patterns = playbook.learnings_about("patterns")
    about_policies = playbook.learnings_about("policies")
    teams = pilot_names(playbook)
    return {
        PATTERN: lambda p, _n: pattern_page(playbook, p, messages, citing=citations.get(p.id, []), names=names,
                                            learned=about_patterns.get(p.id, []), report=learnings_index),
        POLICY: lambda p, _n: policy_page(playbook, p, messages, names=names, learned=about_policies.get(p.id, []),
                                          report=learnings_index),
        ROADMAP: lambda s, n: step_page(playbook, s, n, messages),
        LEARNING: lambda x, _n: learning_page(playbook, x, messages, teams=teams, index=learnings_index),
    }


def generated_pages(playbook: Playbook, messages: Messages | None = None,
                    directory_urls: bool = True, learnings_index: bool = True) -> list[tuple[str, str, str]]:
    """(page path in the site, Markdown, YAML file to edit) for every generated page.

    ``learnings_index`` is as for :func:`page_renderers`.

    Use-case pages come last, rendered together: they share each case's computed assessment and
    the Markdown that thousands of them have in common (see :mod:`playbook.site.register`).
    """
    renderers = page_renderers(playbook, messages, learnings_index)
    pages = []
    for kind in KINDS:
        if kind.route is None:
            continue
        render = renderers[kind]
        for n, (entry_id, entry) in enumerate(kind.pages(playbook), 1):
            edit = kind.path_of(entry_id) if kind.collection else kind.path_of()
            pages.append((kind.route.format(id=entry_id), render(entry, n), edit))
    pages += usecase_pages(playbook, messages or Messages(), directory_urls)
    return pages


def site_data(playbook: Playbook, messages: Messages) -> dict[str, str]:
    """Data files the site's own scripts read, published whatever the exports setting."""
    return register_files(playbook, messages)


def site_exports(playbook: Playbook, messages: Messages) -> dict[str, str]:
    """Exports published beside the pages, at stable addresses; CSV column headers in the site's language.

    ``playbook export`` writes the same files with the field names as headers, in English.
    """
    from playbook.export.formats import export_csv_files, export_json_text

    files = {"playbook.json": export_json_text(playbook)}
    files.update(
        {f"exports/{name}": _headed(text, messages) for name, text in export_csv_files(playbook).items()}
    )
    return files


def _headed(text: str, messages: Messages) -> str:
    """The CSV with its header row's field names replaced by their ``site.csv.*`` words."""
    header, _, rows = text.partition("\r\n")
    buffer = io.StringIO()
    csv.writer(buffer).writerow(messages(f"site.csv.{field}") for field in next(csv.reader([header])))
    return buffer.getvalue() + rows
