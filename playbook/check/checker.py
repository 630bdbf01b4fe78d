"""The checker's tools: report a problem at a value's line, check references, ids and answers.

Each kind's rules (:mod:`playbook.check.validate`, :mod:`playbook.check.usecases`) report through it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from playbook.assess.classify import Answer, AnswerError, parse_answers
from playbook.data.kinds import PILOT, ROADMAP, Kind, section_page
from playbook.data.model.items import ChecklistItem, RiskTiers, Step
from playbook.data.model.playbook import Playbook
from playbook.data.model_errors import field_name
from playbook.data.problems import Problem, Severity, closest
from playbook.data.source import Loc, Source
from playbook.data.wording import Words


class Checker:
    """Collects the problems of one playbook; each kind's rules report through it."""

    def __init__(self, playbook: Playbook, today: dt.date) -> None:
        self.pb = playbook
        self.today = today
        self.problems: list[Problem] = []

    def report(self, source: Source, loc: Loc, code: str, words: Words, severity: Severity = "error",
               key: bool = False, **data: str | None) -> None:
        """Record a problem at ``loc``: what to say of it, and what it is about (``data``: value, suggestion,
        target_kind, target_id)."""
        line, column = source.at(loc, key=key)
        self.problems.append(
            Problem(source.path, line, column, severity, code, words, field=field_name(loc), **data)
        )

    def refs(self, source: Source, loc: Loc, ids: Iterable[str], known: Collection[str], what: str | Kind) -> None:
        """Report every id in ``ids`` that is not among ``known``."""
        for i, ref in enumerate(ids):
            self.ref(source, (*loc, i), ref, known, what)

    def ref(self, source: Source, loc: Loc, ref: str | None, known: Collection[str], what: str | Kind,
            key: bool = False) -> None:
        """Report ``ref`` unless it is among ``known``: ids of a kind, or of entries such as tiers or roles."""
        # ``known`` is searched as given (patterns come as a dict): copying it to a list for every
        # reference made checking quadratic in the number of items.
        if ref is None or ref in known:
            return
        if isinstance(what, Kind):
            # An item whose own file failed to load is reported there, not at every reference to it.
            if (what.name, ref) in self.pb.unloaded:
                return
            what = what.name
        suggestion, listed = suggest(ref, known)
        words = (Words("unknown-ref.listed", what=what, ref=ref, known=listed) if listed
                 else Words("unknown-ref", what=what, ref=ref, suggestion=suggestion))
        self.report(source, loc, "unknown-ref", words, key=key,
                    value=ref, suggestion=suggestion, target_kind=what, target_id=ref)

    def team(self, source: Source, loc: Loc, team: str, otherwise: Words) -> None:
        """Report a team that runs no pilot with the closest pilot team, or with ``otherwise`` when none is close:
        words saying how to add one, as said of the kind (a use case's team, a learning's)."""
        pb = self.pb
        if team in pb.pilots or (PILOT.name, team) in pb.unloaded:
            return
        suggestion = closest(team, pb.pilots)
        words = Words("unknown-team", team=team, suggestion=suggestion) if suggestion else otherwise
        self.report(source, loc, "unknown-ref", words, value=team, suggestion=suggestion,
                    target_kind=PILOT.name, target_id=team)

    def parsed_answers(self, src: Source, loc: Loc, risk: RiskTiers, raw: Mapping[str, Any],
                       subject: Words) -> dict[str, Answer] | None:
        """Every answer checked and coerced, or None after reporting each bad one at its line, worded as
        said of ``subject`` (an example, a use case)."""
        try:
            return parse_answers(risk, raw)
        except AnswerError as exc:
            for qid, answer in exc.answers:
                where = (*loc, "answers", qid) if qid in raw else (*loc, "answers")
                self.report(src, where, "bad-answer", Words("bad-answer", subject=subject, answer=answer),
                            target_kind="question", target_id=qid)
            return None

    def unique(self, source: Source, loc: Loc, ids: list[str], what: str) -> None:
        first: dict[str, int] = {}
        for i, item_id in enumerate(ids):
            if item_id in first:
                line = source.at((*loc, first[item_id], "id"))[0]
                self.report(source, (*loc, i, "id"), "duplicate-id",
                            Words("used-twice", what=what, id=item_id, first=line), value=item_id)
            else:
                first[item_id] = i

    def review_date(self, source: Source, title: str, review_by: dt.date) -> None:
        if review_by < self.today:
            self.report(source, ("review_by",), "review-due", Words("review-due", title=title, due=review_by),
                        severity="warning", value=review_by.isoformat())

    @cached_property
    def tier_ids(self) -> list[str]:
        return [t.id for t in self.pb.tiers]

    @cached_property
    def step_ids(self) -> list[str]:
        return [s.id for s in self.pb.roadmap.steps] if self.pb.roadmap else []

    @cached_property
    def capability_users(self) -> dict[str, int]:
        """How many use cases name each capability they built (names compared as the register compares them)."""
        return dict(Counter(key for case in self.pb.usecases.values() for key in case.capabilities))

    @cached_property
    def checklist_items(self) -> dict[str, tuple[Step, ChecklistItem]]:
        return self.pb.checklist_items()

    def reserved(self, source: Source, loc: Loc, kind: Kind, item_id: str) -> None:
        """Report an id whose page would be its section's own page (``policies/index.md``)."""
        page = section_page(kind, item_id)
        if page is not None:
            what = "step" if kind is ROADMAP else kind.name
            self.report(source, loc, "reserved-id", Words("reserved-id", what=what, id=item_id, page=page),
                        value=item_id)

    def check_todos(self, item: BaseModel, source: Source) -> None:
        # Searching the item's JSON first (in pydantic's Rust code) spares walking the items without a TODO.
        if "TODO" not in item.model_dump_json():
            return
        for loc, value in strings(item.model_dump(by_alias=True)):
            if "TODO" in value:
                self.report(source, loc, "todo", Words("todo", field=field_name(loc)), severity="warning")


def suggest(ref: str, known: Iterable[str]) -> tuple[str | None, list[str]]:
    """The closest known id, or else the whole list when it is short enough to read."""
    known = list(dict.fromkeys(known))
    suggestion = closest(ref, known)
    if suggestion is None and 0 < len(known) <= 10:
        return None, known
    return suggestion, []


def strings(data: object, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, (*loc, i))

