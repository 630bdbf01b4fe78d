"""Putting playbook text into pages safely: YAML text is data, never markup or template.

Plain-text fields are escaped for both HTML and Markdown; Markdown fields are rendered to
HTML here, with raw HTML escaped and only http(s), mailto and relative links kept.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as etree
from functools import lru_cache

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_MD_SPECIALS = re.compile(r"([\\`*_{}\[\]()>#+\-.!|~])")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_SAFE_SCHEMES = {"http", "https", "mailto"}


def esc(text: object) -> str:
    """Text for an HTML attribute or element body."""
    return html.escape(str(text), quote=True)


def md_attr(text: object) -> str:
    """Text for an attribute of a tag written into Markdown, where Markdown's links run before its raw HTML.

    Brackets and backticks become character references, which browsers read back, so no link or code
    span can start inside the tag.
    """
    return esc(text).replace("[", "&#91;").replace("]", "&#93;").replace("`", "&#96;")


def md(text: object) -> str:
    """Plain text placed into Markdown: shows literally, whatever characters it holds."""
    escaped = html.escape(" ".join(str(text).split()), quote=False)
    return _MD_SPECIALS.sub(r"\\\1", escaped)


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto, in-page and relative addresses; false for javascript:, data: and the like."""
    squeezed = re.sub(r"[\s\x00-\x1f]", "", html.unescape(url))
    scheme = _SCHEME.match(squeezed)
    return scheme is None or scheme.group(1).lower() in _SAFE_SCHEMES


class _SafeLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not is_safe_url(value):
                    del element.attrib[attribute]
                    element.set("data-removed-unsafe-link", "")


class _EscapeHtml(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "playbook_safe_links", 0)


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=[_EscapeHtml(), "tables", "sane_lists", "fenced_code"], output_format="html")


@lru_cache(maxsize=16384)
def markdown_html(text: str) -> str:
    """Render a Markdown field to HTML with raw HTML shown as text and unsafe links dropped."""
    # Cached: each field is shown on its item's page and again on the print page.
    converter = _converter()
    converter.reset()
    return converter.convert(text)


def markdown_block(text: str, css_class: str = "pb-md") -> str:
    """A Markdown field as a raw HTML block that the page's own Markdown pass leaves alone."""
    return f'\n<div class="{css_class}" markdown="0">\n{markdown_html(text)}\n</div>\n'


def json_script(element_id: str, data: object) -> str:
    """Data for the page's scripts, safe inside a ``<script>`` element whatever strings it holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


def link(title: str, target: str, base: str = "") -> str:
    """A Markdown link to another page of the site, so that mkdocs checks it exists."""
    return f"[{md(title)}]({base}{target})"


def percent(share: float) -> str:
    value = share * 100
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


def money(amount: float, currency: str | None) -> str:
    text = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
    return f"{currency} {text}" if currency else text
