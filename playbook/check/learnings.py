"""The rules of one learning: its team, the items it names, its date, and what changed once it is addressed."""

from __future__ import annotations

from playbook.check.checker import Checker
from playbook.data.kinds import PATTERN, POLICY, USECASE
from playbook.data.model.learning import Learning, LearningStatus
from playbook.data.source import Source
from playbook.data.wording import Words


def check_learning(checker: Checker, learning: Learning, src: Source) -> None:
    """Report, at their lines, the problems of one learning; :mod:`playbook.check.validate` calls it for each."""
    pb = checker.pb
    checker.team(src, ("team",), learning.team, Words("unknown-team.learning", team=learning.team))
    checker.refs(src, ("patterns",), learning.patterns, pb.patterns, PATTERN)
    checker.refs(src, ("policies",), learning.policies, pb.policies, POLICY)
    checker.refs(src, ("usecases",), learning.usecases, pb.usecases, USECASE)
    if learning.date > checker.today:
        checker.report(src, ("date",), "bad-date",
                       Words("learning-in-the-future", date=learning.date),
                       value=learning.date.isoformat())
    if learning.status is LearningStatus.addressed and learning.what_changed is None:
        checker.report(src, ("status",), "missing-field", Words("addressed-without-change"))
