"""axe-core finds no serious or critical problem on the main pages; a screenshot of each is kept for review.

Screenshots go to test-results/screenshots/<page>.png (light scheme) and <page>-dark.png.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from .pages import Site
from .shipped import PLAYBOOK, cited_pattern, highest_example

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}

PAGES = ["home", "catalog", "pattern", "policy", "risk-tiers", "assessment", "rollout", "rollout-step", "pilots",
         "decision-rights", "learnings", "learning", "contributing"]


def page_path(name: str) -> str:
    """Where a page of ``PAGES`` is in the site."""
    if name == "pattern":
        return f"patterns/{cited_pattern()[0].id}/"
    if name == "policy":
        return f"policies/{cited_pattern()[1].id}/"
    if name == "assessment":
        # With answers, so that the result panel is checked (and shown) too.
        return f"assessment/?{highest_example().query()}"
    if name == "learning":
        return f"learnings/{next(iter(PLAYBOOK.learnings))}/"
    if name == "rollout-step":
        assert PLAYBOOK.roadmap is not None
        return f"rollout/{PLAYBOOK.roadmap.steps[0].id}/"
    return {"home": "", "catalog": "standards/"}.get(name, f"{name}/")


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


def violations(page: Page, axe_script: Path) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(axe_script))
    found = page.evaluate(AXE_RUN)
    return [v for v in found if v["impact"] in BLOCKING]


def describe(found: list[dict[str, Any]]) -> str:
    lines = []
    for v in found:
        targets = ", ".join(v["targets"][:5]) + (f" and {len(v['targets']) - 5} more" if len(v["targets"]) > 5 else "")
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}\n      at {targets}")
    return "\n  ".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_problem(request: pytest.FixtureRequest, site: Site, axe_script: Path,
                                                   screenshots: Path, name: str, scheme: str) -> None:
    page: Page = request.getfixturevalue("page" if scheme == "light" else "dark_page")
    page.goto(site.url(page_path(name)))
    suffix = "" if scheme == "light" else "-dark"
    page.screenshot(path=str(screenshots / f"{name}{suffix}.png"), full_page=True, animations="disabled")
    found = violations(page, axe_script)
    assert not found, f"{name} ({scheme}): axe found serious or critical problems:\n  {describe(found)}"
