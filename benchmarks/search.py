"""Findability: does typing an item's title, id or alias find it, and how fast, in real Chromium.

Builds each playbook with each search engine (the playbook's own search, through its test hooks,
and mkdocs-material's lunr search from the tree before it), types every query at a human pace and
records where the item ranks and when the final results appeared. A benchmark, not a test: it
prints a table and keeps every figure in benchmarks/search-results.json (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Browser, Error, Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO / "tests"))

# The tests' helpers, so the benchmark builds and searches exactly as the browser tests do.
from findability import (  # noqa: E402
    HOOKS,
    MATERIAL,
    Engine,
    Query,
    first_load,
    install,
    open_box,
    queries,
    reference,
    search,
    spread,
)
from playbook.check.validate import check  # noqa: E402
from sitebuild import assemble  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
CHROMIUM = Path(os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
RESULTS = HERE / "search-results.json"
KEY_DELAY_MS = 40
"""A fast but human typing pace, as in the issue's measurements."""
QUIET_MS = 500
"""Results unchanged this long after the last key (or twice the longest pause between changes) are final."""
CAP_MS = 10_000
"""Give up waiting for the results to settle this long after the last key."""
FIRST_LOADS = 3
"""Fresh page loads timed per site: the median is reported."""
SETS = ("shipped", "synth-300", "synth-3000", "nl", "de")
DEFAULT_SAMPLE = {"synth-300": 100, "synth-3000": 150}
"""Queries per synthetic set, spread evenly over its items; the others use every query."""


@dataclass(frozen=True)
class Tree:
    """A version of the site's sources and the engine its site searches with."""

    engine: Engine
    root: Path
    revision: str
    timed_plugins: str = ""
    timed_modules: str = ""
    index_glob: str = "search/**/*"


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, check=True, capture_output=True, text=True).stdout.strip()


def has_material_search(revision: str) -> bool:
    config = yaml.safe_load(git("show", f"{revision}:mkdocs.yml"))
    return any(p == "search" or (isinstance(p, dict) and "search" in p) for p in config.get("plugins") or [])


def baseline_revision() -> str:
    """The newest commit on HEAD's first-parent line whose site still used mkdocs-material's search."""
    for revision in git("rev-list", "--first-parent", "HEAD").split():
        if has_material_search(revision):
            return revision
    raise SystemExit("no commit of HEAD's history has mkdocs-material's search plugin in mkdocs.yml")


def export_tree(revision: str, target: Path) -> Path:
    if not (target / "mkdocs.yml").exists():
        archive = subprocess.run(["git", "archive", revision], cwd=REPO, check=True, capture_output=True).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
    return target


def current_revision() -> str:
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return git("rev-parse", "--short", "HEAD") + (" with uncommitted changes" if dirty else "")


def data_root(name: str, work: Path) -> Path:
    if name == "shipped":
        return REPO
    if name in ("nl", "de"):
        return REPO / "tests" / "fixtures" / "valid" / name
    patterns, policies = {"synth-300": (100, 200), "synth-3000": (1000, 2000)}[name]
    out = work / f"data-{name}"
    if not out.exists():
        subprocess.run([sys.executable, "-m", "playbook", "synth", "--patterns", str(patterns), "--policies",
                        str(policies), "--out", str(out)], check=True, env=ENV, stdout=subprocess.DEVNULL)
    return out


@dataclass
class Built:
    site: Path
    build_seconds: float
    index_seconds: float
    index_bytes: int
    index_files: list[str]


def build(tree: Tree, data: Path, target: Path, reuse: bool = False) -> Built:
    """Assemble and build the site strictly with the tree's code, timing the index through the hook.

    With ``reuse``, a site this tree built earlier in ``target`` is kept, with the figures of that build.
    """
    record = target / "built.json"
    if reuse and record.exists():
        kept = json.loads(record.read_text(encoding="utf-8"))
        if kept.pop("revision") == tree.revision:
            return Built(site=target / "site", **kept)
    shutil.rmtree(target, ignore_errors=True)
    root = assemble(data, target / "root", sources=tree.root)
    config = root / "mkdocs-bench.yml"
    config.write_text(f"INHERIT: mkdocs.yml\nhooks:\n  - {json.dumps(str(HERE / 'search_timing_hook.py'))}\n",
                      encoding="utf-8")
    timing = target / "timing.json"
    env = {**ENV, "BENCH_TIMING_OUT": str(timing), "BENCH_TIMED_PLUGINS": tree.timed_plugins,
           "BENCH_TIMED_MODULES": tree.timed_modules,
           # The tree's own engine and plugin: its folder comes before the installed checkout.
           "PYTHONPATH": os.pathsep.join([str(tree.root), ENV.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    site = target / "site"
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config),
                             "-d", str(site)], cwd=root, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"building {root} with {tree.engine.name} failed:\n{result.stdout}\n{result.stderr}")
    files = sorted(p for p in site.glob(tree.index_glob) if p.is_file())
    built = Built(site, seconds, json.loads(timing.read_text())["index"], sum(p.stat().st_size for p in files),
                  [p.relative_to(site).as_posix() for p in files])
    record.write_text(json.dumps({"revision": tree.revision, "build_seconds": built.build_seconds,
                                  "index_seconds": built.index_seconds, "index_bytes": built.index_bytes,
                                  "index_files": built.index_files}), encoding="utf-8")
    return built


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile: a value that was measured, never an interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    # Generous: on a loaded machine a page busy searching can take many seconds to take a key.
    context.set_default_timeout(60_000)
    return context.new_page()


def measure(browser: Browser, engine: Engine, base: str, cases: list[Query]) -> dict[str, Any]:
    """First loads, then every query typed at KEY_DELAY_MS a key into one page."""
    loads = []
    for case in spread(cases, FIRST_LOADS):
        page = new_page(browser)
        try:
            answer = first_load(page, engine, base, case.text, CAP_MS)
            loads.append({"query": case.text, "ms": answer.first_results_ms, "rank": answer.rank(base, case.target)})
        finally:
            page.context.close()
    page = new_page(browser)
    # A second tab asks each query on its own first, for the results the typing must end with.
    reference_page = page.context.new_page()
    rows: list[dict[str, Any]] = []
    try:
        boxes = {}
        for tab in (page, reference_page):
            install(tab, engine)
            tab.goto(base)
            boxes[tab] = open_box(tab, engine)
        for number, case in enumerate(cases, start=1):
            row: dict[str, Any] = {"kind": case.kind, "item": case.item, "how": case.how, "query": case.text}
            try:
                expected = reference(reference_page, boxes[reference_page], case.text, 2 * QUIET_MS, 2 * CAP_MS)
                answer = search(page, boxes[page], case.text, KEY_DELAY_MS, QUIET_MS, CAP_MS, expected)
            except Error as error:
                # Counted as a miss with no latency; fresh pages for the next query.
                rows.append({**row, "rank": None, "latency_ms": None, "settled": False, "stale": 0, "shown": [],
                             "current": None, "error": str(error).splitlines()[0]})
                for tab in (page, reference_page):
                    tab.goto(base)
                    boxes[tab] = open_box(tab, engine)
                continue
            rows.append({**row, "rank": answer.rank(base, case.target), "latency_ms": answer.latency_ms,
                         "settled": answer.settled, "stale": len(answer.stale), "current": answer.current,
                         "shown": [link.removeprefix(base) for link in answer.links[:3]],
                         "alone": [link.removeprefix(base) for link in expected[:3]]})
            if number % 25 == 0:
                print(f"    {number}/{len(cases)}", flush=True)
    finally:
        page.context.close()
    return {"loads": loads, "queries": rows}


def summary(entry: dict[str, Any]) -> dict[str, Any]:
    rows = entry["queries"]
    # Latency of a query that ended on no results at all says nothing about answering it.
    latencies = [r["latency_ms"] for r in rows if r["latency_ms"] is not None and r["shown"]]
    loads = [load["ms"] for load in entry["loads"] if load["ms"] is not None]
    return {
        "queries": len(rows),
        "top3": sum(1 for r in rows if r["rank"] is not None and r["rank"] <= 3),
        "top1": sum(1 for r in rows if r["rank"] == 1),
        "p50": percentile(latencies, 50), "p90": percentile(latencies, 90), "p99": percentile(latencies, 99),
        "max": max(latencies, default=None),
        "stale": sum(1 for r in rows if r["stale"]),
        "unsettled": sum(1 for r in rows if not r["settled"]),
        "errors": sum(1 for r in rows if r.get("error")),
        "lagging": sum(1 for r in rows if r.get("current") is False and r.get("alone")),
        "unanswered": sum(1 for r in rows if not r.get("alone")),
        "first_results_ms": statistics.median(loads) if loads else None,
    }


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} ms"


def table(results: dict[str, Any]) -> str:
    lines = ["| Set | Engine | Items | Queries | Top 3 | Top 1 | p50 | p90 | p99 | Max | Stale shown | "
             "Lagging at the end | No results alone | First results after load | Index | Per item | Index build | "
             "Site build |",
             "| --- " * 18 + "|"]
    for key in sorted(results["runs"], key=lambda k: (SETS.index(k.split("/")[0]), k)):
        run = results["runs"][key]
        s = summary(run)
        n = s["queries"] or 1
        lines.append(
            f"| {run['set']} | {run['engine']} | {run['items']:,} | {s['queries']} | "
            f"{s['top3']} ({100 * s['top3'] / n:.1f}%) | {s['top1']} ({100 * s['top1'] / n:.1f}%) | "
            f"{ms(s['p50'])} | {ms(s['p90'])} | {ms(s['p99'])} | {ms(s['max'])} | "
            f"{s['stale']} | {s['lagging']} | {s['unanswered']} | "
            f"{ms(s['first_results_ms'])} | {run['index_bytes'] / 1024:,.0f} KiB | "
            f"{run['index_bytes'] / run['items'] / 1024:.2f} KiB | {run['index_seconds']:.2f} s | "
            f"{run['build_seconds']:.1f} s |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--engines", nargs="+", choices=["playbook", "material-lunr"],
                        default=["playbook", "material-lunr"])
    parser.add_argument("--baseline", help="the revision with mkdocs-material's search (default: the newest one "
                        "on HEAD's first-parent history)")
    parser.add_argument("--sample", type=int, help="queries per set, spread evenly (default: all; 100 and 150 for "
                        "the synthetic sets)")
    parser.add_argument("--tree", type=Path, default=REPO, help="the checkout whose own search is measured "
                        "(default: this one)")
    parser.add_argument("--baseline-sample", type=int, help="at most this many queries per set for the baseline, "
                        "whose large-site queries take seconds each")
    parser.add_argument("--workdir", type=Path, help="keep the built sites here (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="keep sites the same trees built before in --workdir")
    parser.add_argument("--report", action="store_true", help="only print the table of the results file")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="JSON file the runs are added to, by set and engine")
    args = parser.parse_args()
    if args.report:
        print(table(json.loads(args.results.read_text(encoding="utf-8"))))
        return

    work = args.workdir or Path(tempfile.mkdtemp(prefix="search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    trees = []
    if "playbook" in args.engines:
        revision = current_revision() if args.tree == REPO else f"the working tree of {args.tree}"
        trees.append(Tree(HOOKS, args.tree.resolve(), revision, timed_modules="playbook.site.search"))
    if "material-lunr" in args.engines:
        revision = args.baseline or baseline_revision()
        short = git("rev-parse", "--short", revision)
        trees.append(Tree(MATERIAL, export_tree(revision, work / f"tree-{short}"), short,
                          timed_plugins="search,material/search"))
    results = json.loads(args.results.read_text()) if args.results.exists() else {"runs": {}}
    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    results["machine"] = (f"{os.cpu_count()} CPUs ({platform.machine()}, {platform.system()}), "
                          f"Python {platform.python_version()}, {chromium}")

    with sync_playwright() as runner:
        browser = runner.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name in args.sets:
            data = data_root(name, work)
            playbook, _problems, _count = check(data)
            every = queries(playbook)
            items = len({(q.kind, q.item) for q in every})
            sample = args.sample or DEFAULT_SAMPLE.get(name)
            cases = spread(every, sample) if sample else every
            for tree in trees:
                limit = args.baseline_sample if tree.engine is MATERIAL else None
                these = spread(cases, limit) if limit else cases
                print(f"{name} / {tree.engine.name}: building {items} items", flush=True)
                built = build(tree, data, work / f"{name}-{tree.engine.name}", args.reuse)
                print(f"  built in {built.build_seconds:.1f} s; index {built.index_bytes:,} bytes in "
                      f"{built.index_files[:3]}; {len(these)} queries", flush=True)
                with served(built.site) as base:
                    measured = measure(browser, tree.engine, base, these)
                key = f"{name}/{tree.engine.name}"
                results["runs"][key] = {
                    "set": name, "engine": tree.engine.name, "revision": tree.revision, "items": items,
                    "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                    "build_seconds": built.build_seconds, "index_seconds": built.index_seconds,
                    "index_bytes": built.index_bytes, "index_files": built.index_files, **measured,
                }
                print(f"  {summary(results['runs'][key])}", flush=True)
                args.results.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
        browser.close()
    print(table(results))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
