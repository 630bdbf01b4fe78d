"""What turns a Playbook into site content: generated pages and published exports."""

from __future__ import annotations

from ..i18n import Messages
from ..model import Playbook
from .items import pattern_page, policy_page, step_page
from .register import register_files, usecase_pages


def generated_pages(playbook: Playbook, messages: Messages | None = None,
                    directory_urls: bool = True) -> list[tuple[str, str, str]]:
    """(page path in the site, Markdown, YAML file to edit) for every generated page."""
    citations = playbook.citations()
    pages = [
        (f"patterns/{p.id}.md", pattern_page(playbook, p, citing=citations.get(p.id, [])), f"patterns/{p.id}.yml")
        for p in playbook.patterns.values()
    ]
    pages += [
        (f"policies/{p.id}.md", policy_page(playbook, p), f"policies/{p.id}.yml") for p in playbook.policies.values()
    ]
    if playbook.roadmap is not None:
        pages += [
            (f"rollout/{s.id}.md", step_page(playbook, s, n), "framework/roadmap.yml")
            for n, s in enumerate(playbook.roadmap.steps, 1)
        ]
    pages += usecase_pages(playbook, messages or Messages(), directory_urls)
    return pages


def site_data(playbook: Playbook, messages: Messages) -> dict[str, str]:
    """Data files the site's own scripts read, published whatever the exports setting."""
    return register_files(playbook, messages)


def site_exports(playbook: Playbook) -> dict[str, str]:
    """Exports published beside the pages, at stable addresses."""
    from ..export import export_csv_files, export_json_text

    files = {"playbook.json": export_json_text(playbook)}
    files.update({f"exports/{name}": text for name, text in export_csv_files(playbook).items()})
    return files
