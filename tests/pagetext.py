"""A built page read as a browser reads it, for the tests that read every page of a site.

lxml parses with libxml2's HTML5 tokenizer, in C: a site's hundred pages take a twentieth of a second, where
BeautifulSoup's tree over Python's ``html.parser`` takes one and a half. The tests that look at a few pages in detail
keep BeautifulSoup; the ones that read a whole site, or a few hundred pages, use this.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
from lxml.html import HtmlElement

UNSEEN = frozenset({"script", "style", "template"})
"""Elements whose text a reader does not see (comments are not seen either)."""


def read_page(path: Path) -> HtmlElement:
    """The page's document: ``<html>``, with its head and body."""
    return lxml.html.document_fromstring(path.read_text(encoding="utf-8"))


def one(page: HtmlElement, selector: str) -> HtmlElement:
    """The first element the CSS selector matches; the test fails if none does."""
    found = page.cssselect(selector)
    assert found, f"nothing matches {selector}"
    return found[0]


def texts(element: HtmlElement) -> Iterator[str]:
    """The text nodes a reader sees within ``element``, in document order."""
    if not isinstance(element.tag, str) or element.tag in UNSEEN:  # a comment or a processing instruction
        return
    if element.text:
        yield element.text
    for child in element:
        yield from texts(child)
        if child.tail:
            yield child.tail


def visible(element: HtmlElement | None) -> str:
    """The text a reader sees of ``element``, whitespace collapsed (BeautifulSoup's ``get_text()``, split and joined).
    """
    assert element is not None
    return " ".join("".join(texts(element)).split())


def words(element: HtmlElement) -> list[str]:
    """The words a reader sees, a word never run into the next element's (``get_text(" ").split()``)."""
    return " ".join(texts(element)).split()
