"""What ``playbook check`` prints: the problems worded as text, JSON or GitHub Actions annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from playbook.data.problems import Problem, summary
from playbook.data.wording import ENGLISH, Wording


@dataclass(frozen=True)
class Reporter:
    """Words a check's problems as lines of output.

    A problem reaches the reporter as its code and data; the reporter words it (in English unless
    given another ``wording``) and puts it in its form.
    """

    root: str = ""
    """The playbook's folder relative to the working folder (``""`` when it is the working folder), for
    output that names files from there; problems name them from the playbook's folder."""
    wording: Wording = field(default=ENGLISH, compare=False)
    """The language problems are worded in."""

    def lines(self, problems: Sequence[Problem], files: int) -> list[str]:
        raise NotImplementedError


class TextReporter(Reporter):
    """``path:line:col: severity: message [code]`` per problem, then the count: for people and editors."""

    def lines(self, problems: Sequence[Problem], files: int) -> list[str]:
        return [*(self.line(p) for p in problems), summary(list(problems), files)]

    def line(self, p: Problem) -> str:
        return p.text(self.wording)


class JsonReporter(Reporter):
    """One JSON list of problems, each with its position, wording and structured data: for other tools.

    ``words`` is what the message was worded from (its catalog key and values), for a tool that words
    problems its own way.
    """

    def lines(self, problems: Sequence[Problem], files: int) -> list[str]:
        return [json.dumps([self.record(p) for p in problems], indent=2)]

    def record(self, p: Problem) -> dict[str, object]:
        return {
            "path": p.path, "line": p.line, "column": p.column, "severity": p.severity, "code": p.code,
            "message": self.wording(p.words), "field": p.field, "value": p.value, "suggestion": p.suggestion,
            "target_kind": p.target_kind, "target_id": p.target_id, "words": p.words.as_dict(),
        }


class GithubReporter(Reporter):
    """GitHub Actions workflow commands, which show each problem on its line of a pull request's diff.

    See https://docs.github.com/actions/reference/workflow-commands-for-github-actions. GitHub finds the
    file from the repository's top, where a workflow runs, so paths start with ``root``.
    """

    def lines(self, problems: Sequence[Problem], files: int) -> list[str]:
        prefix = f"{self.root.rstrip('/')}/" if self.root not in ("", ".") else ""
        lines = [
            f"::{p.severity} file={_property(prefix + p.path)},line={p.line},col={p.column},"
            f"title={_property(p.code)}::{_data(self.wording(p.words))}"
            for p in problems
        ]
        return [*lines, summary(list(problems), files)]


def _data(text: str) -> str:
    """A command's message, escaped as GitHub's own toolkit does (``escapeData`` in @actions/core)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A command's property value, escaped as ``escapeProperty`` in @actions/core: its : and , end the value."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


REPORTER_BY_NAME: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
}
"""Each ``--format`` of ``playbook check`` and the reporter that writes it."""
