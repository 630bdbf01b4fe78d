"""Each registered use case's computed assessment: what its answers and patterns give under today's tiers.

Everything here is a pure function of a loaded :class:`~playbook.data.model.playbook.Playbook`; the site,
the exports, ``playbook audit``, ``playbook diff`` and the register's checks read the register through it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from playbook.assess.classify import AnswerError, Assessment, classify, parse_answers, policies_at
from playbook.data.model.items import ReviewPath
from playbook.data.model.playbook import Playbook
from playbook.data.model.usecase import UseCase


def assess_case(playbook: Playbook, case: UseCase) -> Assessment | None:
    """The tier and review path the case's answers and patterns give; None when the answers do not parse."""
    risk = playbook.risk_tiers
    if risk is None:
        return None
    try:
        answers = parse_answers(risk, case.answers)
    except AnswerError:
        return None
    return classify(answers, risk, case.patterns, playbook.patterns, case.builds_own_parts)


@dataclass(frozen=True)
class CaseAssessment:
    """What the playbook says about one registered use case: what its page shows."""

    case: UseCase
    assessment: Assessment
    """The classifier's result: tier, review path, the thresholds that fired, fast-track notes."""
    policies: list[str]
    """Ids of the policies that apply at the computed tier."""

    @property
    def tier(self) -> str:
        return self.assessment.tier.id

    @property
    def review(self) -> ReviewPath:
        return self.assessment.review

    @property
    def fired(self) -> list[str]:
        """Ids of the thresholds that fired, highest tier first."""
        return [reason.rule for reason in self.assessment.reasons]

    @property
    def fast_track(self) -> bool:
        """True when building only on adopted, approved patterns lightened the review."""
        return self.assessment.fast_track


def case_assessment(playbook: Playbook, case: UseCase,
                    policies: Mapping[str, list[str]] | None = None) -> CaseAssessment | None:
    """The case's computed assessment with the policies that apply; None when its answers do not parse.

    ``policies`` (tier id -> policy ids) spares looking through every policy again for each case.
    """
    assessment = assess_case(playbook, case)
    if assessment is None:
        return None
    tier = assessment.tier.id
    applying = policies[tier] if policies is not None else [p.id for p in policies_at(tier, playbook.policies)]
    return CaseAssessment(case, assessment, applying)


def case_assessments(playbook: Playbook) -> dict[str, CaseAssessment]:
    """Every use case that can be classified, by id, in file-name order."""
    policies = {t.id: [p.id for p in policies_at(t.id, playbook.policies)] for t in playbook.tiers}
    found = {key: case_assessment(playbook, case, policies) for key, case in playbook.usecases.items()}
    return {key: value for key, value in found.items() if value is not None}
