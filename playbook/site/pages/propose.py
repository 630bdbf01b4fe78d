"""Proposing a new file in one click: "Report a learning", "Propose a pattern" and the proposing end of
"Register this use case".

Each form embeds what its script needs to write a file ``playbook check`` accepts as it is: the id rules of
the model, the ids already taken, the teams, and the repository's new-file editor, found from ``repo_url``
and ``edit_uri``. Where there is no such editor, or the file is too long for a link, the script offers the
file as a download and says where it goes.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, StringConstraints

from playbook.data.kinds import LEARNING, PATTERN, RESERVED_IDS, USECASE, Kind, section_page
from playbook.data.model.items import (
    ID_MAX_LENGTH,
    ID_MIN_LENGTH,
    ID_PATTERN,
    REVIEW_MONTHS,
    Control,
    ControlKind,
    Pattern,
)
from playbook.data.model.learning import Learning, LearningStatus
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.text import render

URL_LIMIT = 8_000
"""The longest link to a host's editor the forms write, in characters. GitHub answers a longer address with
414 URI Too Long (its limit is 8,191 bytes: github/docs#4537), and nginx, in front of GitLab, refuses a
request line longer than one 8 KB buffer (``large_client_header_buffers 4 8k``). A longer file is offered
as a download."""

Host = Literal["auto", "github", "gitlab", "none"]
"""How the forms open a new file: ``auto`` reads it from ``repo_url``; ``none`` always offers a download."""

CHOICES = 60
"""Up to this many patterns (or policies) the learning form offers a box to tick for each; beyond it, a field
for their ids, checked against the ids the page embeds: a thousand boxes help nobody and weigh the page."""


@dataclass(frozen=True)
class Editor:
    """A repository host's page for a new file, which takes the file's name and content in its address."""

    host: str
    """The host's name as the page says it: GitHub or GitLab."""
    base: str
    """The address of the new-file page up to the playbook's root folder, with a trailing slash:
    ``https://github.com/org/playbook/new/main/``."""
    name: str
    """The query parameter naming the file: ``filename`` on GitHub, ``file_name`` on GitLab."""
    content: str
    """The query parameter holding its text: ``value`` on GitHub, ``content`` on GitLab."""

    def data(self, folder: str) -> dict[str, object]:
        """What the script needs to open a new file in ``folder``."""
        return {"host": self.host, "base": f"{self.base}{folder}", "name": self.name, "content": self.content,
                "limit": URL_LIMIT}


def branch_and_prefix(repo_url: str, edit_uri: str) -> tuple[str, str] | None:
    """The branch an ``edit_uri`` edits and the playbook's folder in the repository, with a trailing slash
    unless it is the root: ``edit/main/`` -> ``("main", "")``, ``-/edit/main/handbook/`` -> ``("main",
    "handbook/")``. None when the branch cannot be read from it."""
    path = edit_uri
    if urlsplit(edit_uri).scheme:
        # An absolute edit_uri repeats the repository's address first.
        if not edit_uri.startswith(repo_url.rstrip("/") + "/"):
            return None
        path = edit_uri[len(repo_url.rstrip("/")) + 1:]
    parts = [part for part in path.split("?")[0].split("#")[0].split("/") if part]
    if parts[:1] == ["-"]:
        parts = parts[1:]
    if len(parts) < 2 or parts[0] not in ("edit", "blob", "tree"):
        return None
    prefix = "/".join(parts[2:])
    return parts[1], f"{prefix}/" if prefix else ""


def editor(repo_url: str | None, edit_uri: str | None, host: Host = "auto") -> Editor | None:
    """The new-file editor of the playbook's repository, or None when the forms should offer a download.

    ``auto`` knows github.com, gitlab.com and hosts whose name starts with ``gitlab.`` (a self-managed GitLab);
    the plugin's ``propose`` setting names the host of any other address, such as GitHub Enterprise.
    """
    if host == "none" or not repo_url or not edit_uri:
        return None
    url = repo_url.rstrip("/").removesuffix(".git")
    name = (urlsplit(url).hostname or "").lower()
    if host == "auto":
        host = "github" if name == "github.com" else "gitlab" if name == "gitlab.com" or name.startswith(
            "gitlab.") else "none"
    found = branch_and_prefix(url, edit_uri)
    if host == "none" or found is None:
        return None
    branch, prefix = found
    if host == "github":
        return Editor("GitHub", f"{url}/new/{branch}/{prefix}", "filename", "value")
    return Editor("GitLab", f"{url}/-/new/{branch}/{prefix}", "file_name", "content")


def id_rule(kind: Kind) -> dict[str, object]:
    """The model's rules for an id of ``kind``, for the forms to refuse a wrong one before anything is written:
    its pattern and lengths, and the reserved ids with the section page each would take."""
    reserved = {item_id: section_page(kind, item_id) for item_id in sorted(RESERVED_IDS)}
    return {"pattern": ID_PATTERN, "min": ID_MIN_LENGTH, "max": ID_MAX_LENGTH, "reserved": reserved}


def _lengths(annotation: Any) -> list[int]:
    """Every ``max_length`` of the string constraints in a type, through Annotated, lists and optionals."""
    found = [m.max_length for m in getattr(annotation, "__metadata__", ())
             if isinstance(m, StringConstraints) and m.max_length is not None]
    return found + [n for arg in typing.get_args(annotation) for n in _lengths(arg)]


def max_length(model: type[BaseModel], field: str) -> int:
    """The longest text a string field, or each entry of a list of strings, takes."""
    info = model.model_fields[field]
    found = [m.max_length for m in info.metadata if isinstance(m, StringConstraints) and m.max_length is not None]
    found += _lengths(info.annotation)
    assert found, f"{model.__name__}.{field} has no length limit"
    return min(found)


def max_entries(model: type[BaseModel], field: str) -> int:
    """The most entries a list field takes."""
    found = [m.max_length for m in model.model_fields[field].metadata if getattr(m, "max_length", None) is not None]
    assert found, f"{model.__name__}.{field} has no limit on its entries"
    return int(found[0])


def _form_data(kind: Kind, ids: list[str], target: Editor | None, **extra: object) -> dict[str, object]:
    assert kind.folder is not None
    return {
        "kind": kind.name,
        "folder": kind.folder,
        "schema": f"../schemas/{kind.schema_name}",
        "ids": ids,
        "rule": id_rule(kind),
        "target": target.data(kind.folder) if target else None,
        **extra,
    }


def learning_form(playbook: Playbook, messages: Messages, register: str, target: Editor | None) -> str:
    """The "Report a learning" form, with every pattern, policy and pilot team to choose from; ``register`` is
    the link to the register's published rows, which hold the use cases' ids."""
    typed = {kind: list(items) for kind, items in (("patterns", playbook.patterns), ("policies", playbook.policies))
             if len(items) > CHOICES}
    data = _form_data(
        LEARNING, list(playbook.learnings), target,
        teams=list(playbook.pilots),
        usecases=register if playbook.usecases else None,
        known=typed,
    )
    limits = {name: max_length(Learning, name) for name in ("title", "what_happened", "impact", "what_changed")}
    return render(
        "propose_learning.html", messages, data=data, limits=limits,
        teams=[(team, pilot.name) for team, pilot in playbook.pilots.items()],
        statuses=[s.value for s in LearningStatus],
        patterns=sorted(playbook.patterns.values(), key=lambda p: p.title.lower()),
        policies=sorted(playbook.policies.values(), key=lambda p: p.title.lower()),
        typed=typed,
    )


def pattern_form(playbook: Playbook, messages: Messages, target: Editor | None) -> str:
    """The "Propose a pattern" form: a pattern starts as proposed, due for review in six months."""
    entries = {"count": max_entries(Pattern, "when_to_use"), "max": max_length(Pattern, "when_to_use")}
    assert entries == {"count": max_entries(Pattern, "when_not_to_use"), "max": max_length(Pattern, "when_not_to_use")}
    data = _form_data(PATTERN, list(playbook.patterns), target, reviewMonths=REVIEW_MONTHS, entries=entries)
    limits = {name: max_length(Pattern, name) for name in ("title", "summary", "category", "owner", "how_it_works")}
    limits["control_text"] = max_length(Control, "text")
    return render(
        "propose_pattern.html", messages, data=data, limits=limits,
        categories=sorted({p.category for p in playbook.patterns.values()}, key=str.casefold),
        tiers=playbook.tiers,
        controls=[c.value for c in ControlKind],
    )


def usecase_form_data(playbook: Playbook, register: str, target: Editor | None) -> dict[str, object]:
    """What "Register this use case" needs to propose its file: the use-case ids are read from the register's
    published rows (at ``register``) when the form is first used, not embedded: a register may hold thousands."""
    return _form_data(USECASE, [], target, teams=list(playbook.pilots),
                      usecases=register if playbook.usecases else None)
