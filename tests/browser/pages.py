"""The served site, and reading what its pages show the way a reader sees it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from playwright.sync_api import Page


@dataclass(frozen=True)
class Site:
    """The site built from the playbook, served over HTTP."""

    root: Path
    """The assembled playbook folder the site was built from."""
    base: str
    """The site's address, ending in a slash."""

    def url(self, path: str = "") -> str:
        return urljoin(self.base, path)


_HEADING = """h => Array.from(h.childNodes)
  .filter(n => !(n.classList && n.classList.contains('headerlink')))
  .map(n => n.textContent).join('').trim()"""


def heading(page: Page) -> str:
    """The page's h1 without its permalink sign."""
    return str(page.locator("article h1").first.evaluate(_HEADING))


RESULT_SHOWN = """panel => ({
    tier: panel.dataset.tier || null,
    review: panel.dataset.review || null,
    complete: panel.dataset.complete || null,
    rules: Array.from(panel.querySelectorAll('li[data-rule]')).map(li => li.dataset.rule),
})"""
"""What the result panel shows: tier, review path, whether complete, and the reasons' rule ids in order."""


def assessment_result(page: Page) -> dict[str, Any]:
    """What the result panel shows (:data:`RESULT_SHOWN`)."""
    return dict(page.locator(".pb-result").evaluate(RESULT_SHOWN))
