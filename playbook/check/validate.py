"""Cross-references and rules that span files -> a sorted list of problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playbook.assess.classify import classify, fired_rules, lighter
from playbook.check.checker import Checker, suggest
from playbook.check.learnings import check_learning
from playbook.check.usecases import check_usecase
from playbook.data.kinds import (
    DECISION_RIGHTS,
    KINDS,
    LEARNING,
    PATTERN,
    PILOT,
    POLICY,
    RISK_TIERS,
    ROADMAP,
    USECASE,
    Kind,
)
from playbook.data.load import ReadFiles, load
from playbook.data.model.items import (
    Condition,
    DecisionRights,
    Example,
    Pattern,
    Pilot,
    Policy,
    Question,
    RiskTiers,
    Roadmap,
    Status,
)
from playbook.data.model.playbook import Playbook
from playbook.data.problems import PlaybookError, Problem
from playbook.data.source import Loc, Source
from playbook.data.wording import Words


class _Rules(Checker):
    """Every kind's rules but the register's (:mod:`playbook.check.usecases`) and the learnings'
    (:mod:`playbook.check.learnings`), and the run over them all."""

    def run(self) -> list[Problem]:
        checks: dict[Kind, Callable[[Any, Source], None]] = {
            PATTERN: self.check_pattern,
            POLICY: self.check_policy,
            RISK_TIERS: self.check_risk_tiers,
            ROADMAP: self.check_roadmap,
            DECISION_RIGHTS: self.check_decision_rights,
            PILOT: self.check_pilot,
            USECASE: lambda case, src: check_usecase(self, case, src),
            LEARNING: lambda learning, src: check_learning(self, learning, src),
        }
        for kind in KINDS:
            check = checks.get(kind)
            for item_id, item in kind.loaded(self.pb):
                source = self.pb.source_of(kind, item_id)
                if check is not None:
                    check(item, source)
                if kind.collection:
                    self.check_todos(item, source)
                    self.reserved(source, (kind.id_field,), kind, item_id)
        # A TODO left where a value is required is already an error (a use case's answer); say it once.
        errors = {(p.path, p.line, p.column) for p in self.problems if p.severity == "error"}
        return sorted(p for p in self.problems if p.code != "todo" or (p.path, p.line, p.column) not in errors)

    def check_pattern(self, pattern: Pattern, src: Source) -> None:
        if self.pb.risk_tiers:
            self.refs(src, ("tiers",), pattern.tiers, self.tier_ids, "tier")
        self.refs(src, ("related",), pattern.related, self.pb.patterns, PATTERN)
        if pattern.id in pattern.related:
            self.report(src, ("related", pattern.related.index(pattern.id)), "bad-value",
                        Words("related-to-itself"), value=pattern.id)
        if pattern.superseded_by is not None:
            if pattern.status is not Status.deprecated:
                self.report(src, ("superseded_by",), "bad-value",
                            Words("superseded-not-deprecated", status=pattern.status.value),
                            value=pattern.superseded_by)
            self.ref(src, ("superseded_by",), pattern.superseded_by, self.pb.patterns, PATTERN)
            successor = self.pb.patterns.get(pattern.superseded_by)
            if successor is not None and successor.status is Status.deprecated:
                self.report(src, ("superseded_by",), "deprecated-ref",
                            Words("successor-deprecated", successor=successor.id), severity="warning",
                            target_kind=PATTERN.name, target_id=successor.id)
        elif pattern.status is Status.deprecated:
            self.report(src, ("status",), "no-successor", Words("no-successor"), severity="warning")
        self.review_date(src, pattern.title, pattern.review_by)

    def check_policy(self, policy: Policy, src: Source) -> None:
        if self.pb.risk_tiers:
            self.refs(src, ("tiers",), policy.tiers, self.tier_ids, "tier")
        self.refs(src, ("patterns",), policy.patterns, self.pb.patterns, PATTERN)
        for i, pid in enumerate(policy.patterns):
            pattern = self.pb.patterns.get(pid)
            if pattern is not None and pattern.status is Status.deprecated:
                words = (Words("policy-on-deprecated.successor", pattern=pid, successor=pattern.superseded_by)
                         if pattern.superseded_by else Words("policy-on-deprecated", pattern=pid))
                self.report(src, ("patterns", i), "deprecated-ref", words, severity="warning",
                            suggestion=pattern.superseded_by, target_kind=PATTERN.name, target_id=pid)
        self.review_date(src, policy.title, policy.review_by)

    def check_risk_tiers(self, risk: RiskTiers, src: Source) -> None:
        self.unique(src, ("tiers",), [t.id for t in risk.tiers], "tier")
        self.unique(src, ("questions",), [q.id for q in risk.questions], "question")
        self.unique(src, ("rules",), [r.id for r in risk.rules], "rule")
        self.unique(src, ("examples",), [e.id for e in risk.examples], "example")
        for i, tier in enumerate(risk.tiers):
            if tier.fast_track is not None and not lighter(tier.fast_track, tier.review):
                self.report(src, ("tiers", i, "fast_track"), "bad-value",
                            Words("fast-track-not-lighter", fast_track=tier.fast_track.value, review=tier.review.value),
                            value=tier.fast_track.value)
        questions = {q.id: q for q in risk.questions}
        for i, q in enumerate(risk.questions):
            loc = ("questions", i)
            if q.type in ("choice", "multi_choice"):
                if len(q.options) < 2:
                    self.report(src, (*loc, "options"), "bad-value",
                                Words("too-few-options", question=q.id, type=q.type))
                self.unique(src, (*loc, "options"), [o.id for o in q.options], "option")
            elif q.options:
                self.report(src, (*loc, "options"), "bad-value", Words("no-options", question=q.id, type=q.type))
        for i, rule in enumerate(risk.rules):
            self.ref(src, ("rules", i, "tier"), rule.tier, self.tier_ids, "tier")
            for j, cond in enumerate(rule.when):
                self.check_condition(src, ("rules", i, "when", j), questions, cond)
        for i, example in enumerate(risk.examples):
            self.check_example(src, ("examples", i), risk, example, questions)

    def check_condition(self, src: Source, loc: Loc, questions: dict[str, Question], cond: Condition) -> None:
        qid = cond.question
        if qid not in questions:
            self.ref(src, (*loc, "question"), qid, questions, "question")
            return
        q = questions[qid]
        given = [name for name, value in (("equals", cond.equals), ("in", cond.in_), ("any_of", cond.any_of),
                                          ("at_least", cond.at_least)) if value is not None]
        expected = {"yes_no": "equals", "choice": "in", "multi_choice": "any_of", "amount": "at_least"}[q.type]
        if given != [expected]:
            self.report(src, loc, "bad-condition",
                        Words("one-test", type=q.type, question=qid, expected=expected, found=given or [Words("none")]),
                        suggestion=expected, target_kind="question", target_id=qid)
            return
        options = [o.id for o in q.options]
        values = cond.in_ if expected == "in" else cond.any_of if expected == "any_of" else None
        for k, value in enumerate(values or []):
            if value not in options:
                suggestion, listed = suggest(value, options)
                words = (Words("not-an-option.listed", value=value, question=qid, known=listed) if listed
                         else Words("not-an-option", value=value, question=qid, suggestion=suggestion))
                self.report(src, (*loc, expected, k), "unknown-ref", words,
                            value=value, suggestion=suggestion, target_kind="option", target_id=value)

    def check_example(self, src: Source, loc: Loc, risk: RiskTiers, example: Example,
                      questions: dict[str, Question]) -> None:
        self.ref(src, (*loc, "expected_tier"), example.expected_tier, self.tier_ids, "tier")
        self.refs(src, (*loc, "patterns"), example.patterns, self.pb.patterns, PATTERN)
        answers = self.parsed_answers(src, loc, risk, example.answers, Words("subject.example", id=example.id))
        if answers is None:
            return
        if example.expected_tier not in self.tier_ids:
            return
        result = classify(answers, risk, example.patterns, self.pb.patterns)
        if result.tier.id != example.expected_tier:
            fired = [Words("fired", rule=r.id, tier=r.tier) for r in fired_rules(risk, answers)]
            self.report(src, (*loc, "expected_tier"), "example-mismatch",
                        Words("example-mismatch", example=example.id, tier=result.tier.id,
                              expected=example.expected_tier, fired=fired or [Words("none")]),
                        value=example.expected_tier, suggestion=result.tier.id)

    def check_roadmap(self, roadmap: Roadmap, src: Source) -> None:
        self.unique(src, ("steps",), [s.id for s in roadmap.steps], "step")
        for i, step in enumerate(roadmap.steps):
            self.reserved(src, ("steps", i, "id"), ROADMAP, step.id)
        windows = [i for i, s in enumerate(roadmap.steps) if s.pilot_window]
        for i in windows[1:]:
            self.report(src, ("steps", i, "pilot_window"), "bad-value",
                        Words("one-pilot-window", step=roadmap.steps[windows[0]].id))
        seen: dict[str, str] = {}
        roles = [r.id for r in self.pb.decision_rights.roles] if self.pb.decision_rights else None
        for i, step in enumerate(roadmap.steps):
            for j, item in enumerate(step.checklist):
                loc = ("steps", i, "checklist", j)
                if item.id in seen:
                    self.report(src, (*loc, "id"), "duplicate-id",
                                Words("checklist-id-taken", id=item.id, step=seen[item.id]), value=item.id)
                seen[item.id] = step.id
                if roles is not None:
                    self.ref(src, (*loc, "owner"), item.owner, roles, "role")
            self.refs(src, ("steps", i, "patterns"), step.patterns, self.pb.patterns, PATTERN)
            self.refs(src, ("steps", i, "policies"), step.policies, self.pb.policies, POLICY)

    def check_decision_rights(self, rights: DecisionRights, src: Source) -> None:
        roles = [r.id for r in rights.roles]
        self.unique(src, ("roles",), roles, "role")
        self.unique(src, ("decisions",), [d.id for d in rights.decisions], "decision")
        for i, decision in enumerate(rights.decisions):
            loc = ("decisions", i)
            for letter in ("responsible", "accountable", "consulted", "informed"):
                self.refs(src, (*loc, "raci", letter), getattr(decision.raci, letter), roles, "role")
            accountable = decision.raci.accountable
            if len(accountable) != 1:
                words = (Words("one-accountable.many", decision=decision.id, count=len(accountable), roles=accountable)
                         if accountable else Words("one-accountable", decision=decision.id))
                self.report(src, (*loc, "raci", "accountable"), "raci", words, key=not accountable)
            if self.pb.risk_tiers:
                self.ref(src, (*loc, "escalates_from"), decision.escalates_from, self.tier_ids, "tier")
            if decision.ownership == "distributed" and decision.escalates_from is None:
                self.report(src, (*loc, "ownership"), "no-escalation", Words("no-escalation", decision=decision.id),
                            severity="warning")

    def check_pilot(self, pilot: Pilot, src: Source) -> None:
        if pilot.end <= pilot.start:
            self.report(src, ("end",), "bad-date", Words("end-before-start", end=pilot.end, start=pilot.start),
                        value=pilot.end.isoformat())
        if self.pb.roadmap is None:
            return
        steps = self.step_ids
        items = self.checklist_items
        self.ref(src, ("step",), pilot.step, steps, "roadmap step")
        for item_id in pilot.checklist:
            self.ref(src, ("checklist", item_id), item_id, items, "checklist item", key=True)
        if pilot.step in steps:
            current = steps.index(pilot.step)
            open_items = [
                item_id for item_id, (step, _item) in items.items()
                if steps.index(step.id) < current and not pilot.checklist.get(item_id, False)
            ]
            if open_items:
                shown = {"step": pilot.step, "count": len(open_items), "items": open_items[:5]}
                more = len(open_items) > 5
                words = Words("pilot-progress.more", **shown) if more else Words("pilot-progress", **shown)
                self.report(src, ("step",), "pilot-progress", words, severity="warning", value=pilot.step)






def validate(playbook: Playbook, today: dt.date | None = None) -> list[Problem]:
    """Check every rule that spans files; the problems come sorted by file and line."""
    return _Rules(playbook, today or dt.date.today()).run()


def check(root: Path | str, today: dt.date | None = None, read: ReadFiles | None = None
          ) -> tuple[Playbook, list[Problem], int]:
    """Load and validate a playbook: the playbook, every problem (sorted), and the file count; ``read`` as for
    :func:`~playbook.data.load.load`."""
    playbook, problems, count = load(root, read)
    return playbook, sorted(problems + validate(playbook, today)), count


def valid_playbook(root: Path | str, purpose: str) -> Playbook:
    """The playbook, for commands that need it whole; a PlaybookError listing every error otherwise.

    ``purpose`` ends the message: "the playbook has 2 error(s); fix them before <purpose>".
    """
    playbook, problems, _count = check(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise PlaybookError(f"the playbook has {len(errors)} error(s); fix them before {purpose}", errors)
    return playbook
