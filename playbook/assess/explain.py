"""Words an assessment in a language: its notes and review path, from the message catalog.

The CLI words with the English catalog, the site with its own; assess.js reads the same templates
and the same tables below from the data the assessment page embeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from playbook.assess.classify import Assessment, Note
from playbook.i18n import Messages

NOTE_PREFIX = "assess.note."
"""``assess.note.<code>`` words a note; its ``{name}`` placeholders take the note's values."""
JOIN_PREFIX = "assess.join."
"""``assess.join.<name>`` separates the items of a list value, such as ``blockers`` or ``patterns``."""
LABELLED = {"status": "status.", "from": "assess.path.", "to": "assess.path."}
"""Values that also have a label: ``{status_label}`` is the catalog's ``status.<status>``, and so on."""

ENGLISH = Messages()
"""The catalog the CLI words with: English, without any playbook's overrides."""


@dataclass(frozen=True)
class Wording:
    """An assessment's words in one language."""

    review: str
    """The review path's label."""
    notes: list[str]
    """Each note, worded."""


def note_text(note: Note, messages: Messages) -> str:
    """One note in the catalog's language."""
    return messages(NOTE_PREFIX + note.code, **_values(note.params, messages))


def _values(params: Mapping[str, object], messages: Messages) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in params.items():
        if isinstance(value, list):
            items = [note_text(v, messages) if isinstance(v, Note) else str(v) for v in value]
            values[name] = messages(JOIN_PREFIX + name).join(items)
        else:
            values[name] = str(value)
            if name in LABELLED:
                values[f"{name}_label"] = messages(LABELLED[name] + str(value))
    return values


def describe(result: Assessment, messages: Messages) -> Wording:
    """The review path and notes of ``result`` worded in ``messages``' language."""
    return Wording(
        review=messages(f"review.{result.review.value}"),
        notes=[note_text(note, messages) for note in result.notes],
    )
