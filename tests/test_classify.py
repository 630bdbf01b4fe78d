"""Answers -> tier, review path and reasons, and the parsing of answers."""

from __future__ import annotations

from typing import Any

import pytest

from playbook.assess.classify import AnswerError, Assessment, Note, Reason, classify, parse_answer, parse_answers
from playbook.assess.explain import ENGLISH, describe
from playbook.data.model.items import Pattern, ReviewPath, RiskTiers
from playbook.i18n import Messages

RISK = RiskTiers.model_validate(
    {
        "tiers": [
            {"id": "minimal", "name": "Minimal", "description": "Low risk.", "review": "self-service",
             "audit_sampling": 0.05, "turnaround": "Same day"},
            {"id": "elevated", "name": "Elevated", "description": "Some risk.", "review": "central",
             "fast_track": "fast-track", "audit_sampling": 0.2, "turnaround": "A week"},
            {"id": "high", "name": "High", "description": "High risk.", "review": "central",
             "audit_sampling": 1, "turnaround": "Three weeks"},
        ],
        "questions": [
            {"id": "personal-data", "text": "Personal data?", "help": "Any personal data.", "type": "yes_no"},
            {"id": "budget", "text": "Yearly budget?", "help": "In dollars.", "type": "amount", "currency": "USD"},
            {"id": "audience", "text": "Who sees the output?", "help": "Readers.", "type": "choice",
             "options": [{"id": "staff", "label": "Staff"}, {"id": "customers", "label": "Customers"}]},
            {"id": "data-kinds", "text": "Special data?", "help": "Pick all.", "type": "multi_choice",
             "options": [{"id": "health", "label": "Health"}, {"id": "financial", "label": "Financial"},
                         {"id": "public", "label": "Public"}]},
        ],
        "rules": [
            {"id": "personal-data", "description": "Personal data.", "tier": "elevated",
             "when": [{"question": "personal-data", "equals": True}]},
            {"id": "big-budget", "description": "At least 50,000 USD.", "tier": "elevated",
             "when": [{"question": "budget", "at_least": 50000}]},
            {"id": "special-data", "description": "Health or financial data.", "tier": "high",
             "when": [{"question": "data-kinds", "any_of": ["health", "financial"]}]},
            {"id": "customer-profiling", "description": "Customers see output built on personal data.",
             "tier": "high",
             "when": [{"question": "audience", "in": ["customers"]}, {"question": "personal-data", "equals": True}]},
        ],
    }
)

QUIET = {"personal-data": "no", "budget": "0", "audience": "staff", "data-kinds": "none"}


def pattern(pattern_id: str, status: str = "adopted", tiers: tuple[str, ...] = ("minimal", "elevated"),
            superseded_by: str | None = None) -> Pattern:
    return Pattern.model_validate({
        "id": pattern_id, "title": pattern_id, "summary": "A pattern.", "status": status,
        "superseded_by": superseded_by, "category": "Platforms", "owner": "Platform team", "tiers": list(tiers),
        "controls": [{"kind": "security", "text": "Keys stay put."}], "when_to_use": ["Often."],
        "when_not_to_use": ["Rarely."], "how_it_works": "It works.", "review_by": "2099-12-31",
    })


PATTERNS = {
    p.id: p
    for p in (
        pattern("llm-gateway", tiers=("minimal", "elevated", "high")),
        pattern("rag-search", status="trial"),
        pattern("direct-api", status="deprecated", superseded_by="llm-gateway"),
        pattern("minimal-only", tiers=("minimal",)),
    )
}


def assess(built_on: tuple[str, ...] = (), custom_parts: bool = False, **changes: Any) -> Assessment:
    raw = {**QUIET, **{key.replace("_", "-"): value for key, value in changes.items()}}
    return classify(parse_answers(RISK, raw), RISK, built_on, PATTERNS, custom_parts=custom_parts)


def notes(result: Assessment) -> list[str]:
    """The notes as the CLI words them."""
    return describe(result, ENGLISH).notes


def test_lowest_tier_when_no_rule_fires() -> None:
    result = assess()
    assert result.tier.id == "minimal"
    assert result.review is ReviewPath.self_service
    assert result.reasons == []


def test_highest_fired_tier_wins_and_reasons_name_rules_and_answers() -> None:
    result = assess(personal_data="yes", data_kinds="health")
    assert result.tier.id == "high"
    assert result.reasons == [
        Reason("special-data", "Health or financial data.", "high", {"data-kinds": ["health"]}),
        Reason("personal-data", "Personal data.", "elevated", {"personal-data": True}),
    ]


def test_rule_fires_only_when_every_condition_holds() -> None:
    assert assess(audience="customers").tier.id == "minimal"
    both = assess(audience="customers", personal_data="yes")
    assert both.tier.id == "high"
    assert both.reasons[0] == Reason(
        "customer-profiling", "Customers see output built on personal data.", "high",
        {"audience": "customers", "personal-data": True},
    )


@pytest.mark.parametrize(("budget", "tier"), [("50000", "elevated"), ("50,000", "elevated"), (50000, "elevated"),
                                              ("49999.99", "minimal"), (49999, "minimal")])
def test_amount_fires_from_exactly_at_least(budget: object, tier: str) -> None:
    assert assess(budget=budget).tier.id == tier


@pytest.mark.parametrize(("kinds", "tier"), [("public", "minimal"), ("public,financial", "high"),
                                             (["health"], "high"), ([], "minimal"), ("none", "minimal")])
def test_multi_choice_fires_on_any_listed_option(kinds: object, tier: str) -> None:
    assert assess(data_kinds=kinds).tier.id == tier


def test_fast_track_when_built_only_on_adopted_patterns_approved_for_the_tier() -> None:
    result = assess(("llm-gateway",), personal_data="yes")
    assert result.tier.id == "elevated"
    assert result.fast_track is True
    assert result.review is ReviewPath.fast_track
    assert result.notes == [Note("fast-track", {"tier": "elevated", "tier_name": "Elevated",
                                                "patterns": ["llm-gateway"], "from": "central", "to": "fast-track"})]
    assert notes(result) == ["fast track: every part is an adopted pattern approved for tier 'elevated' "
                             "(llm-gateway), so review drops from central review to fast-track review"]


def test_no_fast_track_when_a_pattern_is_on_trial() -> None:
    result = assess(("llm-gateway", "rag-search"), personal_data="yes")
    assert (result.fast_track, result.review) == (False, ReviewPath.central)
    assert result.notes == [Note("no-fast-track", {"blockers": [Note("not-adopted", {"pattern": "rag-search",
                                                                                      "status": "trial"})]})]
    assert notes(result) == ["no fast track: 'rag-search' is trial, not adopted"]


def test_no_fast_track_on_a_deprecated_pattern_and_its_successor_is_named() -> None:
    result = assess(("direct-api",), personal_data="yes")
    assert (result.fast_track, result.review) == (False, ReviewPath.central)
    assert notes(result) == ["no fast track: 'direct-api' is deprecated; use 'llm-gateway' instead"]


def test_deprecated_pattern_is_named_even_where_the_tier_has_no_fast_track() -> None:
    result = assess(("direct-api",), data_kinds="health")
    assert result.tier.id == "high"
    assert [n.code for n in result.notes] == ["no-lighter-path", "deprecated-for"]
    assert notes(result) == [
        "tier 'high' has no lighter path for solutions built on patterns",
        "'direct-api' is deprecated; use 'llm-gateway' instead",
    ]


def test_no_fast_track_with_custom_parts() -> None:
    result = assess(("llm-gateway",), custom_parts=True, personal_data="yes")
    assert (result.fast_track, result.review) == (False, ReviewPath.central)
    assert notes(result) == ["no fast track: parts of the solution are not playbook patterns"]


def test_no_fast_track_for_a_pattern_not_approved_for_the_tier_or_unknown() -> None:
    result = assess(("minimal-only", "homegrown"), personal_data="yes")
    assert result.review is ReviewPath.central
    assert notes(result) == [
        "no fast track: 'minimal-only' is not approved for tier 'elevated'; 'homegrown' is not a playbook pattern"
    ]


def test_no_fast_track_without_patterns() -> None:
    result = assess(personal_data="yes")
    assert (result.fast_track, result.review, result.notes) == (False, ReviewPath.central, [])


@pytest.mark.parametrize(
    ("question", "raw", "parsed"),
    [("personal-data", "Yes", True), ("personal-data", False, False), ("budget", "1_000.5", 1000.5),
     ("audience", " customers ", "customers"), ("data-kinds", "public, health, public", ["health", "public"])],
)
def test_answers_are_coerced(question: str, raw: object, parsed: object) -> None:
    q = next(q for q in RISK.questions if q.id == question)
    assert parse_answer(q, raw) == parsed


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"personal-data": "maybe"},
         "answer to 'personal-data' (Personal data?): 'maybe' is not allowed; expected yes or no"),
        ({"budget": "lots"},
         "answer to 'budget' (Yearly budget?): 'lots' is not allowed; expected an amount in USD, such as 25000"),
        ({"budget": -5}, "answer to 'budget' (Yearly budget?): -5 is not allowed; expected an amount in USD"),
        ({"budget": float("inf")}, "answer to 'budget' (Yearly budget?): inf is not allowed"),
        ({"budget": True}, "answer to 'budget' (Yearly budget?): True is not allowed"),
        ({"audience": "partners"},
         "answer to 'audience' (Who sees the output?): 'partners' is not allowed; expected one of: staff, customers"),
        ({"data-kinds": "health,dental"},
         "answer to 'data-kinds' (Special data?): 'dental' is not allowed; "
         "expected any of (comma-separated): health, financial, public, or none"),
        ({"audiense": "staff"},
         "unknown question 'audiense' (did you mean 'audience'?); "
         "questions are: personal-data, budget, audience, data-kinds"),
    ],
)
def test_parse_errors_name_the_question_and_allowed_values(answers: dict[str, object], message: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answers(RISK, {**QUIET, **answers})
    assert any(line.startswith(message) for line in str(caught.value).splitlines()), str(caught.value)


def test_every_missing_answer_is_named_at_once() -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answers(RISK, {"personal-data": "no", "audience": "staff"})
    assert str(caught.value).splitlines() == [
        "no answer to 'budget' (Yearly budget?); expected an amount in USD, such as 25000",
        "no answer to 'data-kinds' (Special data?); "
        "expected any of (comma-separated): health, financial, public, or none",
    ]


def test_partial_answers_allowed_when_not_all_required() -> None:
    assert parse_answers(RISK, {"budget": "10"}, require_all=False) == {"budget": 10.0}


def test_no_fast_track_when_a_fired_threshold_always_takes_the_full_review() -> None:
    rules = [r.model_dump(by_alias=True) for r in RISK.rules]
    rules[1]["fast_track"] = False  # big-budget: crossing it must be reviewed in full
    risk = RiskTiers.model_validate({**RISK.model_dump(by_alias=True), "rules": rules})
    answers = parse_answers(risk, {**QUIET, "budget": "60000"})
    result = classify(answers, risk, ("llm-gateway",), PATTERNS)
    assert (result.tier.id, result.fast_track, result.review) == ("elevated", False, ReviewPath.central)
    assert notes(result) == ["no fast track: threshold 'big-budget' always takes the full review"]
    fast = classify(parse_answers(risk, {**QUIET, "personal-data": "yes"}), risk, ("llm-gateway",), PATTERNS)
    assert fast.fast_track is True


def test_a_deprecated_pattern_without_a_successor_is_named_alone() -> None:
    patterns = {**PATTERNS, "old": pattern("old", status="deprecated")}
    answers = parse_answers(RISK, {**QUIET, "data-kinds": "health"})
    result = classify(answers, RISK, ("old",), patterns)
    assert notes(result) == ["tier 'high' has no lighter path for solutions built on patterns", "'old' is deprecated"]


def test_notes_are_worded_in_the_site_language_and_overrides_win() -> None:
    result = assess(("direct-api", "rag-search"), personal_data="yes")
    dutch = describe(result, Messages("nl"))
    assert dutch.notes != notes(result) and "'direct-api'" in dutch.notes[0] and "'llm-gateway'" in dutch.notes[0]
    overridden = Messages("nl", {"assess.note.not-adopted": "{pattern}: {status_label}"})
    assert describe(result, overridden).notes[0].endswith("; rag-search: " + overridden("status.trial"))
    assert describe(result, ENGLISH).review == "Central review"
