"""The home page's front door: a search button, a card per reader's task, and the key figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playbook.i18n import Messages
from playbook.register.key_figures import KeyFigures
from playbook.site.text import number, render

WHATS_NEW = ("whats-new.md", "whats-new/index.md")
"""Where a playbook's page of recent changes may be; its card shows once one of them is built."""


@dataclass(frozen=True)
class Task:
    """One card of the front door: a reader's task and the pages that serve it."""

    key: str
    """Names the card's words in the catalog: ``home.task.<key>.title`` and ``.text``."""
    pages: tuple[str, ...]
    """Source paths of the card's main page, the first one built being taken."""
    more: tuple[tuple[str, str], ...] = ()
    """Further pages as (catalog key of the link's words, source path), each shown when built."""


TASKS = (
    Task("build", ("assessment.md",)),
    Task("find", ("standards.md",)),
    Task("pilot", ("rollout/index.md",), more=(("home.task.pilot.pilots", "pilots.md"),)),
    Task("team", ("contributing.md",), more=(("home.task.team.register", "usecases/index.md"),
                                             ("home.task.team.metrics", "metrics.md"))),
    Task("news", WHATS_NEW),
)
"""The cards in reading order: build, find, pilot, the central team, what is new."""

UrlOf = Callable[[str], "str | None"]
"""The link from the page being built to the page built from a source path, or None when none is."""


def _first(url_of: UrlOf, pages: tuple[str, ...]) -> str | None:
    return next((url for url in map(url_of, pages) if url is not None), None)


def task_cards(messages: Messages, url_of: UrlOf) -> str:
    """The task cards, each linking to its page; a card whose page this site lacks is left out."""
    cards = []
    for task in TASKS:
        href = _first(url_of, task.pages)
        if href is None:
            continue
        more = [(key, url) for key, page in task.more if (url := url_of(page)) is not None]
        cards.append({"key": task.key, "href": href, "more": more})
    return render("home_tasks.html", messages, cards=cards)


def search_button(messages: Messages) -> str:
    """A large button that opens the header's search, for the reader who comes to look something up."""
    return render("home_search.html", messages)


def key_figures(figures: KeyFigures, messages: Messages, url_of: UrlOf) -> str:
    """Patterns adopted, use cases this quarter and the median turnaround, each linking to where it comes from."""
    quarter = messages("home.figure.quarter_name", quarter=figures.quarter, year=figures.year)
    median = figures.median_days
    rows = [
        ("adopted", number(figures.adopted, messages), messages("home.figure.adopted", total=figures.patterns),
         url_of("standards.md")),
        ("quarter", number(figures.this_quarter, messages), messages("home.figure.quarter", quarter=quarter),
         url_of("usecases/index.md")),
        ("median", "—" if median is None else messages("home.figure.days_one" if median == 1 else "home.figure.days",
                                                         days=number(median, messages)),
         messages("home.figure.median" if median is not None else "home.figure.median_none"),
         url_of("metrics.md")),
    ]
    return render("home_figures.html", messages, rows=rows)
