"""Our own macros for the hand-written pages in docs/, beside the engine's (``playbook.macros``).

mkdocs-macros (and Zensical's macros) load this folder after the engine's macros (``module_name: macros`` in
mkdocs.yml), so a page can call both: ``{{ pattern_catalog() }}`` from the engine, ``{{ pattern_owners() }}`` from here.
The engine's macros upgrade with the engine; these are ours to change.

To add one: write a function under ``define_env``, decorate it with ``@env.macro``, give it a docstring,
and call it in a page. A macro returns Markdown. Read the playbook with ``playbook_of(env)`` (loaded and
checked once per build), never the YAML files; link a docs path from ``docs_base(env)``, which works under
mkdocs-macros and Zensical alike; put every value through ``escape`` or ``link``, so that text from the YAML
shows as text and never as markup. ``playbook serve`` reloads this folder on save.
"""

from __future__ import annotations

from typing import Any

from playbook.macros import docs_base, playbook_of
from playbook.site.text import escape, link


def define_env(env: Any) -> None:
    @env.macro
    def pattern_owners() -> str:
        """Each pattern owner, with the patterns they answer for, linked: whom to ask before changing one."""
        owners: dict[str, list[tuple[str, str]]] = {}
        for pattern in playbook_of(env).patterns.values():
            owners.setdefault(pattern.owner, []).append((pattern.title, pattern.id))
        lines = []
        for owner in sorted(owners, key=str.casefold):
            patterns = ", ".join(link(title, f"patterns/{pattern_id}.md", docs_base(env))
                                 for title, pattern_id in sorted(owners[owner], key=lambda p: p[0].casefold()))
            lines.append(f"- **{escape(owner)}:** {patterns}\n")
        return "".join(lines)
