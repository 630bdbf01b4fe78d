"""``playbook assess``: gather answers (flags, a file, or questions in a terminal) and explain the result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from playbook.assess.classify import (
    Answer,
    AnswerError,
    Assessment,
    allowed_values,
    classify,
    parse_answer,
    parse_answers,
    patterns_at,
    policies_at,
)
from playbook.assess.explain import ENGLISH, describe
from playbook.data.load import read_yaml
from playbook.data.model.items import Question, RiskTiers
from playbook.data.model.playbook import Playbook
from playbook.data.problems import PlaybookError, did_you_mean
from playbook.site.text import money, percent


def answers_from_flags(pairs: Sequence[str]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise AnswerError(f"--answer {pair!r}: write QUESTION=VALUE, such as --answer production=yes")
        if key.strip() in answers:
            raise AnswerError(f"--answer {key.strip()!r} is given twice")
        answers[key.strip()] = value.strip()
    return answers


def answers_from_file(path: Path) -> tuple[dict[str, Any], list[str], bool]:
    """Answers, patterns built on and custom-parts flag from a YAML or JSON file.

    The file is either a mapping of answers, or a mapping with ``answers`` and optionally
    ``built_on`` (pattern ids) and ``custom_parts`` (true or false).
    """
    data, _source, problems = read_yaml(path, str(path))
    if problems:
        raise PlaybookError("cannot read the answers file", problems)
    if "answers" not in data:
        return data, [], False
    unknown = set(data) - {"answers", "built_on", "custom_parts"}
    if unknown:
        raise AnswerError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))}; expected answers, built_on, custom_parts"
        )
    answers, built_on, custom = data["answers"], data.get("built_on") or [], data.get("custom_parts", False)
    if not isinstance(answers, dict):
        raise AnswerError(f"{path}: 'answers' must be a mapping of question id to answer")
    if not isinstance(built_on, list) or not all(isinstance(p, str) for p in built_on):
        raise AnswerError(f"{path}: 'built_on' must be a list of pattern ids")
    if not isinstance(custom, bool):
        raise AnswerError(f"{path}: 'custom_parts' must be true or false")
    return answers, built_on, custom


def ask(risk: RiskTiers, given: Mapping[str, Any]) -> dict[str, Any]:
    """Ask, one at a time, every question not already answered; re-ask until the answer is allowed."""
    answers = dict(given)
    for question in risk.questions:
        if question.id in answers:
            continue
        click.echo(f"\n{click.style(question.text, bold=True)}\n  {question.help}")
        if question.options:
            for number, option in enumerate(question.options, 1):
                click.echo(f"  {number}. {option.label} [{option.id}]")
        while True:
            raw = click.prompt(f"  answer ({allowed_values(question)})", default="", show_default=False)
            raw = _option_numbers(question, raw)
            try:
                answers[question.id] = parse_answer(question, raw)
                break
            except AnswerError as exc:
                click.echo(f"  {exc}", err=True)
    return answers


def _option_numbers(question: Question, raw: str) -> str:
    """Let people answer a choice by its number in the list."""
    if not question.options:
        return raw
    parts = [p.strip() for p in raw.split(",")]
    out = []
    for part in parts:
        if part.isdigit() and 1 <= int(part) <= len(question.options):
            out.append(question.options[int(part) - 1].id)
        else:
            out.append(part)
    return ",".join(out)


def ask_patterns(playbook: Playbook) -> tuple[list[str], bool]:
    click.echo(f"\n{click.style('Which playbook patterns is the solution built on?', bold=True)}")
    click.echo("  Ids separated by commas, or leave empty. Known: " + ", ".join(playbook.patterns))
    while True:
        raw = click.prompt("  patterns", default="", show_default=False)
        ids = [p.strip() for p in raw.split(",") if p.strip()]
        try:
            check_patterns(playbook, ids)
            break
        except AnswerError as exc:
            click.echo(f"  {exc}", err=True)
    custom = bool(ids) and click.confirm("  Are parts of the solution not covered by these patterns?", default=False)
    return ids, custom


def check_patterns(playbook: Playbook, ids: Sequence[str]) -> None:
    for pid in ids:
        if pid not in playbook.patterns:
            raise AnswerError(
                f"unknown pattern '{pid}'{did_you_mean(pid, playbook.patterns)}; "
                "run playbook assess --questions to see the patterns"
            )


def result_record(
    playbook: Playbook, result: Assessment, answers: Mapping[str, Answer], built_on: Sequence[str], custom_parts: bool
) -> dict[str, Any]:
    """The result as data, worded in English; the assessment page's "Copy as JSON" gives the same fields."""
    tier = result.tier
    wording = describe(result, ENGLISH)
    return {
        "tier": tier.id,
        "tier_name": tier.name,
        "review": result.review.value,
        "review_label": wording.review,
        "audit_sampling": tier.audit_sampling,
        "turnaround": tier.turnaround,
        "fast_track": result.fast_track,
        "reasons": [
            {"rule": r.rule, "description": r.description, "tier": r.tier, "answers": r.answers} for r in result.reasons
        ],
        "notes": wording.notes,
        "note_details": [note.as_json() for note in result.notes],
        "policies": [p.id for p in policies_at(tier.id, playbook.policies)],
        "patterns": [p.id for p in patterns_at(tier.id, playbook.patterns)],
        "answers": dict(answers),
        "built_on": list(built_on),
        "custom_parts": custom_parts,
    }


def describe_answer(question: Question, value: Answer) -> str:
    labels = {o.id: o.label for o in question.options}
    if isinstance(value, bool):
        shown = "yes" if value else "no"
    elif isinstance(value, float):
        shown = money(value, question.currency)
    elif isinstance(value, list):
        shown = ", ".join(labels.get(v, v) for v in value) or "none"
    else:
        shown = labels.get(value, value)
    return f"{question.text} {shown}"


def render_text(playbook: Playbook, record: Mapping[str, Any]) -> str:
    risk = playbook.risk_tiers
    assert risk is not None
    questions = {q.id: q for q in risk.questions}
    names = {t.id: t.name for t in risk.tiers}
    lines = [
        f"Tier: {record['tier_name']} ({record['tier']})",
        f"Review path: {record['review_label']}",
        f"Audit sampling: {percent(record['audit_sampling'])} of decisions; target turnaround: {record['turnaround']}",
        "",
        "Why:",
    ]
    if not record["reasons"]:
        lines.append("  - no threshold crossed: the lowest tier applies")
    for reason in record["reasons"]:
        lines.append(f"  - {reason['description']} -> {names.get(reason['tier'], reason['tier'])} [{reason['rule']}]")
        for qid, value in reason["answers"].items():
            lines.append(f"      because: {describe_answer(questions[qid], value)}")
    lines += [f"  - {note}" for note in record["notes"]]
    lines += ["", f"Policies that apply ({len(record['policies'])}):"]
    lines += [f"  - {pid}: {playbook.policies[pid].title}" for pid in record["policies"]]
    lines += ["", f"Patterns approved for this tier ({len(record['patterns'])}):"]
    lines += [f"  - {pid}: {playbook.patterns[pid].title}" for pid in record["patterns"]]
    return "\n".join(lines)


def questions_record(playbook: Playbook) -> list[dict[str, Any]]:
    risk = playbook.risk_tiers
    assert risk is not None
    return [
        {
            "id": q.id,
            "text": q.text,
            "help": q.help,
            "type": q.type,
            "currency": q.currency,
            "options": [o.id for o in q.options],
            "allowed": allowed_values(q),
        }
        for q in risk.questions
    ]


def render_questions(playbook: Playbook) -> str:
    lines = []
    for q in questions_record(playbook):
        lines += [f"{q['id']} ({q['type']}): {q['text']}", f"    {q['help']}", f"    answer: {q['allowed']}"]
    lines += ["", "Patterns (for --pattern): " + ", ".join(playbook.patterns)]
    return "\n".join(lines)


def run(playbook: Playbook, raw: Mapping[str, Any], built_on: Sequence[str], custom_parts: bool) -> dict[str, Any]:
    risk = playbook.risk_tiers
    assert risk is not None
    check_patterns(playbook, built_on)
    answers = parse_answers(risk, raw)
    result = classify(answers, risk, built_on, playbook.patterns, custom_parts)
    return result_record(playbook, result, answers, built_on, custom_parts)
