"""What teams learned: a page per learning and the list of them, newest first."""

from __future__ import annotations

from playbook.data.model.learning import Learning, LearningStatus
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.pages.items import page_start, pilot_names
from playbook.site.pages.whatsnew import HistoryLine
from playbook.site.text import render


def newest_first(learnings: list[Learning]) -> list[Learning]:
    return sorted(learnings, key=lambda x: (x.date, x.id), reverse=True)


def learning_page(playbook: Playbook, learning: Learning, messages: Messages, base: str = "../", depth: int = 0,
                  teams: dict[str, str] | None = None, index: bool = True, history: HistoryLine | None = None) -> str:
    """The whole page of one learning; ``depth`` > 0 nests it in a longer page, without front matter.

    ``index`` is whether the site has the list of learnings (``learnings/index.md``) to link back to; ``history``
    is the line saying when the learning was added or moved and last changed.
    """
    tags = [messages("site.tag.learning"),
            messages("site.tag.status", status=messages(f"status.{learning.status.value}").lower())]
    return render(
        "learning.md", messages,
        **page_start(depth, learning.title, tags, boost=1),
        learning=learning,
        base=base,
        team=(teams or pilot_names(playbook)).get(learning.team, learning.team),
        has_pilot=learning.team in playbook.pilots,
        patterns=[playbook.patterns[p] for p in learning.patterns if p in playbook.patterns],
        policies=[playbook.policies[p] for p in learning.policies if p in playbook.policies],
        usecases=[playbook.usecases[u] for u in learning.usecases if u in playbook.usecases],
        index=index,
        history=history,
    )


def learning_index(playbook: Playbook, messages: Messages, base: str = "") -> str:
    """Every learning, newest first, with the team that found it, its status and what it affects."""
    learnings = newest_first(list(playbook.learnings.values()))
    still_open = sum(1 for x in learnings if x.status is LearningStatus.open)
    return render(
        "learnings.md", messages,
        learnings=learnings,
        still_open=still_open,
        base=base,
        teams=pilot_names(playbook),
        pilots=set(playbook.pilots),
        affects=lambda learning: affected(playbook, learning),
    )


def affected(playbook: Playbook, learning: Learning) -> list[tuple[str, str]]:
    """(title, page) of each pattern, policy and use case a learning names, in that order."""
    titles: list[tuple[dict[str, str], list[str], str]] = [
        ({i: p.title for i, p in playbook.patterns.items()}, learning.patterns, "patterns"),
        ({i: p.title for i, p in playbook.policies.items()}, learning.policies, "policies"),
        ({i: playbook.usecases[i].title for i in learning.usecases if i in playbook.usecases}, learning.usecases,
         "usecases"),
    ]
    return [(known[i], f"{folder}/{i}.md") for known, ids, folder in titles for i in ids if i in known]
