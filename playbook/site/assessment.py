"""The self-service assessment page: a form built from the thresholds data, and that data for assess.js."""

from __future__ import annotations

from collections.abc import Callable

from ..classify import REVIEW_ORDER, allowed_values
from ..explain import JOIN_PREFIX, LABELLED, NOTE_PREFIX
from ..i18n import Messages
from ..model import Playbook, Question
from .scripts import script_messages
from .text import esc, json_script


def assessment_data(
    playbook: Playbook, url_of: Callable[[str], str], messages: Messages | None = None
) -> dict[str, object]:
    """Everything assess.js needs, taken from the YAML and the message catalog, so the script
    hard-codes neither a threshold nor a word.

    ``url_of`` turns a source path such as ``patterns/llm-gateway.md`` into a link from the page;
    ``messages`` are the site's words. Without them the script words with the site's messages.js,
    which the plugin writes in the same language.
    """
    risk = playbook.risk_tiers
    assert risk is not None
    data: dict[str, object] = {
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
    if messages is not None:
        data["messages"] = script_messages(messages)
    return data


def _question_field(question: Question) -> str:
    qid = esc(question.id)
    name = f"q-{qid}"
    legend = f'<legend>{esc(question.text)}</legend><p class="pb-help" id="help-{qid}">{esc(question.help)}</p>'
    if question.type == "yes_no":
        control = "".join(
            f'<label><input type="radio" name="{name}" value="{v}" aria-describedby="help-{qid}"> {label}</label> '
            for v, label in (("yes", "Yes"), ("no", "No"))
        )
    elif question.type == "amount":
        currency = esc(question.currency or "")
        control = (
            f'<label>{currency} <input type="number" name="{name}" min="0" step="any" inputmode="decimal" '
            f'aria-describedby="help-{qid}" aria-label="{esc(question.text)}"></label>'
        )
    else:
        kind = "radio" if question.type == "choice" else "checkbox"
        control = "".join(
            f'<label><input type="{kind}" name="{name}" value="{esc(o.id)}" aria-describedby="help-{qid}"> '
            f"{esc(o.label)}</label><br>"
            for o in question.options
        )
        if question.type == "multi_choice":
            # An empty answer has to be given, not inferred from nothing being ticked.
            control += (
                f'<label><input type="checkbox" name="{name}" value="" class="pb-none" '
                f'aria-describedby="help-{qid}"> None of these</label>'
            )
    return (
        f'<fieldset class="pb-question" data-question="{qid}" data-type="{esc(question.type)}" '
        f'title="{esc(allowed_values(question))}">{legend}{control}</fieldset>'
    )


def assessment_form(playbook: Playbook, url_of: Callable[[str], str]) -> str:
    """The form, result panel and embedded data; the script fills in the result as people answer."""
    risk = playbook.risk_tiers
    if risk is None:
        return "The assessment needs `framework/risk-tiers.yml`.\n"
    fields = "".join(_question_field(q) for q in risk.questions)
    pattern_boxes = "".join(
        f'<label><input type="checkbox" name="built-on" value="{esc(p.id)}"> {esc(p.title)}'
        f' <span class="pb-muted">({esc(p.status.value)})</span></label><br>'
        for p in sorted(playbook.patterns.values(), key=lambda p: p.title.lower())
    )
    examples = "".join(
        f'<option value="{esc(e.id)}">{esc(e.description[:90])}</option>' for e in risk.examples
    )
    return (
        '\n<div class="pb-assess" markdown="0">\n'
        '<form class="pb-assess-form" novalidate>'
        f'<p><label>Start from a worked example <select class="pb-example"><option value="">—</option>{examples}'
        "</select></label></p>"
        f"{fields}"
        '<fieldset class="pb-question pb-built-on"><legend>Which playbook patterns is the solution built on?</legend>'
        '<p class="pb-help" id="help-built-on">Solutions built only from adopted patterns approved for their tier '
        "take the tier's lighter review path. Leave empty if you are not sure.</p>"
        f"{pattern_boxes}"
        '<label><input type="checkbox" name="custom-parts" value="yes" aria-describedby="help-built-on"> '
        "Parts of the solution are not covered by these patterns</label></fieldset>"
        '<p><button type="reset" class="md-button pb-clear">Start again</button></p>'
        "</form>\n"
        '<aside class="pb-assess-side">'
        '<section class="pb-result" aria-live="polite" aria-label="Assessment result">'
        '<p class="pb-result-empty">Answer the questions to see the tier and review path.</p></section>\n'
        '<div class="pb-share">'
        '<button type="button" class="md-button pb-copy-link">Copy link to these answers</button> '
        '<button type="button" class="md-button pb-copy-md">Copy as Markdown</button> '
        '<button type="button" class="md-button pb-copy-json">Copy as JSON</button> '
        '<button type="button" class="md-button pb-print">Print</button>'
        '<p class="pb-share-status" aria-live="polite"></p>'
        '<textarea class="pb-share-out" rows="8" readonly aria-label="Copied result" hidden></textarea>'
        "</div></aside>\n"
        f"{json_script('pb-assess-data', assessment_data(playbook, url_of))}\n"
        "</div>\n"
    )
