"""The words the site's scripts write, in the site's language, and the one function that fills them in."""

from __future__ import annotations

import json

from playbook.i18n import Messages

SCRIPT_KEYS = ("js.", "assess.", "review.", "status.", "search.", "kind.", "usecase.js.")
"""The catalog's keys the scripts word with: their own, an assessment's notes, review paths, statuses,
the search's words and kinds of item, and the register's."""

SAY = r"""/* playbookMessages.say(key, values): the catalog's string for key, each {name} in it taken from values;
   {{ and }} are braces, as in Python's str.format. A key the catalog lacks shows as itself, so it is seen
   and fixed. Every script words its output with it, and none has a filler of its own. */
(function (messages) {
  messages.say = function (key, values) {
    var template = messages.strings[key];
    if (template === undefined) return key;
    return template.replace(/\{\{|\}\}|\{([A-Za-z0-9_]+)\}/g, function (all, name) {
      if (all === "{{") return "{";
      if (all === "}}") return "}";
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  };
})(window.playbookMessages);
"""
"""The one filler of the site's scripts, written into messages.js after the words it reads. Its fallbacks are
those the assessment's script always had: ``{{`` reads as ``{`` (the catalog is Python's str.format), and an
empty string stays empty."""


def script_messages(messages: Messages) -> dict[str, object]:
    """The language (for formatting numbers) and every string the scripts need."""
    strings = {key: text for prefix in SCRIPT_KEYS for key, text in messages.subset(prefix).items()}
    return {"language": messages.language, "strings": strings}


def messages_script(messages: Messages) -> str:
    """``assets/playbook/messages.js``: ``window.playbookMessages``, its words and ``say``.

    The plugin lists it first among the site's scripts on every page, so each script finds it loaded.
    """
    data = json.dumps(script_messages(messages), ensure_ascii=False, sort_keys=True, indent=1)
    return f"window.playbookMessages = {data};\n\n{SAY}"
