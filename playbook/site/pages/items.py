"""One generated page per pattern, policy and roadmap step: the model's data through its page template."""

from __future__ import annotations

import html
from functools import lru_cache

import yaml
from markupsafe import Markup

from playbook.data.model.items import Pattern, Policy, Status, Step
from playbook.data.model.learning import Learning
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.pages.whatsnew import HistoryLine
from playbook.site.text import render

try:
    # libyaml's emitter writes the same text as PyYAML's Python one, five times faster: one per page adds up.
    from yaml import CSafeDumper as SafeDumper
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper  # type: ignore[assignment]


def front_matter(title: str, tags: list[str], boost: float = 2) -> str:
    """YAML front matter; dumped, never formatted by hand, so no title can break out of it.

    Material puts ``page.meta.title`` and tag names into element text as HTML, unescaped
    (``<title>``, the header, the tags index), so both are escaped here. mkdocs-macros leaves the
    page alone (``render_macros: false``): its text is YAML data, never template.
    """
    return _front_matter(title, tuple(tags), boost)


@lru_cache(maxsize=4096)
def _front_matter(title: str, tags: tuple[str, ...], boost: float) -> str:
    """Kept for the pages whose title and tags did not change: ``playbook serve`` makes every page at each save,
    and dumping YAML was a fifth of making a pattern's page."""
    meta = {
        "title": html.escape(title, quote=False),
        "tags": [html.escape(tag, quote=False) for tag in tags],
        "search": {"boost": boost},
        "render_macros": False,
    }
    return "---\n" + yaml.dump(meta, Dumper=SafeDumper, allow_unicode=True, sort_keys=False) + "---\n\n"


def page_start(depth: int, title: str, tags: list[str], boost: float = 2) -> dict[str, Markup]:
    """Front matter for a page of its own; heading marks one level deeper per ``depth`` when nested."""
    return {
        "front_matter": Markup("" if depth else front_matter(title, tags, boost)),
        "h": Markup("#" * depth),
    }


def tier_names(playbook: Playbook) -> dict[str, str]:
    return {tier.id: tier.name for tier in playbook.tiers}


def pilot_names(playbook: Playbook) -> dict[str, str]:
    """Each pilot team's name by its id: a learning names the team that found it out."""
    return {team: pilot.name for team, pilot in playbook.pilots.items()}


def pattern_tags(playbook: Playbook, pattern: Pattern, messages: Messages) -> list[str]:
    tiers = [messages("site.tag.tier", tier=tier.name) for tier in playbook.tiers if tier.id in pattern.tiers]
    status = messages(f"status.{pattern.status.value}").lower()
    return [
        messages("site.tag.status", status=status),
        messages("site.tag.category", category=pattern.category),
        *tiers,
        *pattern.tags,
    ]


def policy_tags(playbook: Playbook, policy: Policy, messages: Messages) -> list[str]:
    tiers = [messages("site.tag.tier", tier=tier.name) for tier in playbook.tiers if tier.id in policy.tiers]
    return [messages("site.tag.policy"), *tiers]


def pattern_page(playbook: Playbook, pattern: Pattern, messages: Messages, base: str = "../", depth: int = 0,
                 citing: list[Policy] | None = None, names: dict[str, str] | None = None,
                 history: HistoryLine | None = None, learned: list[Learning] | None = None,
                 report: bool = False) -> str:
    """The whole page of one pattern; ``depth`` > 0 nests it in a longer page, without front matter.

    ``citing`` is ``playbook.policies_citing(pattern.id)``; callers rendering every pattern pass it from
    ``playbook.citations()`` so that the pages cost one pass over the policies, not one per pattern.
    ``history`` is the line that says when it was added or moved, from the git history. ``learned`` is the
    same as ``citing`` for the learnings naming it (``playbook.learnings_about("patterns")``). ``report``
    links to the form that reports a learning, on a site that has the list of learnings.
    """
    successor = playbook.patterns.get(pattern.superseded_by or "") if pattern.status is Status.deprecated else None
    return render(
        "pattern.md", messages,
        **page_start(depth, pattern.title, pattern_tags(playbook, pattern, messages)),
        pattern=pattern,
        base=base,
        tier_names=names if names is not None else tier_names(playbook),
        successor=successor,
        citing=citing if citing is not None else playbook.policies_citing(pattern.id),
        related=[playbook.patterns[r] for r in pattern.related if r in playbook.patterns],
        history=history,
        learned=learned if learned is not None else playbook.learnings_about("patterns").get(pattern.id, []),
        teams=pilot_names(playbook),
        report=report,
    )


def policy_page(playbook: Playbook, policy: Policy, messages: Messages, base: str = "../", depth: int = 0,
                names: dict[str, str] | None = None, history: HistoryLine | None = None,
                learned: list[Learning] | None = None, report: bool = False) -> str:
    """The whole page of one policy; ``depth`` > 0 nests it in a longer page, without front matter.

    ``history``, ``learned`` and ``report`` are as for :func:`pattern_page`."""
    return render(
        "policy.md", messages,
        **page_start(depth, policy.title, policy_tags(playbook, policy, messages)),
        policy=policy,
        base=base,
        tier_names=names if names is not None else tier_names(playbook),
        patterns=[playbook.patterns[p] for p in policy.patterns if p in playbook.patterns],
        history=history,
        learned=learned if learned is not None else playbook.learnings_about("policies").get(policy.id, []),
        teams=pilot_names(playbook),
        report=report,
    )


def step_page(playbook: Playbook, step: Step, number: int, messages: Messages, base: str = "../",
              depth: int = 0) -> str:
    """One roadmap step with its checklist, which a pilot team can tick in the browser.

    Nested in a longer page (``depth`` > 0) the checklist is printed as a plain task list.
    """
    title = messages("site.step.title", number=number, title=step.title)
    return render(
        "step.md", messages,
        **page_start(depth, title, [messages("site.tag.rollout")], boost=1),
        title=title,
        step=step,
        base=base,
        role_name=playbook.role_name,
        steps=[step],
        roadmap_data=roadmap_data(playbook),
        patterns=[playbook.patterns[p] for p in step.patterns if p in playbook.patterns],
        policies=[playbook.policies[p] for p in step.policies if p in playbook.policies],
    )


def roadmap_data(playbook: Playbook) -> list[dict[str, object]]:
    """The steps and their items, for the checklist script's exports."""
    return [
        {"id": s.id, "title": s.title, "items": [{"id": i.id, "text": i.text} for i in s.checklist]}
        for s in (playbook.roadmap.steps if playbook.roadmap else [])
    ]


def checklist_html(playbook: Playbook, steps: list[Step], messages: Messages) -> str:
    """Checkboxes for the given steps' items, with the export tools the rollout script drives."""
    return render("checklist.html", messages, steps=steps, role_name=playbook.role_name,
                  roadmap_data=roadmap_data(playbook))
