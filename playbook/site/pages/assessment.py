"""The self-service assessment page: a form built from the thresholds data, and that data for assess.js."""

from __future__ import annotations

from collections.abc import Callable

from playbook.assess.classify import REVIEW_ORDER
from playbook.assess.explain import JOIN_PREFIX, LABELLED, NOTE_PREFIX
from playbook.data.model.items import Question
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.text import escape, render


def assessment_data(playbook: Playbook, url_of: Callable[[str], str]) -> dict[str, object]:
    """Everything assess.js needs from the YAML, so the script hard-codes no threshold; its words
    come from every page's ``messages.js`` (``scripts.py``).

    ``url_of`` turns a source path such as ``patterns/llm-gateway.md`` into a link from the page.
    """
    risk = playbook.risk_tiers
    assert risk is not None
    return {
        "reviewOrder": [path.value for path in REVIEW_ORDER],
        "wording": {"note": NOTE_PREFIX, "join": JOIN_PREFIX, "labels": LABELLED},
        "tiers": [t.model_dump(mode="json") for t in risk.tiers],
        "questions": [q.model_dump(mode="json") for q in risk.questions],
        "rules": [r.model_dump(mode="json", by_alias=True, exclude_none=True) for r in risk.rules],
        "patterns": [
            {"id": p.id, "title": p.title, "status": p.status.value, "tiers": p.tiers,
             "superseded_by": p.superseded_by, "url": url_of(f"patterns/{p.id}.md")}
            for p in playbook.patterns.values()
        ],
        "policies": [
            {"id": p.id, "title": p.title, "tiers": p.tiers, "url": url_of(f"policies/{p.id}.md")}
            for p in playbook.policies.values()
        ],
        "examples": [e.model_dump(mode="json") for e in risk.examples],
    }


def _hint(messages: Messages, question: Question) -> str:
    """What the question accepts, in words, for the tooltip of its fieldset."""
    labels = ", ".join(o.label for o in question.options)
    if question.type == "amount":
        if question.currency:
            return messages("site.assessment.hint.amount_in", currency=question.currency)
        return messages("site.assessment.hint.amount")
    return messages(f"site.assessment.hint.{question.type}", options=labels)


def assessment_form(playbook: Playbook, url_of: Callable[[str], str], messages: Messages) -> str:
    """The form, result panel and embedded data; the script fills in the result as people answer."""
    risk = playbook.risk_tiers
    if risk is None:
        return escape(messages("site.assessment.missing")) + "\n"
    return render(
        "assessment.html", messages,
        questions=risk.questions,
        examples=risk.examples,
        patterns=sorted(playbook.patterns.values(), key=lambda p: p.title.lower()),
        hint=lambda question: _hint(messages, question),
        data=assessment_data(playbook, url_of),
    )
