"""What a reader types to find each item of a playbook, and a probe that watches a search box answer it.

Shared by the browser tests (tests/browser/test_search_hits.py) and the benchmark (benchmarks/search.py).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from playbook.data.model.playbook import Playbook

TOP = 3
"""An item searched for by name must be among this many results: a reader looks no further."""


@dataclass(frozen=True)
class Query:
    """One thing typed into the search box, and the page it must find."""

    kind: str
    """pattern, policy, step or tier."""
    item: str
    """The item's id."""
    how: str
    """title, id or alias: what of the item was typed."""
    text: str
    """The query itself."""
    target: str
    """The item's page relative to the site root, with the fragment of a section item (a tier)."""

    def label(self) -> str:
        return f"{self.kind} {self.item} by {self.how} {self.text!r}"


def item_pages(playbook: Playbook) -> list[tuple[str, str, str, list[str], str]]:
    """(kind, id, title, aliases, page) of every item a reader can search for, in a stable order."""
    items = [("pattern", p.id, p.title, list(p.aliases), f"patterns/{p.id}/")
             for p in sorted(playbook.patterns.values(), key=lambda p: p.id)]
    items += [("policy", p.id, p.title, list(p.aliases), f"policies/{p.id}/")
              for p in sorted(playbook.policies.values(), key=lambda p: p.id)]
    if playbook.roadmap is not None:
        items += [("step", s.id, s.title, [], f"rollout/{s.id}/") for s in playbook.roadmap.steps]
    # A tier is a section of the risk tiers page; the tier table links to it by this anchor.
    items += [("tier", t.id, t.name, [], f"risk-tiers/#tier-{t.id}") for t in playbook.tiers]
    return items


def queries(playbook: Playbook) -> list[Query]:
    """Each item's title, id and every alias no other item shares (as a title, id or alias).

    A name two items share cannot put both first; the issue asks for the names that identify one item.
    """
    items = item_pages(playbook)
    owners: Counter[str] = Counter()
    for _kind, item_id, title, aliases, _page in items:
        for name in {item_id.casefold(), title.casefold(), *(a.casefold() for a in aliases)}:
            owners[name] += 1
    out = []
    for kind, item_id, title, aliases, page in items:
        names = [("title", title), ("id", item_id), *(("alias", a) for a in aliases)]
        seen: set[str] = set()
        for how, text in names:
            key = text.casefold()
            if key in seen or owners[key] > 1:
                continue
            seen.add(key)
            out.append(Query(kind, item_id, how, text, page))
    return out


T = TypeVar("T")


def spread(items: Sequence[T], count: int) -> list[T]:
    """``count`` items taken evenly across ``items``, so a sample does not favour one kind or letter."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


@dataclass(frozen=True)
class Engine:
    """A search box on the page and where its result links are."""

    name: str
    box: str
    """CSS selector of the search input."""
    results: str
    """CSS selector of the element the results are drawn in."""
    links: str
    """CSS selector of the result links, in the order the reader sees them."""


HOOKS = Engine("playbook", "[data-playbook-search-input]", "[data-playbook-search-results]",
               "[data-playbook-search-results] a[href]")
"""The playbook's own search, found through its test hooks only."""
MATERIAL = Engine("material-lunr", "input.md-search__input", ".md-search-result", ".md-search-result__item a[href]")
"""mkdocs-material's built-in search, the site's search before the playbook had its own."""


PROBE = """
([links, results]) => {
  if (window.__searchProbe) return;
  // Every change of the visible result links, with the time it happened, and the last edit of
  // the box: the benchmark and the tests read results from this record, not from a single look.
  const shown = () => {
    const out = [];
    for (const a of document.querySelectorAll(links)) {
      if (!a.getClientRects().length || getComputedStyle(a).visibility === 'hidden') continue;
      if (out[out.length - 1] !== a.href) out.push(a.href);
      if (out.length >= 10) break;
    }
    return out;
  };
  const probe = window.__searchProbe = {
    states: [{t: performance.now(), links: []}],
    redraws: [],
    lastInput: null,
    changed() {
      const now = shown(), last = probe.states[probe.states.length - 1].links;
      if (now.length !== last.length || now.some((href, i) => href !== last[i])) {
        probe.states.push({t: performance.now(), links: now});
      }
    },
    reset() {
      probe.states = [{t: performance.now(), links: shown()}];
      probe.redraws = [];
      probe.lastInput = null;
    },
    // Resolves once the links have not changed for `quiet` ms after the last edit, or at `cap` ms.
    // A search that answers late (a worker working through a queue of older queries) changes the
    // links at long intervals: the wait stretches to twice the longest interval seen after the edit.
    settle(quiet, cap, needResults) {
      const start = performance.now();
      return new Promise(resolve => {
        const tick = () => {
          const now = performance.now();
          const last = probe.states[probe.states.length - 1];
          const from = probe.lastInput ?? start;
          const since = Math.max(last.t, from);
          let previous = from, gap = 0;
          for (const state of probe.states) {
            if (state.t <= from) continue;
            gap = Math.max(gap, state.t - previous);
            previous = state.t;
          }
          const ready = !needResults || last.links.length > 0;
          if ((ready && now - since >= Math.max(quiet, 2 * gap)) || now - start >= cap) {
            resolve({states: probe.states, redraws: probe.redraws, lastInput: probe.lastInput,
                     settled: now - start < cap, now});
          } else {
            setTimeout(tick, 20);
          }
        };
        tick();
      });
    },
  };
  // The document itself: a script added to every page runs before it has a root element.
  // Redraws of the results count too: an answer to the whole query may show the same links as the
  // answer to the query before it.
  const inResults = record => {
    const node = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
    return node !== null && node.closest(results) !== null;
  };
  new MutationObserver(records => {
    if (records.some(inResults)) probe.redraws.push(performance.now());
    probe.changed();
  }).observe(document,
    {childList: true, subtree: true, attributes: true, characterData: true});
  document.addEventListener('input', event => { probe.lastInput = event.timeStamp; }, true);
}
"""


@dataclass
class Answer:
    """What the results did after one query."""

    links: list[str]
    """The result links shown at the end, first first."""
    settled: bool
    """False if they were still changing when the probe stopped waiting."""
    final_at: float
    """When the final links appeared, on the page's clock (ms since navigation start)."""
    latency_ms: float | None = None
    """From the last edit of the box to the final links: when they appeared, or if they were already shown,
    when the results were next redrawn (the answer to the whole query); 0 if they never were."""
    stale: list[list[str]] = field(default_factory=list)
    """Other sets of links shown after the last edit, before the final ones: results lagging behind."""
    first_results_ms: float | None = None
    """For a query typed as the page loads: from the load event to the final results."""
    current: bool | None = None
    """Whether the final links are those the whole query gets on its own (None: not compared, or the query
    alone got no results). False means
    the results still answered an earlier query when the probe stopped waiting: they lag behind the typing."""

    def rank(self, base: str, target: str) -> int | None:
        """1-based position of ``target`` among the links, or None."""
        for position, href in enumerate(self.links, start=1):
            if matches(href, base, target):
                return position
        return None


def matches(href: str, base: str, target: str) -> bool:
    """Does a result link open the item's page (and its section, for an item that is one)?"""
    want = urlsplit(urljoin(base, target))
    got = urlsplit(href)
    if (got.netloc, got.path.rstrip("/")) != (want.netloc, want.path.rstrip("/")):
        return False
    return not want.fragment or got.fragment == want.fragment


def install(page: Page, engine: Engine) -> None:
    """Watch the engine's result links on this page and every page loaded after in its context."""
    script = f"({PROBE})({json.dumps([engine.links, engine.results])});"
    page.context.add_init_script(script)
    page.evaluate(script)


def open_box(page: Page, engine: Engine) -> Locator:
    box = page.locator(engine.box).first
    box.click()
    return box


def top(links: Sequence[str]) -> list[str]:
    """The first TOP links without their query strings (a theme may put the query in them to highlight it)."""
    return [urlsplit(href)._replace(query="").geturl() for href in links[:TOP]]


def _answer(result: dict[str, Any], expected: list[str] | None = None) -> Answer:
    states = result["states"]
    final = states[-1]
    # The final links appeared with the first state of the last run of equal states.
    start = len(states) - 1
    while start > 0 and states[start - 1]["links"] == final["links"]:
        start -= 1
    answer = Answer(links=list(final["links"]), settled=bool(result["settled"]), final_at=states[start]["t"])
    if expected:
        answer.current = top(final["links"]) == top(expected)
    last_input = result["lastInput"]
    if last_input is not None:
        after = [s for s in states if s["t"] > last_input]
        if answer.current is False:
            answer.latency_ms = None
        elif answer.final_at > last_input:
            answer.latency_ms = answer.final_at - last_input
        else:
            redraws = [t for t in result["redraws"] if t >= last_input]
            answer.latency_ms = redraws[0] - last_input if redraws else 0.0
        answer.stale = [s["links"] for s in after if s["links"] != final["links"] and s["links"]]
    return answer


def clear(page: Page, box: Locator) -> None:
    box.fill("")
    page.evaluate("window.__searchProbe.settle(150, 3000, false)")


def search(page: Page, box: Locator, text: str, delay_ms: float | None, quiet_ms: float, cap_ms: float,
           expected: list[str] | None = None) -> Answer:
    """Clear the box, enter ``text`` and wait for the results to settle.

    With ``delay_ms`` the text is typed a key at a time at that pace; without, it is entered at once,
    as a paste is, so that every result shown afterwards answers the whole query. ``expected`` is what
    the whole query shows on its own (``reference``): the answer says whether the typing ended there.
    """
    clear(page, box)
    page.evaluate("window.__searchProbe.reset()")
    if delay_ms is None:
        box.fill(text)
    else:
        box.press_sequentially(text, delay=delay_ms)
    result = page.evaluate("([q, c]) => window.__searchProbe.settle(q, c, true)", [quiet_ms, cap_ms])
    return _answer(result, expected)


def answered(page: Page, box: Locator, results: str, text: str, cap_ms: float) -> list[str] | None:
    """Enter ``text`` at once and return the result links the search shows for exactly that query, or None if
    it showed none within ``cap_ms``.

    The playbook's results list names the query it answers (``data-query``), and a query's results are only
    shown while it is the newest, so these are the whole query's final results, with no quiet period to wait.
    """
    box.fill(text)
    try:
        return page.wait_for_function(
            """([results, text]) => {
                const list = document.querySelector(results);
                if (!list || list.dataset.query !== text) return null;
                return Array.from(list.querySelectorAll('a[href]'), a => a.href);
            }""",
            arg=[results, text], timeout=cap_ms, polling="raf",
        ).json_value()
    except PlaywrightTimeoutError:
        return None


EACH_ANSWERED = """async ([box, results, texts, cap]) => {
  const input = document.querySelector(box);
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  const out = [];
  for (const text of texts) {
    input.value = text;  // as Playwright's fill does: the whole text at once, one input event
    input.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertText", data: text}));
    const start = performance.now();
    let links = null;
    while (links === null && performance.now() - start < cap) {
      await frame();
      const list = document.querySelector(results);
      if (list && list.dataset.query === text) links = Array.from(list.querySelectorAll("a[href]"), a => a.href);
    }
    out.push(links);
  }
  return out;
}"""


def each_answered(page: Page, engine: Engine, texts: Sequence[str], cap_ms: float) -> list[list[str] | None]:
    """:func:`answered` for each of ``texts`` in turn, in one script in the page: the same input event and the same
    wait, without two calls from Python per query (a few hundred queries cost 10 s of CPU that way). The box must
    be open (:func:`open_box`), which also proves it takes a real click."""
    return list(page.evaluate(EACH_ANSWERED, [engine.box, engine.results, list(texts), cap_ms]))


def _enter_with_a_key(box: Locator, text: str) -> None:
    # All but the last letter at once, then the last as a key press: a theme may search on key events only.
    box.fill(text[:-1])
    box.press(text[-1])


def reference(page: Page, box: Locator, text: str, quiet_ms: float, cap_ms: float) -> list[str]:
    """The links the whole query shows when it is the only one asked, waited for patiently."""
    clear(page, box)
    page.evaluate("window.__searchProbe.reset()")
    _enter_with_a_key(box, text)
    result = page.evaluate("([q, c]) => window.__searchProbe.settle(q, c, true)", [quiet_ms, cap_ms])
    return list(result["states"][-1]["links"])


def first_load(page: Page, engine: Engine, url: str, text: str, cap_ms: float) -> Answer:
    """Open ``url`` and search for ``text`` as soon as the page has loaded; times are from the load event.

    The page's context must be new, so that nothing (the index above all) comes from its cache.
    """
    install(page, engine)
    page.goto(url, wait_until="load")
    box = open_box(page, engine)
    page.evaluate("window.__searchProbe.reset()")
    _enter_with_a_key(box, text)
    result = page.evaluate("([q, c]) => window.__searchProbe.settle(q, c, true)", [1000, cap_ms])
    answer = _answer(result)
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    answer.first_results_ms = answer.final_at - loaded
    return answer
