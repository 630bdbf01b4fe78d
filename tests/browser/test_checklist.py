"""The rollout checklist: ticks survive a reload, and the pilot YAML export is a valid checklist block."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from sitebuild import DATA_DIRS

from .pages import Site
from .shipped import PLAYBOOK

pytestmark = pytest.mark.browser

STORE = "playbook-checklist"


def replace_checklist(pilot_yaml: str, block: str) -> str:
    """The pilot file with its top-level ``checklist:`` block swapped for ``block``, as a person pastes it."""
    lines = pilot_yaml.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("checklist:"))
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"[^\s#]", lines[i])), len(lines))
    return "".join(lines[:start]) + block + "".join(lines[end:])


def test_ticks_survive_a_reload_and_export_as_pilot_yaml(page: Page, site: Site, tmp_path: Path) -> None:
    assert PLAYBOOK.roadmap is not None and PLAYBOOK.pilots, "the playbook needs a roadmap and a pilot"
    step = PLAYBOOK.roadmap.steps[0]
    page.goto(site.url(f"rollout/{step.id}/"))
    page.evaluate(f"localStorage.removeItem({STORE!r})")
    page.reload()
    boxes = page.locator("input.pb-check")
    expect(boxes).to_have_count(len(step.checklist))
    ticked = step.checklist[-1].id
    page.locator(f'input.pb-check[data-item="{ticked}"]').check()
    expect(page.locator(".pb-progress")).to_have_text(f"1 of {len(step.checklist)} items on this page done.")

    page.reload()
    expect(page.locator(f'input.pb-check[data-item="{ticked}"]')).to_be_checked()
    expect(page.locator("input.pb-check:checked")).to_have_count(1)
    # The whole checklist on the rollout page reads the same ticks.
    page.goto(site.url("rollout/"))
    expect(page.locator("input.pb-check:checked")).to_have_count(1)
    expect(page.locator(f'input.pb-check[data-item="{ticked}"]')).to_be_checked()

    pilot = next(iter(PLAYBOOK.pilots.values()))
    page.goto(site.url(f"rollout/{step.id}/"))
    page.locator(".pb-team").fill(pilot.team)
    page.locator(".pb-export-yaml").click()
    out = page.locator("textarea.pb-export-out")
    expect(out).to_be_visible()
    exported = out.input_value()
    assert exported.startswith(f"# Paste this block into pilots/{pilot.team}.yml")
    every_item = {item_id: item_id == ticked for item_id in PLAYBOOK.checklist_items()}
    assert yaml.safe_load(exported) == {"checklist": every_item}

    copy = tmp_path / "playbook"
    for folder in DATA_DIRS:
        if (site.root / folder).is_dir():
            shutil.copytree(site.root / folder, copy / folder)
    pilot_file = copy / "pilots" / f"{pilot.team}.yml"
    pasted = replace_checklist(pilot_file.read_text(encoding="utf-8"), exported)
    pilot_file.write_text(pasted, encoding="utf-8")
    assert yaml.safe_load(pasted)["checklist"] == every_item
    result = subprocess.run([sys.executable, "-m", "playbook", "check", "--root", str(copy)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^0 errors, ", result.stdout, re.MULTILINE), result.stdout

    page.locator(".pb-reset").click()
    expect(page.locator("input.pb-check:checked")).to_have_count(0)
    page.reload()
    expect(page.locator("input.pb-check:checked")).to_have_count(0)
