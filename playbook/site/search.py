"""The site's search index, built from the playbook's data rather than scraped from its HTML.

One record per pattern, policy, rollout step, risk tier and learning, plus the hand-written pages by title
and headings; ``search.js`` ranks them in the browser with MiniSearch.
"""

from __future__ import annotations

import json
import posixpath
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import markdown
from mkdocs.utils import meta as front_matter

from playbook.data.model.items import Pattern, Policy, Step, Tier
from playbook.data.model.learning import Learning
from playbook.data.model.playbook import Playbook

INDEX_PATH = "search/playbook-index.json"
"""Where the index is published in the site."""
INDEX_VERSION = 1
"""Bumped when the layout of a record changes, so that a cached script never misreads a newer index."""
BODY_WORDS = 60
"""Words of body text kept per record: enough to find an item by what it is about, not every sentence
it holds. The full text stays on the item's page; the index is loaded on every page."""
SUMMARY_CHARS = 240
"""A policy has no summary of its own: the start of its statement stands in, cut at a word."""
PAGE_HEADINGS = 40
"""Headings kept per hand-written page: a page with a heading per item would repeat the whole index."""
COMMON_SHARE = 0.25
"""A word in at least this share of the records is common: a query leaves it out, since it tells little
apart and ranking the records that hold it cost most of the time of a long query on a large index."""
COMMON_MIN_RECORDS = 200
"""Below this many records every word counts: ranking them all is quick."""
FIELDS = ("kind", "id", "title", "aliases", "summary", "status", "tiers", "category", "url", "body")
"""The order of a record's values in the published index, which the script reads by position."""

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(?:^|(?<=\s))(?:#{1,6}|>|[-+*]|\d+[.)])(?=\s)|[`*_~|]+|<[^>]*>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Record:
    """One thing a reader can find: an item of the playbook or a hand-written page."""

    kind: str
    """pattern, policy, step, tier, learning or page: the result shows it, and the kind facet narrows by it."""
    id: str
    """The item's id (a page's path), which a reader may type."""
    title: str
    """The name shown as the result's link."""
    url: str
    """The page (and anchor) the result opens, relative to the site root."""
    aliases: tuple[str, ...] = ()
    """Other names of the item, matched as strongly as its title."""
    summary: str = ""
    """The line shown under the title, with the query's words highlighted."""
    status: str = ""
    """A pattern's status, or a learning's (open, addressed)."""
    tiers: tuple[str, ...] = ()
    """Ids of the risk tiers a pattern is approved for or a policy applies to."""
    category: str = ""
    """A pattern's catalog category."""
    body: str = ""
    """The start of the item's own text, searched with the lowest weight."""

    def row(self) -> list[Any]:
        """The record as the list of values the index publishes, in ``FIELDS`` order."""
        values = [getattr(self, name) for name in FIELDS]
        return [list(value) if isinstance(value, tuple) else value for value in values]


def plain(markdown: str) -> str:
    """Markdown as words: link targets, emphasis, list markers and tags dropped, spaces squeezed."""
    text = _LINK.sub(lambda link: link.group(1), markdown)
    return " ".join(_MARKUP.sub("", text).split())


def words(texts: Iterable[str], limit: int = BODY_WORDS) -> str:
    """The first ``limit`` words of the texts, in order."""
    kept: list[str] = []
    for text in texts:
        # Cut before cleaning: a long text's end would be cleaned only to be dropped.
        kept += plain(" ".join(text.split()[: 2 * limit])).split()[: limit - len(kept)]
        if len(kept) >= limit:
            break
    return " ".join(kept)


def lead(markdown: str, limit: int = SUMMARY_CHARS) -> str:
    """The first sentence of a Markdown text (or its first ``limit`` characters, cut at a word)."""
    text = plain(markdown)
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + " …"


RecordMemo = dict[tuple[str, str], tuple[object, str, Record]]
"""Each item's record as the last index made it, with the item (a frozen model) and the address it was made from."""


def item_records(playbook: Playbook, url_of: Callable[[str], str | None], memo: RecordMemo | None = None
                 ) -> list[Record]:
    """A record for every pattern, policy, rollout step, risk tier and learning.

    ``url_of`` maps a page's source path (``patterns/llm-gateway.md``) to its address in the site, or
    None when the site has no such page (the tiers are listed on ``risk-tiers.md`` if there is one). With ``memo``
    (``playbook serve``), an item that is the same object at the same address keeps its last record.
    """
    made: RecordMemo = {}

    def record(kind: str, item_id: str, item: object, url: str, make: Callable[[], Record]) -> Record:
        last = memo.get((kind, item_id)) if memo is not None else None
        found = last[2] if last is not None and last[0] is item and last[1] == url else make()
        made[(kind, item_id)] = (item, url, found)
        return found

    def pattern(p: Pattern, url: str) -> Record:
        return Record(kind="pattern", id=p.id, title=p.title, url=url, aliases=tuple(p.aliases), summary=p.summary,
                      status=p.status.value, tiers=tuple(p.tiers), category=p.category,
                      body=words([*p.when_to_use, p.how_it_works, *(c.text for c in p.controls), *p.platforms]))

    def policy(p: Policy, url: str) -> Record:
        return Record(kind="policy", id=p.id, title=p.title, url=url, aliases=tuple(p.aliases),
                      summary=lead(p.statement), tiers=tuple(p.tiers), body=words([p.statement, p.rationale or "",
                                                                                  p.owner]))

    def step(s: Step, url: str) -> Record:
        return Record(kind="step", id=s.id, title=s.title, url=url, summary=s.goal,
                      body=words([*(i.text for i in s.checklist), *s.exit_criteria]))

    def tier(t: Tier, url: str) -> Record:
        return Record(kind="tier", id=t.id, title=t.name, url=url, summary=t.description, body=t.turnaround)

    def learning(x: Learning, url: str) -> Record:
        return Record(kind="learning", id=x.id, title=x.title, url=url, summary=lead(x.what_happened),
                      status=x.status.value, body=words([x.what_happened, x.impact, x.what_changed or ""]))

    records = []
    for p in playbook.patterns.values():
        url = url_of(f"patterns/{p.id}.md") or ""
        records.append(record("pattern", p.id, p, url, lambda: pattern(p, url)))  # noqa: B023 - called at once
    for q in playbook.policies.values():
        url = url_of(f"policies/{q.id}.md") or ""
        records.append(record("policy", q.id, q, url, lambda: policy(q, url)))  # noqa: B023 - called at once
    for s in playbook.roadmap.steps if playbook.roadmap is not None else []:
        url = url_of(f"rollout/{s.id}.md") or ""
        records.append(record("step", s.id, s, url, lambda: step(s, url)))  # noqa: B023 - called at once
    tiers_page = url_of("risk-tiers.md")
    for t in playbook.tiers if tiers_page is not None else []:
        url = f"{tiers_page}#tier-{t.id}"
        records.append(record("tier", t.id, t, url, lambda: tier(t, url)))  # noqa: B023 - called at once
    for x in playbook.learnings.values():
        url = url_of(f"learnings/{x.id}.md") or ""
        records.append(record("learning", x.id, x, url, lambda: learning(x, url)))  # noqa: B023 - called at once
    if memo is not None:
        memo.clear()
        memo.update(made)
    return records


def page_record(src_uri: str, url: str, title: str, headings: Iterable[str]) -> Record:
    """A hand-written page: found by its title and headings; the first few headings are its summary."""
    kept = list(headings)[:PAGE_HEADINGS]
    return Record(kind="page", id=src_uri.removesuffix(".md"), title=title, url=url,
                  summary=" · ".join(kept[:6]), body=" ".join(kept))


def folded_words(text: str) -> list[str]:
    """Words as the browser compares them with the common ones: lower case, without diacritics."""
    text = text.lower()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return _WORD.findall(text)


def common_words(records: list[Record]) -> list[str]:
    """Words found in at least ``COMMON_SHARE`` of the records' titles, summaries and bodies."""
    if len(records) < COMMON_MIN_RECORDS:
        return []
    counts = Counter(word for r in records for word in set(folded_words(f"{r.title} {r.summary} {r.body}")))
    return sorted(word for word, count in counts.items() if count >= COMMON_SHARE * len(records))


def index_data(records: list[Record], language: str) -> dict[str, Any]:
    """The published index: its layout, the site language, the common words, and the records as lists."""
    return {
        "version": INDEX_VERSION,
        "language": language,
        "fields": list(FIELDS),
        "common": common_words(records),
        "records": [r.row() for r in records],
    }


def index_json(data: Mapping[str, Any]) -> str:
    """The index as compact JSON: it is fetched by every reader who searches."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class PageHeadings:
    """A hand-written page's title and headings, read as mkdocs reads them for the plugin's index: with the
    configuration's Markdown extensions; the navigation's title first, then the page's own, then its first heading.

    For ``playbook generate``, whose pages no mkdocs build reads first.
    """

    def __init__(self, extensions: list[Any], nav: Any) -> None:
        names: list[Any] = []
        configs: dict[str, Any] = {}
        for entry in extensions:
            if isinstance(entry, dict):
                for name, options in entry.items():
                    names.append(name)
                    configs[name] = options or {}
            else:
                names.append(entry)
        if "toc" not in names:
            names.append("toc")
        self.markdown = markdown.Markdown(extensions=names, extension_configs=configs)
        self.nav_titles = nav_titles(nav)

    def read(self, src_uri: str, text: str, meta: Mapping[str, Any]) -> tuple[str, list[str]]:
        """(title, headings other than the title) of the page at ``src_uri`` whose text, front matter and all,
        is ``text``."""
        body, _meta = front_matter.get_data(text)
        self.markdown.reset()
        self.markdown.convert(body)
        tokens: list[dict[str, Any]] = list(getattr(self.markdown, "toc_tokens", []))
        first = next((str(t["name"]) for t in tokens if t["level"] == 1), None)
        title = (self.nav_titles.get(src_uri) or (str(meta["title"]) if meta.get("title") else None) or first
                 or title_of_file(src_uri))
        found: list[str] = []
        stack = list(reversed(tokens))
        while stack:
            token = stack.pop()
            if token["name"] != title:
                found.append(str(token["name"]))
            stack.extend(reversed(token["children"]))
        return title, found


def nav_titles(nav: Any) -> dict[str, str]:
    """The title the navigation gives each page that it names with one (``- Pattern catalog: standards.md``)."""
    titles: dict[str, str] = {}
    stack = [nav]
    while stack:
        entry = stack.pop()
        if isinstance(entry, list):
            stack.extend(entry)
        elif isinstance(entry, dict):
            for title, value in entry.items():
                if isinstance(value, str):
                    titles.setdefault(value, str(title))
                else:
                    stack.append(value)
    return titles


def title_of_file(src_uri: str) -> str:
    """mkdocs' title for a page with none of its own: ``Home`` for the home page, else the file's name."""
    if src_uri in ("index.md", "README.md"):
        return "Home"
    name = posixpath.splitext(posixpath.basename(src_uri))[0]
    if name in ("index", "README"):
        name = posixpath.basename(posixpath.dirname(src_uri))
    return name.replace("-", " ").replace("_", " ").capitalize()
