"""What turns a Playbook into site content: generated pages and published exports."""

from __future__ import annotations

import csv
import io

from ..i18n import Messages
from ..model import Playbook
from .items import pattern_page, policy_page, step_page, tier_names


def generated_pages(playbook: Playbook, messages: Messages) -> list[tuple[str, str, str]]:
    """(page path in the site, Markdown, YAML file to edit) for every generated page."""
    citations = playbook.citations()
    names = tier_names(playbook)
    pages = [
        (f"patterns/{p.id}.md", pattern_page(playbook, p, messages, citing=citations.get(p.id, []), names=names),
         f"patterns/{p.id}.yml")
        for p in playbook.patterns.values()
    ]
    pages += [
        (f"policies/{p.id}.md", policy_page(playbook, p, messages, names=names), f"policies/{p.id}.yml")
        for p in playbook.policies.values()
    ]
    if playbook.roadmap is not None:
        pages += [
            (f"rollout/{s.id}.md", step_page(playbook, s, n, messages), "framework/roadmap.yml")
            for n, s in enumerate(playbook.roadmap.steps, 1)
        ]
    return pages


def site_exports(playbook: Playbook, messages: Messages) -> dict[str, str]:
    """Exports published beside the pages, at stable addresses; CSV column headers in the site's language.

    ``playbook export`` writes the same files with the field names as headers, in English.
    """
    from ..export import export_csv_files, export_json_text

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
