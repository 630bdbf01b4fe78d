"""One generated page per pattern, policy and roadmap step, rendered as Markdown from the model."""

from __future__ import annotations

import html

import yaml

from ..model import Pattern, Playbook, Policy, Status, Step
from .text import esc, json_script, link, markdown_block, md

try:
    # libyaml's emitter writes the same text as PyYAML's Python one, five times faster: one per page adds up.
    from yaml import CSafeDumper as SafeDumper
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper  # type: ignore[assignment]

STATUS_LABELS = {
    Status.proposed: "Proposed",
    Status.trial: "Trial",
    Status.adopted: "Adopted",
    Status.deprecated: "Deprecated",
}
CONTROL_LABELS = {
    "data-access": "Data access",
    "security": "Security",
    "monitoring": "Monitoring",
    "human-oversight": "Human oversight",
    "cost": "Cost",
    "quality": "Quality",
}


def front_matter(title: str, tags: list[str], boost: float = 2) -> str:
    """YAML front matter; dumped, never formatted by hand, so no title can break out of it.

    Material puts ``page.meta.title`` and tag names into element text as HTML, unescaped
    (``<title>``, the header, the tags index), so both are escaped here.
    """
    meta = {
        "title": html.escape(title, quote=False),
        "tags": [html.escape(tag, quote=False) for tag in tags],
        "search": {"boost": boost},
        "render_macros": False,
    }
    return "---\n" + yaml.dump(meta, Dumper=SafeDumper, allow_unicode=True, sort_keys=False) + "---\n\n"


def pattern_tags(playbook: Playbook, pattern: Pattern) -> list[str]:
    tiers = [f"tier: {tier.name}" for tier in playbook.tiers if tier.id in pattern.tiers]
    return [f"status: {pattern.status.value}", f"category: {pattern.category}", *tiers, *pattern.tags]


def policy_tags(playbook: Playbook, policy: Policy) -> list[str]:
    return ["policy", *(f"tier: {tier.name}" for tier in playbook.tiers if tier.id in policy.tiers)]


def status_badge(status: Status) -> str:
    return f'<span class="pb-badge pb-status-{status.value}">{STATUS_LABELS[status]}</span>'


def tier_badges(playbook: Playbook, tier_ids: list[str], base: str) -> str:
    """Markdown links to each tier's section of the risk-tiers page (checked by mkdocs)."""
    names = {t.id: t.name for t in playbook.tiers}
    return " ".join(
        f"{link(names.get(t, t), f'risk-tiers.md#tier-{t}', base)}{{ .pb-badge .pb-tier }}" for t in tier_ids
    )


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {md(item)}" for item in items) + "\n"


def _facts(rows: list[tuple[str, str]]) -> str:
    """A list of key facts; values are Markdown already escaped by the caller."""
    return "".join(f"- **{name}:** {value}\n" for name, value in rows) + "\n"


def pattern_page(playbook: Playbook, pattern: Pattern, base: str = "../", depth: int = 0,
                 citing: list[Policy] | None = None) -> str:
    """The whole page of one pattern; ``depth`` > 0 nests it in a longer page, without front matter.

    ``citing`` is ``playbook.policies_citing(pattern.id)``; callers rendering every pattern pass it from
    ``playbook.citations()`` so that the pages cost one pass over the policies, not one per pattern.
    """
    h = "#" * depth
    out = [
        front_matter(pattern.title, pattern_tags(playbook, pattern)) if not depth else "",
        f"{h}# {md(pattern.title)}\n\n",
    ]
    out.append(f'<p class="pb-summary">{status_badge(pattern.status)} {esc(pattern.summary)}</p>\n\n')
    if pattern.status is Status.deprecated:
        successor = playbook.patterns.get(pattern.superseded_by or "")
        instead = f" Use {link(successor.title, f'patterns/{successor.id}.md', base)} instead." if successor else ""
        out.append(f'!!! warning "Deprecated"\n    Do not start new work on this pattern.{instead}\n\n')
    facts = [
        ("Id", f"`{pattern.id}`"),
        ("Category", md(pattern.category)),
        ("Approved for", tier_badges(playbook, pattern.tiers, base)),
        ("Owner", md(pattern.owner)),
        ("Review by", pattern.review_by.isoformat()),
    ]
    if pattern.aliases:
        facts.append(("Also known as", md(", ".join(pattern.aliases))))
    out.append(_facts(facts))
    out.append(f"{h}## When to use\n\n" + _bullets(pattern.when_to_use) + "\n")
    out.append(f"{h}## When not to use\n\n" + _bullets(pattern.when_not_to_use) + "\n")
    out.append(f"{h}## How it works\n" + markdown_block(pattern.how_it_works) + "\n")
    out.append(f"{h}## Controls\n\n| Guardrail | What it does |\n| --- | --- |\n")
    out += [f"| {md(CONTROL_LABELS[c.kind.value])} | {md(c.text)} |\n" for c in pattern.controls]
    out.append("\n")
    if pattern.platforms:
        out.append(f"{h}## Platforms\n\n" + _bullets(pattern.platforms) + "\n")
    if citing is None:
        citing = playbook.policies_citing(pattern.id)
    out.append(f"{h}## Policies that cite this pattern\n\n")
    if citing:
        out += [f"- {link(p.title, f'policies/{p.id}.md', base)}\n" for p in citing]
    else:
        out.append("No policy cites this pattern yet.\n")
    out.append("\n")
    related = [playbook.patterns[r] for r in pattern.related if r in playbook.patterns]
    if related:
        out.append(f"{h}## Related patterns\n\n")
        out += [f"- {link(r.title, f'patterns/{r.id}.md', base)} — {md(r.summary)}\n" for r in related]
        out.append("\n")
    if pattern.adopted_by:
        out.append(f"{h}## Adopted by\n\n" + _bullets(pattern.adopted_by) + "\n")
    if pattern.references:
        out.append(f"{h}## References\n\n")
        # A raw HTML block: in a Markdown list, brackets in an address would start a link inside the tag.
        items = "".join(f'<li><a href="{esc(r.url)}">{esc(r.title)}</a></li>\n' for r in pattern.references)
        out.append(f'<ul class="pb-references">\n{items}</ul>\n\n')
    return "".join(out)


def policy_page(playbook: Playbook, policy: Policy, base: str = "../", depth: int = 0) -> str:
    """The whole page of one policy; ``depth`` > 0 nests it in a longer page, without front matter."""
    h = "#" * depth
    out = [
        front_matter(policy.title, policy_tags(playbook, policy)) if not depth else "",
        f"{h}# {md(policy.title)}\n\n",
    ]
    facts = [
        ("Id", f"`{policy.id}`"),
        ("Applies to", tier_badges(playbook, policy.tiers, base)),
        ("Owner", md(policy.owner)),
        ("Review by", policy.review_by.isoformat()),
    ]
    if policy.aliases:
        facts.append(("Also known as", md(", ".join(policy.aliases))))
    out.append(_facts(facts))
    out.append(f"{h}## Policy\n" + markdown_block(policy.statement) + "\n")
    if policy.rationale:
        out.append(f"{h}## Why\n" + markdown_block(policy.rationale) + "\n")
    out.append(f"{h}## Patterns that satisfy it\n\n")
    for pid in policy.patterns:
        pattern = playbook.patterns.get(pid)
        if pattern is not None:
            out.append(f"- {link(pattern.title, f'patterns/{pid}.md', base)} {status_badge(pattern.status)}\n")
    out.append(f"\n{h}## Exceptions\n" + markdown_block(policy.exceptions) + "\n")
    return "".join(out)


def step_page(playbook: Playbook, step: Step, number: int, base: str = "../", depth: int = 0) -> str:
    """One roadmap step with its checklist, which a pilot team can tick in the browser.

    Nested in a longer page (``depth`` > 0) the checklist is printed as a plain list.
    """
    h = "#" * depth
    title = f"Step {number}: {step.title}"
    out = [front_matter(title, ["rollout"], boost=1) if not depth else "", f"{h}# {md(title)}\n\n"]
    out.append(f'<p class="pb-summary">{esc(step.goal)}</p>\n\n')
    out.append(_facts([("Typical duration", md(step.duration))]))
    out.append(f"{h}## Checklist\n\n")
    if depth:
        out += [f"- [ ] {md(i.text)} ({md(playbook.role_name(i.owner))})\n" for i in step.checklist]
    else:
        out.append(checklist_html(playbook, [step]))
    out.append(f"\n{h}## Exit criteria\n\n" + _bullets(step.exit_criteria) + "\n")
    patterns = [playbook.patterns[p] for p in step.patterns if p in playbook.patterns]
    if patterns:
        out.append(f"{h}## Patterns this step relies on\n\n")
        out += [f"- {link(p.title, f'patterns/{p.id}.md', base)}\n" for p in patterns]
        out.append("\n")
    policies = [playbook.policies[p] for p in step.policies if p in playbook.policies]
    if policies:
        out.append(f"{h}## Policies this step relies on\n\n")
        out += [f"- {link(p.title, f'policies/{p.id}.md', base)}\n" for p in policies]
        out.append("\n")
    return "".join(out)


def checklist_html(playbook: Playbook, steps: list[Step]) -> str:
    """Checkboxes for the given steps' items, with the export tools the rollout script drives."""
    rows = []
    for step in steps:
        for item in step.checklist:
            rows.append(
                f'<li class="pb-check-item"><label><input type="checkbox" class="pb-check" '
                f'data-item="{esc(item.id)}" data-step="{esc(step.id)}"> {esc(item.text)}</label> '
                f'<span class="pb-owner">Owner: {esc(playbook.role_name(item.owner))}</span></li>'
            )
    steps_data = [
        {"id": s.id, "title": s.title, "items": [{"id": i.id, "text": i.text} for i in s.checklist]}
        for s in (playbook.roadmap.steps if playbook.roadmap else [])
    ]
    return (
        '\n<div class="pb-checklist" markdown="0">\n'
        f'<ul class="pb-check-list">{"".join(rows)}</ul>\n'
        '<div class="pb-check-tools">'
        '<label>Pilot team id <input type="text" class="pb-team" placeholder="customer-success" '
        'pattern="[a-z0-9]+(-[a-z0-9]+)*"></label> '
        '<button type="button" class="md-button pb-export-yaml">Copy as pilot YAML</button> '
        '<button type="button" class="md-button pb-export-md">Copy as Markdown task list</button> '
        '<button type="button" class="md-button pb-reset">Clear ticks</button>'
        '<p class="pb-progress" aria-live="polite"></p>'
        '<textarea class="pb-export-out" rows="8" readonly aria-label="Exported checklist" hidden></textarea>'
        "</div>\n"
        f"{json_script('pb-roadmap-data', steps_data)}\n"
        "</div>\n"
    )
