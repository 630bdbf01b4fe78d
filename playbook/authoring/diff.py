"""``playbook diff``: two git revisions of a playbook compared in playbook terms, as Markdown for a pull request.

The comparison is computed by :mod:`playbook.history.compare`; this module words it.
"""

from __future__ import annotations

from playbook.history.compare import Changed, ItemChanges, PlaybookDiff, diff_revisions

__all__ = ["diff_revisions", "render_markdown"]


def _md(text: str) -> str:
    """Text safe inside a Markdown list item or table cell."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for char in "*_`[]<>":
        out = out.replace(char, "\\" + char)
    return out


def _details(changed: Changed) -> list[str]:
    """One short line per changed value: ``when[0].at_least``: 50000 → 500, or only its path when not quotable."""
    return [f"`{v.path}`: {_md(v.before)} → {_md(v.after)}" if v.before and v.after else f"`{v.path}`"
            for v in changed.values]


def _section(changes: ItemChanges, heading: str) -> list[str]:
    lines = ["", f"{heading} {changes.what}", ""]
    if not changes:
        return [*lines, "No changes."]
    for label, entries in (("Added", changes.added), ("Removed", changes.removed)):
        if entries:
            lines.append(f"- **{label}:**")
            lines += [f"  - `{key}`{f' — {_md(title)}' if title else ''}" for key, title in entries]
    if changes.changed:
        lines.append("- **Changed:**")
        lines += [f"  - `{c.id}`: {'; '.join(_details(c))}" for c in changes.changed]
    if changes.status_moves:
        lines.append("- **Status moves:**")
        lines += [f"  - `{m.id}`: {m.before} → {m.after}" for m in changes.status_moves]
    return lines


def render_markdown(diff: PlaybookDiff) -> str:
    lines = ["## Playbook changes", "", f"Comparing {diff.base.shown} with {diff.head.shown}."]
    for rev in (diff.base, diff.head):
        if rev.errors:
            lines += [
                "",
                f"> **Warning:** {rev.shown} has {rev.errors} error{'s' * (rev.errors != 1)} "
                "(run `playbook check`); items that fail to load are left out of this comparison.",
            ]
    if diff.empty:
        # Each kind either revision holds, by its title: patterns, policies, pilots, use cases, learnings.
        named = ", ".join(changes.what.lower() for changes in diff.items) or "patterns, policies"
        return "\n".join([*lines, "", f"No changes to {named} or the framework."]) + "\n"
    for changes in diff.items:
        lines += _section(changes, "###")
    framework = [c for c in diff.framework if c]
    lines += ["", "### Framework (risk tiers, roadmap, decision rights)"]
    if not framework:
        lines += ["", "No changes."]
    for changes in framework:
        lines += _section(changes, "####")
    lines += ["", "### Worked examples that change tier", ""]
    if not diff.tier_moves:
        lines.append("None: every worked example gets the same tier under both revisions' thresholds.")
    else:
        lines += [
            f"Each example is classified with the thresholds of {diff.base.shown} and of {diff.head.shown}.",
            "",
            "| Example | Tier before | Tier after | Rules that fire after |",
            "| --- | --- | --- | --- |",
        ]
        for move in diff.tier_moves:
            fired = ", ".join(f"`{r}`" for r in move.fired_after) or "none"
            lines.append(
                f"| `{move.example}` — {_md(move.description)} | {move.before or 'cannot classify'} "
                f"| {move.after or 'cannot classify'} | {fired} |"
            )
    if diff.registered:
        lines += _usecase_section(diff)
    return "\n".join(lines) + "\n"


def _usecase_section(diff: PlaybookDiff) -> list[str]:
    lines = ["", "### Registered use cases that move", ""]
    if not diff.usecase_moves:
        return [*lines, "None: every registered use case keeps its tier and review path."]
    lines += [
        f"Each use case, as it is in {diff.head.shown}, is assessed with the thresholds and patterns of "
        f"{diff.base.shown} and of {diff.head.shown}.",
        "",
        "| Use case | Before (tier, review) | After (tier, review) | Rules that fire after |",
        "| --- | --- | --- | --- |",
    ]
    for move in diff.usecase_moves:
        before = ", ".join(move.before) if move.before else "cannot classify"
        after = ", ".join(move.after) if move.after else "cannot classify"
        fired = ", ".join(f"`{r}`" for r in move.fired_after) or "none"
        lines.append(f"| `{move.id}` — {_md(move.title)} | {before} | {after} | {fired} |")
    return lines
