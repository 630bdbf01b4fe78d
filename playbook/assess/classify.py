"""Answers to the risk questions -> a tier, a review path and the reasons for both.

The result holds no words: each note is a code and its values, worded by :mod:`playbook.explain` from
the message catalog. The site's assessment page runs a JavaScript twin of :func:`classify`
(``playbook/site/assets/assess.js``); golden vectors and the browser tests hold the two to the same answers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from playbook.data.model.items import Condition, Pattern, Policy, Question, ReviewPath, RiskTiers, Rule, Status, Tier
from playbook.data.problems import PlaybookError, closest
from playbook.data.wording import ENGLISH, Words

Answer = bool | float | str | list[str]

REVIEW_ORDER = list(ReviewPath)
"""Review paths from lightest to heaviest; the assessment page embeds this order."""


def lighter(path: ReviewPath, than: ReviewPath) -> bool:
    """True when review path ``path`` is lighter than ``than`` (none < self-service < fast-track < central)."""
    return REVIEW_ORDER.index(path) < REVIEW_ORDER.index(than)


class AnswerError(PlaybookError):
    """An answer is missing, unknown or of the wrong type."""

    def __init__(self, message: str = "", answers: Sequence[tuple[str, Words]] = ()) -> None:
        super().__init__(message)
        self.answers = list(answers)
        """(question id, what is wrong with its answer) for each answer at fault, as :func:`parse_answers` finds it."""

    @classmethod
    def of(cls, answers: Sequence[tuple[str, Words]]) -> AnswerError:
        """One error naming every answer at fault; worded, a line each, only when it is shown."""
        return cls("", answers)

    def __str__(self) -> str:
        if self.answers:
            return "\n".join(ENGLISH(words) for _question, words in self.answers)
        return super().__str__()


@dataclass(frozen=True)
class Reason:
    """A threshold that fired, with the answers that fired it."""

    rule: str
    description: str
    tier: str
    answers: dict[str, Answer]


NoteValue = str | list[str] | list["Note"]
DEPRECATED = frozenset({"deprecated", "deprecated-for"})
"""The codes of notes naming a deprecated part, told even when the fast track is moot."""


@dataclass(frozen=True)
class Note:
    """Something to tell about the fast track: a message code and the values its wording needs.

    ``assess.note.<code>`` in the message catalog words it. A value is a string (a pattern, tier,
    rule, status or review path id; a tier's name), a list of ids, or a list of notes (``blockers``).
    """

    code: str
    params: dict[str, NoteValue] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The note as the assessment page's script gives it: nested notes as mappings too."""
        params = {
            key: [n.as_json() if isinstance(n, Note) else n for n in value] if isinstance(value, list) else value
            for key, value in self.params.items()
        }
        return {"code": self.code, "params": params}


@dataclass(frozen=True)
class Assessment:
    """Where a use case falls and how it is reviewed."""

    tier: Tier
    """The highest tier any fired rule gives; the lowest tier when none fires."""
    review: ReviewPath
    """The review path that applies, after any fast track."""
    reasons: list[Reason]
    """The rules that fired, highest tier first."""
    fast_track: bool = False
    """True when building only on adopted, approved patterns lightened the review."""
    notes: list[Note] = field(default_factory=list)
    """Why the fast track did or did not apply, and successors of deprecated patterns."""


def allowed(question: Question) -> Words:
    """What an answer to ``question`` may be, to be worded."""
    if question.type == "amount":
        return Words("allowed.amount-in", currency=question.currency) if question.currency else Words("allowed.amount")
    if question.type == "yes_no":
        return Words("allowed.yes-no")
    return Words(f"allowed.{question.type.replace('_', '-')}", options=[o.id for o in question.options])


def allowed_values(question: Question) -> str:
    """What an answer to ``question`` may be, in English: for the CLI's prompts and a new file's TODO."""
    return ENGLISH(allowed(question))


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_AMOUNT = re.compile(r"^\d+(?:[,_]\d{3})*(?:\.\d+)?$")


def parse_answer(question: Question, raw: Any) -> Answer:
    """Coerce one answer, given as text (command line) or as YAML/JSON data."""

    def bad(found: Any) -> AnswerError:
        return AnswerError.of([(question.id, Words("answer.not-allowed", question=question.id, text=question.text,
                                                   found=found, allowed=allowed(question)))])

    if question.type == "yes_no":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _YES | _NO:
            return raw.strip().lower() in _YES
        raise bad(raw)
    if question.type == "amount":
        if isinstance(raw, bool):
            raise bad(raw)
        if isinstance(raw, (int, float)):
            value = float(raw)
        elif isinstance(raw, str) and _AMOUNT.match(raw.strip()):
            value = float(raw.strip().replace(",", "").replace("_", ""))
        else:
            raise bad(raw)
        if value < 0 or not math.isfinite(value):
            raise bad(raw)
        return value
    options = {o.id for o in question.options}
    if question.type == "choice":
        if isinstance(raw, str) and raw.strip() in options:
            return raw.strip()
        raise bad(raw)
    if isinstance(raw, str):
        items = [part.strip() for part in raw.split(",") if part.strip()]
        if items == ["none"] and "none" not in options:
            items = []
    elif isinstance(raw, list) and all(isinstance(x, str) for x in raw):
        items = list(raw)
    else:
        raise bad(raw)
    unknown = [x for x in items if x not in options]
    if unknown:
        raise bad(unknown[0])
    return sorted(set(items), key=[o.id for o in question.options].index)


def parse_answers(risk: RiskTiers, raw: Mapping[str, Any], require_all: bool = True) -> dict[str, Answer]:
    """Check and coerce every answer; name each question that is missing or unknown."""
    questions = {q.id: q for q in risk.questions}
    errors: list[tuple[str, Words]] = []
    answers: dict[str, Answer] = {}
    for key, value in raw.items():
        if key not in questions:
            errors.append((key, Words("answer.unknown-question", question=key, suggestion=closest(key, questions),
                                      questions=list(questions))))
            continue
        try:
            answers[key] = parse_answer(questions[key], value)
        except AnswerError as exc:
            errors += exc.answers
    if require_all:
        for q in risk.questions:
            if q.id not in raw:
                errors.append((q.id, Words("answer.missing", question=q.id, text=q.text, allowed=allowed(q))))
    if errors:
        raise AnswerError.of(errors)
    return answers


def condition_holds(condition: Condition, answer: Answer | None) -> bool:
    if answer is None:
        return False
    if condition.equals is not None:
        return answer is condition.equals
    if condition.in_ is not None:
        return answer in condition.in_
    if condition.any_of is not None:
        return isinstance(answer, list) and any(a in condition.any_of for a in answer)
    if condition.at_least is not None:
        return isinstance(answer, float) and answer >= condition.at_least
    return False


def fired_rules(risk: RiskTiers, answers: Mapping[str, Answer]) -> list[Rule]:
    return [r for r in risk.rules if all(condition_holds(c, answers.get(c.question)) for c in r.when)]


def classify(
    answers: Mapping[str, Answer],
    risk: RiskTiers,
    built_on: Sequence[str] = (),
    patterns: Mapping[str, Pattern] | None = None,
    custom_parts: bool = False,
) -> Assessment:
    """Place a use case in a tier and pick its review path.

    ``answers`` must already be parsed (:func:`parse_answers`). ``built_on`` names the
    playbook patterns the solution uses; when every part of it is an adopted pattern
    approved for the tier (and ``custom_parts`` is false), the tier's fast-track path applies.
    """
    order = {t.id: i for i, t in enumerate(risk.tiers)}
    fired = fired_rules(risk, answers)
    fired.sort(key=lambda r: -order.get(r.tier, -1))
    tier = risk.tiers[0]
    if fired and fired[0].tier in order:
        tier = risk.tiers[order[fired[0].tier]]
    reasons = [
        Reason(r.id, r.description, r.tier, {c.question: answers[c.question] for c in r.when if c.question in answers})
        for r in fired
    ]
    review = tier.review
    notes: list[Note] = []
    fast = False
    if built_on:
        blockers = fast_track_blockers(tier, fired, built_on, patterns or {}, custom_parts)
        named: dict[str, NoteValue] = {"tier": tier.id, "tier_name": tier.name}
        if tier.fast_track is None or not lighter(tier.fast_track, review):
            notes.append(Note("no-lighter-path", named))
            # The fast track is moot, but a deprecated part still needs its successor named.
            notes += [b for b in blockers if b.code in DEPRECATED]
        elif blockers:
            notes.append(Note("no-fast-track", {"blockers": blockers}))
        else:
            fast = True
            notes.append(Note("fast-track", {**named, "patterns": list(built_on),
                                             "from": tier.review.value, "to": tier.fast_track.value}))
            review = tier.fast_track
    return Assessment(tier=tier, review=review, reasons=reasons, fast_track=fast, notes=notes)


def fast_track_blockers(
    tier: Tier, fired: Sequence[Rule], built_on: Sequence[str], patterns: Mapping[str, Pattern], custom_parts: bool
) -> list[Note]:
    """Everything that keeps a solution built on ``built_on`` off the tier's fast track, in the order to tell it."""
    blockers: list[Note] = []
    for pid in built_on:
        pattern = patterns.get(pid)
        if pattern is None:
            blockers.append(Note("unknown-pattern", {"pattern": pid}))
            continue
        if pattern.status is Status.deprecated:
            if pattern.superseded_by:
                blockers.append(Note("deprecated-for", {"pattern": pid, "successor": pattern.superseded_by}))
            else:
                blockers.append(Note("deprecated", {"pattern": pid}))
        elif pattern.status is not Status.adopted:
            blockers.append(Note("not-adopted", {"pattern": pid, "status": pattern.status.value}))
        if tier.id not in pattern.tiers:
            blockers.append(Note("not-approved", {"pattern": pid, "tier": tier.id, "tier_name": tier.name}))
    if custom_parts:
        blockers.append(Note("custom-parts"))
    blockers += [Note("full-review", {"rule": r.id}) for r in fired if not r.fast_track]
    return blockers


def policies_at(tier_id: str, policies: Mapping[str, Policy]) -> list[Policy]:
    return [p for p in policies.values() if tier_id in p.tiers]


def patterns_at(tier_id: str, patterns: Mapping[str, Pattern]) -> list[Pattern]:
    return [p for p in patterns.values() if tier_id in p.tiers and p.status is not Status.deprecated]
