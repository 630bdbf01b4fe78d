"""Putting playbook text into pages safely: YAML text is data, never markup or template.

One escaping policy for every value a template writes: plain text becomes character references
wherever HTML or Markdown would read it as markup, which browsers read back in element text and
attributes alike. Markdown fields are rendered to HTML here, raw HTML shown as text and only
http(s), mailto and relative links kept.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from string import Formatter
from typing import Any

import jinja2
import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.bccache import FileSystemBytecodeCache
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from jinja2.runtime import Context
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from playbook.i18n import Messages

TEMPLATES = Path(__file__).parent / "templates"

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_SAFE_SCHEMES = {"http", "https", "mailto"}
_WHITESPACE = re.compile(r"\s+")
_REFERENCES = str.maketrans({
    # HTML: text cannot open a tag, an entity or close a double-quoted attribute (templates quote with ").
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
    # Markdown and its extensions (attr_list, tables): no link, code span, emphasis, attribute list or cell.
    "\\": "&#92;", "`": "&#96;", "*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;",
    "{": "&#123;", "}": "&#125;", "|": "&#124;", "~": "&#126;", "#": "&#35;", "!": "&#33;",
})
_BLOCK_START = re.compile(r"^( ?\d*)([-+.)])(?=[ -]|$)")
"""What would make a value that starts a line into a list item or a rule ("- ", "1. ", "---").

Other block markers (#, >, |, `, !!! of admonitions) are escaped wherever they are.
"""


def escape(value: object) -> Markup:
    """Plain text for any place in a page: element text, a double-quoted attribute, a Markdown line or cell.

    Runs of whitespace become one space, since a line break would end a Markdown table row or start a block.
    Markup (a rendered template, a Markdown field already made safe) passes through unchanged.
    """
    if isinstance(value, Markup):
        return value
    text = str(value)
    # Most values need nothing done; the checks below are cheap next to the rewrites they skip.
    if not text.isprintable() or "  " in text:
        text = _WHITESPACE.sub(" ", text)
    if not _SPECIAL.isdisjoint(text):
        text = text.translate(_REFERENCES)
    if text[:1] in _MAY_START_BLOCK:
        text = _BLOCK_START.sub(_reference_the_marker, text)
    return Markup(text)


_SPECIAL = frozenset(chr(c) for c in _REFERENCES)
_MAY_START_BLOCK = frozenset(" -+0123456789")


def _reference_the_marker(match: re.Match[str]) -> str:
    before, marker = match.groups()
    return f"{before}&#{ord(marker)};"


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
def markdown_html(text: str) -> Markup:
    """Render a Markdown field to HTML with raw HTML shown as text and unsafe links dropped."""
    # Cached: each field is shown on its item's page and again on the print page.
    converter = _converter()
    converter.reset()
    return Markup(converter.convert(text))


_YAML_UNSAFE = re.compile("[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]")


def yaml_title(title: str) -> Markup:
    """A page title as a YAML double-quoted scalar, for front matter that a template writes.

    Material puts ``page.meta.title`` into ``<title>`` and the header as HTML, so it is HTML-escaped first.
    A JSON string is a YAML double-quoted scalar once the characters YAML reads as breaks or refuses are
    escaped too: at 10,000 use-case pages PyYAML's emitter was a tenth of the build.
    """
    quoted = json.dumps(html.escape(title, quote=False), ensure_ascii=False)
    return Markup(_YAML_UNSAFE.sub(lambda c: f"\\u{ord(c.group()):04x}", quoted))


def number(value: float, messages: Messages | None = None, digits: int = 1) -> str:
    """``value`` with its digits grouped and at most ``digits`` decimals, in the site's language (its decimal mark
    and digit groups); English without ``messages``, as the CLI writes."""
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.{digits}f}"
    if messages is None:
        return text
    decimal, group = messages("standards.number.decimal"), messages("standards.number.group")
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def percent(share: float, messages: Messages | None = None) -> str:
    value = number(round(share * 100, 1), messages)
    return f"{value}%" if messages is None else messages("standards.percent", value=value)


def money(amount: float, currency: str | None, messages: Messages | None = None) -> str:
    text = number(amount, messages, digits=2)
    return f"{currency} {text}" if currency else text


def say(m: Messages, key: str, **params: object) -> str:
    """A string of the catalog, escaped for the Markdown line or cell it goes into."""
    return escape(m(key, **params))


def link(title: str, target: str, base: str = "") -> str:
    """A Markdown link to another page of the site, so that mkdocs checks it exists."""
    return f"[{escape(title)}]({base}{target})"


class Words(dict[str, Markup]):
    """The site's strings for templates, each escaped by the same policy as any value.

    ``m["key"]`` for a fixed string; ``m("key", name=value)`` fills its placeholders, each value escaped
    unless it is Markup (a link, bold text from the template), so a translation can put it anywhere;
    ``m.counted("key", n, ...)`` the same in the string's form for ``n`` (see :meth:`Messages.counted`).
    """

    def __init__(self, messages: Messages) -> None:
        super().__init__((key, escape(text)) for key, text in messages.strings.items())
        self.messages = messages
        self.parsed: dict[str, list[tuple[Markup, str | None, str]]] = {}
        """Each string used with placeholders: its literal parts already escaped, each followed by a field."""

    def __call__(self, key: str, /, **params: object) -> Markup:
        parts = self.parsed.get(key)
        if parts is None:
            parts = self.parsed[key] = [(escape(literal), field, spec or "")
                                        for literal, field, spec, _conversion in _fields(self.messages(key))]
        out = []
        for literal, field, spec in parts:
            out.append(literal)
            if field is not None:
                value = params[field]
                out.append(value if isinstance(value, Markup) else escape(format(value, spec)))
        return Markup("".join(out))

    def counted(self, key: str, count: int, /, **params: object) -> Markup:
        """``m(key, ...)`` in its form for ``count``: ``m.counted("usecase.metrics.days", 1, days=1)``."""
        return self(self.messages.counted(key, count), **params)


@lru_cache(maxsize=8)
def words(messages: Messages) -> Words:
    """Built once per site: every page of a build shares its language's escaped strings."""
    return Words(messages)


@lru_cache(maxsize=1024)
def _fields(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return list(Formatter().parse(text))


def _join(values: Iterable[object], separator: str = "") -> Markup:
    """Jinja's ``join`` with this module's escaping, not markupsafe's HTML-only one."""
    return escape(separator).join(escape(v) for v in values)


class _EscapeOnce(CodeGenerator):
    """Compiles ``{{ value }}`` to ``environment.finalize(value)`` where Jinja writes
    ``escape(environment.finalize(value))``.

    ``finalize`` is :func:`escape`, which returns Markup for every value: Jinja's own escape of it
    could only copy it, and took a quarter of the time of a use-case page, rendered 10,000 times in a
    large register. Autoescape keeps its other effects: macros and ``{% set %}`` blocks make Markup.
    """

    def _finalizes(self, frame: Frame, finalize: Any) -> bool:
        return finalize.src is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if self._finalizes(frame, finalize):
            self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if self._finalizes(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


class _Environment(Environment):
    code_generator_class = _EscapeOnce


def bytecode_cache(name: str, *versions: str) -> FileSystemBytecodeCache:
    """Compiled templates on disk, shared by the builds of one user (Jinja's private folder in the temp folder).

    Jinja keys a template's code by its name and source checksum, not by how the environment compiles it: the
    file names carry ``versions`` (what sets that up) and Jinja's, so another setup never loads this one's code.
    """
    fingerprint = hashlib.sha256("\0".join((jinja2.__version__, *versions)).encode()).hexdigest()[:16]
    return FileSystemBytecodeCache(pattern=f"playbook-{name}-{fingerprint}-%s.cache")


# Numbers in templates take the language of the page's words, ``m``.
@pass_context
def _number(context: Context, value: float, digits: int = 1) -> str:
    return number(value, context["m"].messages, digits)


@pass_context
def _percent(context: Context, share: float) -> str:
    return percent(share, context["m"].messages)


@pass_context
def _money(context: Context, amount: float, currency: str | None) -> str:
    return money(amount, currency, context["m"].messages)


@pass_context
def _hold(context: Context, html: str) -> Markup:
    """A block of HTML as the page's Markdown carries it: given the context's ``hold``, what it returns for the block
    (the plugin's mark, which it replaces once the page is converted); without one, the HTML itself."""
    hold = context.get("hold")
    return Markup(hold(str(html)) if hold is not None else html)


@cache
def _environment() -> Environment:
    """Compiled once per process: every page of a build renders from the same templates."""
    environment = _Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        # This module's source: the code generator and the options above are here.
        bytecode_cache=bytecode_cache("pages", Path(__file__).read_text(encoding="utf-8")),
    )
    environment.filters.update(join=_join, markdown=markdown_html, percent=_percent, money=_money, number=_number,
                               yaml_title=yaml_title, hold=_hold)
    # tojson escapes <, >, & and ' as \u escapes, so a data block cannot close its <script> element.
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    return environment


def render(template: str, messages: Messages, **context: object) -> str:
    """A template of ``playbook/site/templates`` filled with playbook data; ``m`` words it.

    Inside :meth:`PageMemo.page`, the text the same page's same template made from an equal context last time."""
    remembering = _REMEMBERING.get()
    if remembering is not None:
        return remembering.render(template, messages, context)
    return _environment().get_template(template).render(m=words(messages), **context)


class PageMemo:
    """What each generated page's templates made, with the values they were given: ``playbook serve`` makes every
    page's Markdown again at each save, and most pages are given what they were given the save before. A template's
    text is the same for the same values in the same words: its source does not change while the process runs.

    A context holding a function is not kept: a function made anew each build never compares equal."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, str, int], tuple[dict[str, object], str]] = {}
        self.now: dict[tuple[str, str, int], tuple[dict[str, object], str]] = {}
        self.strings: dict[str, str] | None = None
        self.at: str | None = None
        self.calls: dict[str, int] = {}

    def start(self, messages: Messages) -> None:
        """Begin a build worded by ``messages``: what the last build made is what this one may reuse."""
        self.last, self.now = (self.now, {}) if messages.strings == self.strings else ({}, {})
        self.strings = messages.strings

    @contextmanager
    def page(self, key: str) -> Iterator[None]:
        """Render the page ``key`` (its address) inside this block."""
        self.at, self.calls = key, {}
        token = _REMEMBERING.set(self)
        try:
            yield
        finally:
            _REMEMBERING.reset(token)

    def render(self, template: str, messages: Messages, context: dict[str, object]) -> str:
        assert self.at is not None
        n = self.calls[template] = self.calls.get(template, 0) + 1
        key = (self.at, template, n)
        last = self.last.get(key)
        if last is not None and messages.strings is self.strings and last[0] == context:
            text = last[1]
        else:
            text = _environment().get_template(template).render(m=words(messages), **context)
        if not any(callable(value) for value in context.values()):
            self.now[key] = (context, text)
        return text


_REMEMBERING: ContextVar[PageMemo | None] = ContextVar("remembering", default=None)


def template_macros(template: str, messages: Messages, **context: object) -> Any:
    """The macros of a template, to call from Python: each returns its output as Markup.

    For parts that many pages share, rendered once and reused (see :mod:`playbook.site.pages.usecase`).
    """
    return _environment().get_template(template).make_module({"m": words(messages), **context})
