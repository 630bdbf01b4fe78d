"""What turns a Playbook into site content: the generated pages, the data files the scripts read, the exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from playbook.data.kinds import KINDS, PATTERN, POLICY, ROADMAP, USECASE, Kind
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.pages.items import pattern_page, policy_page, step_page, tier_names
from playbook.site.pages.register import register_files
from playbook.site.pages.usecase import UseCasePages

Renderer = Callable[[Any, int], "str | None"]
"""Writes the page of an entry, given the entry (what ``Kind.public`` lets pages see) and its 1-based place;
None when the entry gets no page."""


def page_renderers(playbook: Playbook, messages: Messages | None = None,
                   directory_urls: bool = True) -> dict[Kind, Renderer]:
    """What writes the page of each kind that has a route (``Kind.route``).

    A renderer is built once per site, with what its pages share: the patterns' citing policies, each use
    case's computed assessment. Pages are worded in ``messages``' language, English when none is given;
    ``directory_urls`` is mkdocs' setting, for links the use-case pages write as HTML.
    """
    messages = messages or Messages()
    citations = playbook.citations()
    names = tier_names(playbook)
    return {
        PATTERN: lambda p, _n: pattern_page(playbook, p, messages, citing=citations.get(p.id, []), names=names),
        POLICY: lambda p, _n: policy_page(playbook, p, messages, names=names),
        ROADMAP: lambda s, n: step_page(playbook, s, n, messages),
        USECASE: UseCasePages(playbook, messages, directory_urls),
    }


def generated_pages(playbook: Playbook, messages: Messages | None = None,
                    directory_urls: bool = True) -> list[tuple[str, str, str]]:
    """(page path in the site, Markdown, YAML file to edit) for every generated page, kind by kind.

    Renderers get each entry as :meth:`Kind.public` makes it: a use case without its internal fields.
    """
    renderers = page_renderers(playbook, messages, directory_urls)
    pages = []
    for kind in KINDS:
        if kind.route is None:
            continue
        render = renderers[kind]
        for n, (entry_id, entry) in enumerate(kind.pages(playbook), 1):
            markdown = render(kind.public(entry), n)
            if markdown is not None:
                edit = kind.path_of(entry_id) if kind.collection else kind.path_of()
                pages.append((kind.route.format(id=entry_id), markdown, edit))
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
