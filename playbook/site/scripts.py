"""The words the site's scripts write, in the site's language, as data a page embeds or loads."""

from __future__ import annotations

import json

from ..i18n import Messages

SCRIPT_KEYS = ("js.", "assess.", "review.", "status.", "search.", "kind.", "usecase.js.")
"""The catalog's keys the scripts word with: their own, an assessment's notes, review paths, statuses,
the search's words and kinds of item, and the register's."""


def script_messages(messages: Messages) -> dict[str, object]:
    """The language (for formatting numbers) and every string the scripts need."""
    strings = {key: text for prefix in SCRIPT_KEYS for key, text in messages.subset(prefix).items()}
    return {"language": messages.language, "strings": strings}


def messages_script(messages: Messages) -> str:
    """``assets/playbook/messages.js``: sets ``window.playbookMessages`` for playbook.js on every page."""
    data = json.dumps(script_messages(messages), ensure_ascii=False, sort_keys=True, indent=1)
    return f"window.playbookMessages = {data};\n"
