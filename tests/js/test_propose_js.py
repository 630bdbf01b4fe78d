"""propose.js in Node against the Python side: it refuses exactly the ids the model and `playbook new` refuse,
worded from the catalog, and every text it writes into YAML reads back, through the playbook's own reader,
as the text typed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from pydantic import TypeAdapter, ValidationError

from playbook.authoring.scaffold import check_new_id
from playbook.authoring.scaffold_values import add_months
from playbook.check.validate import check
from playbook.data.kinds import LEARNING, section_page
from playbook.data.model.items import ID_MAX_LENGTH, ID_MIN_LENGTH, Id
from playbook.data.problems import PlaybookError
from playbook.data.reader import read_yaml
from playbook.i18n import Messages
from playbook.site.pages.propose import learning_form
from playbook.site.scripts import messages_script

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("propose_driver.js")
PLAYBOOK, _PROBLEMS, _COUNT = check(REPO)
TAKEN = next(iter(PLAYBOOK.learnings))
CANDIDATES = [
    "", "index", "Index", "index-2", "a", "ab", "a" * ID_MAX_LENGTH, "a" * (ID_MAX_LENGTH + 1), "gateway-timeouts",
    "Gateway-timeouts", "gateway_timeouts", "gateway--timeouts", "-gateway", "gateway-", "gateway timeouts",
    "123", "0x1f", "2026-01-01", "yes", "gatew\u0430y", "ünïcode", "a-b-c", TAKEN,
]
"""Ids a reader might type: valid, reserved, taken, and wrong in each way the model tells apart."""
TEXTS = [
    "plain", "yes", "No", "null", "~", "true", "0x1f", "1e3", "012", "2026-01-01", "- item", "key: value",
    "# not a comment", "a #b", "'single'", '"double"', "back\\slash", "tab\there", "new\nline", "crlf\r\nline",
    "  leading", "trailing  ", "\u0085nel", "\u2028separator", "\ufeffbom", "emoji \U0001f600", "été",
    "{{ config }}", "<script>alert(1)</script>", "%percent", "@at", "`tick`", "*star", "&anchor", "!tag",
    "|pipe", ">fold", "? key", "[x]", "{a: b}", "line one\n\n  - indented: yes\n", "\x07bell", "lone \ud800 half",
    "\u00a0no-break space", "ends with newline\n",
]
"""Text the forms write into YAML: words YAML reads as something else, indicators, escapes and odd characters."""


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip("node not installed: apt-get install nodejs")
    return found


def page_data() -> dict[str, Any]:
    """The "Report a learning" form's data, as the page embeds it."""
    html = learning_form(PLAYBOOK, Messages("en"), "usecases/register.json", None)
    block = BeautifulSoup(html, "html.parser").select_one("script[data-playbook-propose-data]")
    assert block is not None
    data: dict[str, Any] = json.loads(block.string or "")
    return data


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("propose")
    (folder / "input.json").write_text(json.dumps({
        "data": page_data(), "ids": CANDIDATES, "texts": TEXTS,
        "months": [["2026-08-31", 6], ["2026-01-31", 1], ["2024-02-29", 12], ["2026-12-03", 6]],
    }), encoding="utf-8")
    (folder / "messages.js").write_text(messages_script(Messages("en")), encoding="utf-8")
    result = subprocess.run([node(), str(DRIVER), str(folder / "input.json"), str(folder / "messages.js")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    output: dict[str, Any] = json.loads(result.stdout)
    return output


def python_refusal(item_id: str) -> str:
    """What the page must say of ``item_id``, worked out from the model and the checks, not from the script."""
    m = Messages("en")
    if not item_id:
        return m("js.propose.id.empty")
    page = section_page(LEARNING, item_id)
    if page is not None:
        return m("js.propose.id.reserved", id=item_id, page=page)
    try:
        TypeAdapter(Id).validate_python(item_id)
    except ValidationError:
        return m("js.propose.id.bad", id=item_id, min=ID_MIN_LENGTH, max=ID_MAX_LENGTH)
    if item_id in PLAYBOOK.learnings:
        return m("js.propose.id.taken", path=f"learnings/{item_id}.yml")
    return ""


@pytest.mark.parametrize("index", range(len(CANDIDATES)), ids=[repr(c) for c in CANDIDATES])
def test_the_form_refuses_an_id_exactly_when_the_model_or_playbook_new_would(written: dict[str, Any],
                                                                              index: int) -> None:
    item_id = CANDIDATES[index]
    refused = written["ids"][index]
    assert refused == python_refusal(item_id)
    # playbook new refuses the same ids for their form and page; a taken one it refuses when it sees the file.
    try:
        check_new_id(LEARNING, item_id)
        new_takes_its_form = True
    except PlaybookError:
        new_takes_its_form = False
    assert new_takes_its_form == (not refused or item_id in PLAYBOOK.learnings)


def read_back(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "value.yml"
    path.write_text(text, encoding="utf-8")
    data, _source, problems = read_yaml(path, "value.yml")
    assert problems == [], [str(p) for p in problems]
    return data["value"]


@pytest.mark.parametrize("index", range(len(TEXTS)), ids=[repr(t) for t in TEXTS])
def test_every_text_the_script_writes_reads_back_as_typed(written: dict[str, Any], index: int, tmp_path: Path) -> None:
    typed = TEXTS[index]
    expected = typed.replace("\ud800", "\ufffd")
    out = written["texts"][index]
    assert read_back(tmp_path, f"value: {out['quote']}\n") == expected
    assert read_back(tmp_path, f"value: {out['scalar']}\n") == expected
    # A Markdown block keeps its lines as typed, with line ends made \n and the last ones dropped.
    block = expected.replace("\r\n", "\n").replace("\r", "\n")
    read = read_back(tmp_path, f"value: {out['block']}\n")
    assert read == (block.rstrip("\n") if out["block"].startswith("|") else block)


def test_review_dates_move_on_by_whole_months_as_playbook_new_moves_them(written: dict[str, Any]) -> None:
    import datetime as dt

    days = [("2026-08-31", 6), ("2026-01-31", 1), ("2024-02-29", 12), ("2026-12-03", 6)]
    assert written["months"] == [add_months(dt.date.fromisoformat(d), n).isoformat() for d, n in days]
