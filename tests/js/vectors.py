"""Golden vectors for assess.js, written by the Python classifier: answers and patterns -> result and words.

``python tests/js/vectors.py OUT.json`` writes them for ``node --test tests/js/assess.test.js``
(``PLAYBOOK_VECTORS=OUT.json``); ``tests/js/test_assess_js.py`` does both into a temporary folder.
"""

from __future__ import annotations

import dataclasses
import json
import random
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from playbook.assess.classify import Answer, classify, parse_answers
from playbook.assess.explain import describe
from playbook.check.validate import check
from playbook.data.model.items import Question, RiskTiers, Status
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages, languages
from playbook.site.pages.assessment import assessment_data
from playbook.site.scripts import messages_script

REPO = Path(__file__).resolve().parents[2]
SEED = 20_261_130
GENERATED = 300
UNKNOWN_PATTERN = "not-in-this-playbook"
"""A pattern id no playbook has: a shared link can name one, and the page tells it apart."""


def amount_boundaries(risk: RiskTiers, question: Question) -> list[float]:
    """0 and, for each threshold on the question, the threshold and a cent either side of it."""
    values = {0.0}
    for rule in risk.rules:
        for condition in rule.when:
            if condition.question == question.id and condition.at_least is not None:
                values |= {condition.at_least, condition.at_least - 0.01, condition.at_least + 0.01}
    return sorted(v for v in values if v >= 0)


def every_answer(risk: RiskTiers, question: Question) -> list[Answer]:
    """Each answer to a question that a rule could tell apart."""
    if question.type == "yes_no":
        return [True, False]
    if question.type == "amount":
        return list(amount_boundaries(risk, question))
    ids = [o.id for o in question.options]
    if question.type == "choice":
        return ids
    return [[], *([i] for i in ids), ids]


def generated_cases(playbook: Playbook, seed: int, count: int) -> list[dict[str, Any]]:
    """Every answer of every question at least once, then random cases up to ``count``.

    Built-on patterns are random sets of any status, with an unknown id now and then, with and
    without custom parts, so every branch of the fast track is taken as well as every threshold.
    """
    risk = playbook.risk_tiers
    assert risk is not None
    rng = random.Random(seed)
    pool = [*sorted(playbook.patterns), UNKNOWN_PATTERN]

    def random_answer(question: Question) -> Answer:
        if question.type == "yes_no":
            return rng.random() < 0.5
        if question.type == "amount":
            edges = amount_boundaries(risk, question)
            return rng.choice([rng.choice(edges), float(rng.randint(0, 200_000)), round(rng.uniform(0, 60_000), 2)])
        if question.type == "choice":
            return rng.choice(question.options).id
        chance = rng.choice([0.0, 0.15, 0.4])
        return [o.id for o in question.options if rng.random() < chance]

    def case(name: str, fixed: Mapping[str, Answer]) -> dict[str, Any]:
        answers = {q.id: fixed[q.id] if q.id in fixed else random_answer(q) for q in risk.questions}
        built_on = rng.sample(pool, min(rng.choice([0, 1, 1, 1, 2, 3, 5]), len(pool)))
        return {"name": name, "answers": answers, "built_on": built_on, "custom_parts": rng.random() < 0.25}

    cases = [case(f"{q.id}={value!r}", {q.id: value}) for q in risk.questions for value in every_answer(risk, q)]
    while len(cases) < count:
        cases.append(case(f"random-{len(cases)}", {}))
    return cases


def example_cases(playbook: Playbook) -> list[dict[str, Any]]:
    """The playbook's worked examples, answers typed as the page's script takes them."""
    risk = playbook.risk_tiers
    assert risk is not None
    return [
        {"name": example.id, "answers": parse_answers(risk, example.answers), "built_on": list(example.patterns),
         "custom_parts": False}
        for example in risk.examples
    ]


def fast_track_cases(playbook: Playbook, seed: int, per_example: int) -> list[dict[str, Any]]:
    """Worked examples built on patterns mostly fit for their tier, so the fast track is won and lost by one part."""
    risk = playbook.risk_tiers
    assert risk is not None
    rng = random.Random(seed)
    others = [*sorted(playbook.patterns), UNKNOWN_PATTERN]
    out = []
    for example in example_cases(playbook):
        tier = classify(example["answers"], risk).tier.id
        fit = sorted(p.id for p in playbook.patterns.values() if p.status is Status.adopted and tier in p.tiers)
        for number in range(per_example):
            built_on = rng.sample(fit, min(rng.randint(1, 3), len(fit)))
            if number % 2:
                built_on.insert(rng.randint(0, len(built_on)), rng.choice(others))
            out.append({**example, "name": f"{example['name']}+{number}", "built_on": list(dict.fromkeys(built_on)),
                        "custom_parts": number % 5 == 4})
    return out


def expected(playbook: Playbook, case: Mapping[str, Any], catalogs: Mapping[str, Messages]) -> dict[str, Any]:
    risk = playbook.risk_tiers
    assert risk is not None
    result = classify(case["answers"], risk, case["built_on"], playbook.patterns, case["custom_parts"])
    return {
        "tier": result.tier.id,
        "review": result.review.value,
        "rules": [r.rule for r in result.reasons],
        "fast_track": result.fast_track,
        "note_codes": [n.code for n in result.notes],
        "notes": [n.as_json() for n in result.notes],
        "worded": {language: dataclasses.asdict(describe(result, m)) for language, m in catalogs.items()},
    }


def with_more_patterns(playbook: Playbook) -> Playbook:
    """The playbook plus a deprecated pattern with no successor and a proposed one approved for the lowest tier.

    The shipped playbook's one deprecated pattern names its successor; these take the branches it does not.
    """
    some = next(iter(playbook.patterns.values()))
    lowest = playbook.tiers[0].id
    retired = some.model_copy(update={"id": "retired-without-successor", "status": Status.deprecated,
                                      "superseded_by": None})
    proposed = some.model_copy(update={"id": "proposed-lowest-only", "status": Status.proposed, "tiers": [lowest]})
    extra = {p.id: p for p in (retired, proposed)}
    return dataclasses.replace(playbook, patterns={**playbook.patterns, **extra})


def playbook_vectors(name: str, playbook: Playbook, seed: int, count: int) -> dict[str, Any]:
    catalogs = {language: Messages(language) for language in languages()}
    data = assessment_data(playbook, lambda src: src)
    cases = example_cases(playbook) + fast_track_cases(playbook, seed, 12) + generated_cases(playbook, seed, count)
    for case in cases:
        case["expected"] = expected(playbook, case, catalogs)
    return {
        "name": name,
        "data": data,
        "messages_js": {language: messages_script(m) for language, m in catalogs.items()},
        "cases": cases,
    }


def vectors(root: Path = REPO, seed: int = SEED, count: int = GENERATED) -> dict[str, Any]:
    playbook, problems, _count = check(root)
    errors = [str(p) for p in problems if p.severity == "error"]
    if errors or playbook.risk_tiers is None:
        raise SystemExit(f"the playbook in {root} has errors:\n" + "\n".join(errors))
    return {
        "seed": seed,
        "playbooks": [
            playbook_vectors("shipped", playbook, seed, count),
            playbook_vectors("shipped with more patterns", with_more_patterns(playbook), seed + 1, count),
        ],
    }


def write(path: Path, root: Path = REPO) -> dict[str, Any]:
    data = vectors(root)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return data


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python tests/js/vectors.py OUT.json")
    written = write(Path(sys.argv[1]))
    print(f"{sum(len(p['cases']) for p in written['playbooks'])} vectors written to {sys.argv[1]}")
