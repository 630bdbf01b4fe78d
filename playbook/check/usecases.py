"""The rules of one registered use case: its team, patterns, decision and the tier its answers give."""

from __future__ import annotations

import difflib

from playbook.assess.classify import classify, lighter
from playbook.check.checker import Checker
from playbook.data.kinds import PATTERN
from playbook.data.model.items import Status
from playbook.data.model.usecase import Outcome, UseCase
from playbook.data.source import Source
from playbook.data.wording import Words

NEAR_MISS = 0.85
"""How alike two capability names must be for one to be a likely misspelling of the other. Stricter than for
ids: names of different capabilities often share a long word (``duplicate-detection``, ``anomaly-detection``)."""


def check_usecase(checker: Checker, case: UseCase, src: Source) -> None:
    """Report, at their lines, the problems of one use case; :mod:`playbook.check.validate` calls it for each."""
    pb = checker.pb
    checker.team(src, ("team",), case.team, Words("unknown-team.add", team=case.team))
    checker.refs(src, ("patterns",), case.patterns, pb.patterns, PATTERN)
    for i, pattern_id in enumerate(case.patterns):
        pattern = pb.patterns.get(pattern_id)
        if pattern is not None and pattern.status is Status.deprecated:
            words = (Words("usecase-on-deprecated.successor", pattern=pattern_id, successor=pattern.superseded_by)
                     if pattern.superseded_by else Words("usecase-on-deprecated", pattern=pattern_id))
            checker.report(src, ("patterns", i), "deprecated-ref", words, severity="warning",
                           suggestion=pattern.superseded_by, target_kind=PATTERN.name, target_id=pattern_id)
    _check_decision(checker, case, src)
    _check_built(checker, case, src)
    risk = pb.risk_tiers
    if risk is None:
        return
    checker.ref(src, ("tier",), case.tier, checker.tier_ids, "tier")
    answers = checker.parsed_answers(src, (), risk, case.answers, Words("subject.usecase", id=case.id))
    if answers is None:
        return
    result = classify(answers, risk, case.patterns, pb.patterns, case.builds_own_parts)
    if case.tier is not None and case.tier in checker.tier_ids and case.tier != result.tier.id:
        fired = [Words("fired", rule=r.rule, tier=r.tier) for r in result.reasons]
        words = (Words("tier-mismatch", tier=case.tier, computed=result.tier.id, fired=fired) if fired
                 else Words("tier-mismatch.lowest", tier=case.tier, computed=result.tier.id))
        checker.report(src, ("tier",), "tier-mismatch", words, value=case.tier, suggestion=result.tier.id)
    if case.review is not None and lighter(case.review, result.review):
        checker.report(src, ("review",), "review-too-light",
                       Words("review-too-light", review=case.review.value, computed=result.review.value,
                             tier=result.tier.id),
                       severity="warning", value=case.review.value, suggestion=result.review.value)


def _check_decision(checker: Checker, case: UseCase, src: Source) -> None:
    if case.decided is not None:
        if case.decided < case.requested:
            checker.report(src, ("decided",), "bad-date",
                           Words("decided-before-requested", decided=case.decided, requested=case.requested),
                           value=case.decided.isoformat())
        if case.outcome is None:
            checker.report(src, ("decided",), "missing-field",
                           Words("decided-without-outcome", decided=case.decided, outcomes=[o.value for o in Outcome]))
    elif case.outcome is not None:
        checker.report(src, ("outcome",), "missing-field",
                       Words("outcome-without-decision", outcome=case.outcome.value))
    if case.conditions and case.outcome is not Outcome.approved_with_conditions:
        checker.report(src, ("conditions",), "bad-value", Words("conditions-without-approval"), severity="warning")


def _check_built(checker: Checker, case: UseCase, src: Source) -> None:
    """The parts a case built itself: ``custom_parts`` derived from them, and names other cases can match."""
    if "custom_parts" in case.model_fields_set:
        flag, count = ("custom_parts",), len(case.built)
        if not case.built:
            if case.custom_parts:
                checker.report(src, flag, "custom-parts", Words("custom-parts-derived"), severity="warning")
        elif case.custom_parts:
            checker.report(src, flag, "custom-parts", Words("custom-parts-redundant", count=count), severity="warning")
        else:
            checker.report(src, flag, "custom-parts", Words("custom-parts-contradicts", count=count),
                           severity="warning")
    named = checker.capability_users
    seen: set[str] = set()
    for i, part in enumerate(case.built):
        key, loc = part.key, ("built", i, "capability")
        if not key:
            checker.report(src, loc, "bad-value", Words("capability-empty", capability=part.capability),
                           value=part.capability)
            continue
        if "TODO" in part.capability:  # check_todos says what to do with a placeholder
            continue
        if key != part.capability:
            checker.report(src, loc, "capability-name", Words("capability-spelling", capability=part.capability,
                                                               key=key),
                           severity="warning", value=part.capability, suggestion=key)
        if key in seen:
            checker.report(src, loc, "duplicate-id", Words("capability-twice", key=key), severity="warning", value=key)
            continue
        seen.add(key)
        pattern = checker.pb.patterns.get(key)
        if pattern is not None and pattern.status is Status.adopted:
            checker.report(src, loc, "capability-name", Words("capability-is-pattern", key=key), severity="warning",
                           value=key, target_kind=PATTERN.name, target_id=key)
        elif pattern is None and named.get(key, 0) <= 1:
            close = difflib.get_close_matches(key, [other for other in named if other != key], 1, NEAR_MISS)
            suggestion = close[0] if close else None
            if suggestion is not None:
                checker.report(src, loc, "capability-name", Words("capability-near-miss", key=key,
                                                                   suggestion=suggestion),
                               severity="warning", value=key, suggestion=suggestion)
