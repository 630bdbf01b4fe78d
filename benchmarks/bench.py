"""Build performance at scale: our strict build against plain mkdocs-material (the floor) and an all-in-nav site.

Every figure is a ratio of medians taken in one run on one machine, so noise from other work mostly cancels.
Run ``.venv/bin/python benchmarks/bench.py`` (``--quick`` for a smoke run); benchmarks/README.md explains the figures.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO / "tests"))

from sitebuild import assemble  # noqa: E402 - the tests' helper, so the bench builds what the site tests build

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
PY = sys.executable

PARSE_ONLY = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
files = sorted(root.glob("framework/*.yml"))
for folder in ("patterns", "policies", "pilots"):
    files += sorted((root / folder).glob("*.yml"))
for path in files:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
"""The baseline for `playbook check`: PyYAML's C loader over the same files, nothing else."""


@dataclass
class Sample:
    """Every timed run of one command."""

    seconds: list[float] = field(default_factory=list)
    """Wall-clock time of each run."""
    cpu_seconds: list[float] = field(default_factory=list)
    """User plus system CPU time of each run, children included: steadier than wall time on a shared machine."""
    max_rss_mb: list[float] = field(default_factory=list)
    """Peak resident memory of each run, over the process and the children it waited for."""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)


class BenchError(Exception):
    pass


def run(
    command: list[str], log: Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident memory (MB) of ``command`` and every process it waited for."""
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env or ENV)
        # wait4's rusage covers the child and the children it reaped: the mkdocs process under `playbook build`.
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise BenchError(f"{' '.join(command)} failed with exit code {process.returncode}:\n{tail}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def synth(out: Path, patterns: int, policies: int, seed: int) -> Path:
    subprocess.run(
        [
            PY,
            "-m",
            "playbook",
            "synth",
            "--patterns",
            str(patterns),
            "--policies",
            str(policies),
            "--out",
            str(out),
            "--seed",
            str(seed),
        ],
        check=True,
        env=ENV,
        stdout=subprocess.DEVNULL,
    )
    return out


def site_root(data: Path, target: Path) -> Path:
    """The repository's site sources plus ``data``; a stub home page if docs/index.md is not written yet."""
    root = assemble(data, target)
    index = root / "docs" / "index.md"
    if not index.exists():
        index.write_text("# AI Governance Playbook\n", encoding="utf-8")
    return root


def capture(root: Path, out: Path, work: Path) -> dict[str, list[str]]:
    """Build ``root`` once with capture_hook.py, saving each page's final Markdown and each generated file."""
    config = root / "mkdocs-capture.yml"
    config.write_text(
        f"INHERIT: mkdocs.yml\nhooks:\n  - {json.dumps(str(HERE / 'capture_hook.py'))}\n", encoding="utf-8"
    )
    env = {**ENV, "BENCH_CAPTURE_DIR": str(out)}
    run(
        [PY, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(work / "capture-site")],
        work / "capture.log",
        cwd=root,
        env=env,
    )
    shutil.rmtree(work / "capture-site", ignore_errors=True)
    manifest: dict[str, list[str]] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return manifest


def floor_config(root: Path, floor: Path, manifest: dict[str, list[str]], kind: str) -> Path:
    """mkdocs.yml for the captured pages: the site's theme, Markdown extensions and nav; no plugins.

    ``site``: every page of the site, the generated ones out of the navigation (not_in_nav).
    ``items``: only the generated item pages and a one-line home page, the navigation holding just that page;
    their links into the hand-written pages then lead nowhere, so link checks only log (``info``).
    ``naive``: every page of the site, every generated page listed in the navigation.
    ``frozen``: as ``site``, with the collector freeze the playbook plugin makes (``freeze_hook.py``).
    """
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    # No plugins at all, search included: our build has no theme search either (the playbook plugin
    # writes its own index, and that cost counts on our side), so the floor is the theme alone.
    config["plugins"] = []
    config["docs_dir"] = str(floor / "docs")
    config["extra_css"] = manifest["extra_css"]
    config["extra_javascript"] = manifest["extra_javascript"]
    generated = manifest["generated_pages"]
    folders = sorted({posixpath_dir(uri) for uri in generated})
    if kind == "naive":
        for folder in folders:
            config["nav"].append(
                {f"All {folder or 'pages'}": [uri for uri in generated if posixpath_dir(uri) == folder]}
            )
    else:
        lines = [f"/{folder}/*.md" for folder in folders if folder]
        lines += [f"/{uri}" for uri in generated if not posixpath_dir(uri)]
        config["not_in_nav"] = "\n".join(lines)
    if kind == "frozen":
        config["hooks"] = [str(HERE / "freeze_hook.py")]
    if kind == "items":
        docs = floor / "docs-items"
        shutil.rmtree(docs, ignore_errors=True)
        for uri in [*generated, *manifest["extra_css"], *manifest["extra_javascript"]]:
            (docs / uri).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(floor / "docs" / uri, docs / uri)
        (docs / "index.md").write_text("# AI Governance Playbook\n", encoding="utf-8")
        config["docs_dir"] = str(docs)
        config["nav"] = ["index.md"]
        config["validation"] = {
            "omitted_files": "warn",
            "not_found": "info",
            "absolute_links": "info",
            "unrecognized_links": "info",
            "anchors": "info",
        }
    path = floor / f"mkdocs-{kind}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def plain_floor(data: Path, floor: Path, language: str = "en") -> Path:
    """mkdocs.yml of the plain floor: plain Material, one page per pattern and per policy holding the item's fields
    as plain Markdown (a heading per field, lists as lists), none in the navigation, Material's own search on.

    A searchable plain site of the same items, with none of our pages, macros or Markdown extensions: what any
    site of these items costs at the least.
    """
    docs = floor / "docs-plain"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Playbook\n", encoding="utf-8")
    for folder in ("patterns", "policies"):
        (docs / folder).mkdir()
        for path in sorted((data / folder).glob("*.yml")):
            fields = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
            lines = [f"# {fields.get('title', path.stem)}", ""]
            for name, value in fields.items():
                if name == "title":
                    continue
                lines += [f"## {name}", "", *plain_value(value), ""]
            (docs / folder / f"{path.stem}.md").write_text("\n".join(lines), encoding="utf-8")
    config = {
        "site_name": "Playbook",
        "docs_dir": str(docs),
        "theme": {"name": "material", "language": language},
        "plugins": ["search"],
        "nav": ["index.md"],
        "not_in_nav": "/patterns/*.md\n/policies/*.md",
    }
    path = floor / "mkdocs-plain.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def plain_value(value: object) -> list[str]:
    """A field's value as plain Markdown lines: text as a paragraph, a list as a bulleted list, a mapping's entries
    as ``key: value`` bullets."""
    if isinstance(value, list):
        return [f"- {plain_item(item)}" for item in value]
    if isinstance(value, dict):
        return [f"- {key}: {plain_item(item)}" for key, item in value.items()]
    return [str(value)]


def plain_item(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return " ".join(str(value).split())


def print_page_seconds(config: Path, page: Path, repeat: int) -> float:
    """CPU seconds Python-Markdown takes over one captured page, with the site's Markdown extensions."""
    import markdown
    from mkdocs.config import load_config

    text = page.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    loaded = load_config(str(config))
    times = []
    for _ in range(max(repeat, 1)):
        converter = markdown.Markdown(extensions=loaded.markdown_extensions, extension_configs=loaded.mdx_configs)
        started = time.process_time()
        converter.convert(text)
        times.append(time.process_time() - started)
    return statistics.median(times)


def say(text: str) -> None:
    """Progress, on stderr: stdout carries only the results table."""
    print(text, file=sys.stderr, flush=True)


def posixpath_dir(uri: str) -> str:
    return uri.rpartition("/")[0]


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-patterns", type=int, default=1000)
    parser.add_argument("--large-policies", type=int, default=2000)
    parser.add_argument(
        "--small-patterns",
        type=int,
        default=100,
        help="the small playbook for the scaling figure; its policies are in the large one's proportion",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds; each figure is a median over them")
    parser.add_argument(
        "--naive-repeat",
        type=int,
        default=1,
        help="rounds that also build the all-in-nav site (slow: every page carries every item)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-small", action="store_true", help="skip the small playbook, check and the C loader")
    parser.add_argument("--quick", action="store_true", help="smoke run: 200/400 and 20 patterns, one round")
    parser.add_argument("--workdir", type=Path, help="keep playbooks and sites here (default: a temporary folder)")
    parser.add_argument("--results", type=Path, default=HERE / "results.md", help="where to write the table")
    args = parser.parse_args(argv)
    if args.quick:
        args.large_patterns, args.large_policies, args.small_patterns, args.repeat = 200, 400, 20, 1
    small_policies = round(args.small_patterns * args.large_policies / args.large_patterns)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="playbook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for name in ("large", "small", "floor", "out"):
        shutil.rmtree(work / name, ignore_errors=True)
    try:
        return bench(args, work, small_policies)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


def bench(args: argparse.Namespace, work: Path, small_policies: int) -> int:
    say(f"work folder: {work}")
    # An installed package has its bytecode; with PYTHONDONTWRITEBYTECODE set (as on CI machines) ours
    # would be compiled again by every timed command, while PyYAML and mkdocs were compiled at install.
    compileall.compile_dir(REPO / "playbook", quiet=1)
    large_data = synth(work / "large" / "data", args.large_patterns, args.large_policies, args.seed)
    small_data = synth(work / "small" / "data", args.small_patterns, small_policies, args.seed)
    large = site_root(large_data, work / "large" / "site")
    small = site_root(small_data, work / "small" / "site")

    say("capturing the final Markdown of every page (one untimed build of each size, also a warm-up)")
    floor = work / "floor"
    manifest = capture(large, floor, work)
    small_manifest = capture(small, work / "small" / "floor", work)
    floor_yml = floor_config(large, floor, manifest, "site")
    frozen_yml = floor_config(large, floor, manifest, "frozen")
    items_yml = floor_config(large, floor, manifest, "items")
    naive_yml = floor_config(large, floor, manifest, "naive")
    plain_yml = plain_floor(large_data, floor)
    small_floor_yml = floor_config(small, work / "small" / "floor", small_manifest, "site")
    items = len(manifest["generated_pages"])
    small_items = len(small_manifest["generated_pages"])

    out = work / "out"
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    samples: dict[str, Sample] = {}

    def timed(name: str, command: list[str], cwd: Path | None = None) -> None:
        seconds, cpu, rss = run(command, logs / f"{name}.log", cwd=cwd)
        sample = samples.setdefault(name, Sample())
        sample.seconds.append(seconds)
        sample.cpu_seconds.append(cpu)
        sample.max_rss_mb.append(rss)
        say(f"  {name:<14} {seconds:7.2f} s wall {cpu:7.2f} s CPU {rss:6.0f} MB")

    def build(root: Path, name: str) -> list[str]:
        return [PY, "-m", "playbook", "build", "--root", str(root), "--site-dir", str(out / name)]

    def mkdocs(config: Path, name: str) -> list[str]:
        return [PY, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out / name)]

    # Interleaved rounds: a slow minute on the machine lands on every variant, not on one.
    for round_ in range(args.repeat):
        say(f"round {round_ + 1} of {args.repeat}")
        timed("ours-large", build(large, "ours-large"), cwd=large)
        timed("floor-large", mkdocs(floor_yml, "floor-large"), cwd=floor)
        timed("plain-floor", mkdocs(plain_yml, "plain-floor"), cwd=floor)
        timed("frozen-floor", mkdocs(frozen_yml, "frozen-floor"), cwd=floor)
        timed("items-floor", mkdocs(items_yml, "items-floor"), cwd=floor)
        if not args.no_small:
            timed("ours-small", build(small, "ours-small"), cwd=small)
            timed("check-large", [PY, "-m", "playbook", "check", "--root", str(large)])
            timed("yaml-large", [PY, "-c", PARSE_ONLY, str(large)])
        if round_ < args.naive_repeat:
            timed("naive-large", mkdocs(naive_yml, "naive-large"), cwd=floor)
            shutil.rmtree(out / "naive-large")  # gigabytes: every page carries the whole navigation

    # After the timed runs: importing mkdocs here would swell the process every command is forked from.
    say("timing the print page's Markdown alone")
    print_seconds = {
        "large": print_page_seconds(floor_yml, floor / "docs" / "print.md", args.repeat),
        "small": print_page_seconds(small_floor_yml, work / "small" / "floor" / "docs" / "print.md", args.repeat),
    }
    sizes = Sizes(
        items=items,
        small_items=small_items,
        small_policies=small_policies,
        index_bytes=(out / "ours-large" / "search" / "playbook-index.json").stat().st_size,
        print_bytes=(out / "ours-large" / "print" / "index.html").stat().st_size,
        print_seconds=print_seconds,
    )
    text = report(args, samples, sizes)
    print(text)
    args.results.write_text(text, encoding="utf-8")
    say(f"wrote {args.results}")
    return 0


@dataclass
class Sizes:
    """What the report needs besides the timings."""

    items: int
    """Generated pages of the large playbook: patterns, policies and rollout steps."""
    small_items: int
    """Generated pages of the small playbook."""
    small_policies: int
    index_bytes: int
    """Size of the large site's search index (``search/playbook-index.json``)."""
    print_bytes: int
    """Size of the large site's print page."""
    print_seconds: dict[str, float]
    """CPU seconds Python-Markdown takes over the print page, large and small."""


def report(args: argparse.Namespace, samples: dict[str, Sample], sizes: Sizes) -> str:
    """The results as Markdown: the figures against their targets, then every run."""

    def versus(a: str, b: str, limit: float | None, unit: str = "x") -> tuple[str, str, str, str]:
        if a not in samples or b not in samples:
            return "not run", "", "", ""
        wall = ratio(samples[a].median, samples[b].median)
        cpu = ratio(samples[a].cpu_median, samples[b].cpu_median)
        met = "" if limit is None else ("yes" if wall <= limit else "no")
        return (f"{wall:.2f}{unit}", f"{cpu:.2f}{unit}", f"{samples[a].median:.1f} s / {samples[b].median:.1f} s", met)

    def rounds(a: str, b: str) -> str:
        """Each round's own ratio: both runs of a round met the same spell of a busy machine."""
        if a not in samples or b not in samples:
            return "not run"
        return ", ".join(f"{x / y:.2f}" for x, y in zip(samples[a].seconds, samples[b].seconds, strict=False))

    peak = max(samples["ours-large"].max_rss_mb)
    per_item = {
        size: sizes.print_seconds[size] / n * 1000 for size, n in (("large", sizes.items), ("small", sizes.small_items))
    }
    floor_cpu = samples["floor-large"].cpu_median
    rows = [
        ("Large build / plain floor (plain Material, an item's fields a page, its search)",
         *versus("ours-large", "plain-floor", 2.0), "≤ 2.0x"),
        ("Large build / floor (whole site)", *versus("ours-large", "floor-large", 1.15), "≤ 1.15x"),
        ("Large build / floor with the plugin's collector freeze", *versus("ours-large", "frozen-floor", None),
         "report"),
        ("Large build / floor (item pages only)", *versus("ours-large", "items-floor", None), "report"),
        ("Large build / naive (every item in the nav)", *versus("ours-large", "naive-large", None), "report"),
        (
            f"Scaling: {args.large_patterns} / {args.small_patterns} patterns",
            *versus("ours-large", "ours-small", 11, ""),
            "≤ 11",
        ),
        ("`playbook check` / PyYAML C loader alone", *versus("check-large", "yaml-large", 2), "≤ 2x"),
        (
            "Peak memory of the large build",
            f"{peak:.0f} MB",
            "",
            "largest RSS of `playbook build` and its mkdocs",
            "yes" if peak < 500 else "no",
            "< 500 MB",
        ),
        (
            "Search index per item",
            f"{sizes.index_bytes / sizes.items / 1024:.1f} KiB",
            "",
            f"{sizes.index_bytes / 1024 / 1024:.1f} MiB / {sizes.items} pages (plus tiers and hand-written pages)",
            "",
            "report",
        ),
        (
            "Print page Markdown, per item, large / small",
            "",
            f"{ratio(per_item['large'], per_item['small']):.2f}",
            f"{per_item['large']:.2f} ms / {per_item['small']:.2f} ms; {sizes.print_seconds['large']:.1f} s in all, "
            f"{100 * ratio(sizes.print_seconds['large'], floor_cpu):.0f}% of the floor's CPU",
            "",
            "report (1.0 is linear)",
        ),
    ]
    table = [
        "| Figure | Result (wall) | Result (CPU) | Measured (wall medians) | Met | Target |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    detail = [
        "| Run | Median wall s | Median CPU s | Wall runs (s) | Peak RSS (MB) |",
        "| --- | --- | --- | --- | --- |",
    ]
    detail += [
        f"| {name} | {s.median:.2f} | {s.cpu_median:.2f} | {', '.join(f'{x:.2f}' for x in s.seconds)} "
        f"| {max(s.max_rss_mb):.0f} |"
        for name, s in samples.items()
    ]
    versions = {name: _version(name) for name in ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "Markdown")}
    machine = (
        f"{len(os.sched_getaffinity(0))} CPUs (nproc), {platform.machine()}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
    )
    naive_runs = len(samples["naive-large"].seconds) if "naive-large" in samples else 0
    return "\n".join(
        [
            f"# Benchmark results ({time.strftime('%Y-%m-%d %H:%M')})",
            "",
            f"Large playbook: {args.large_patterns} patterns, {args.large_policies} policies "
            f"({sizes.items} generated pages); small: {args.small_patterns} patterns, {sizes.small_policies} "
            f"policies ({sizes.small_items} pages). Medians of {args.repeat} interleaved round(s); the naive site "
            f"was built {naive_runs} time(s). Targets are checked on wall time; the CPU column (user + system time "
            "of the process tree) is steadier on a shared machine.",
            "",
            *table,
            "",
            f"Round by round (wall): build / plain floor {rounds('ours-large', 'plain-floor')}; "
            f"build / floor {rounds('ours-large', 'floor-large')}; "
            f"`playbook check` / C loader {rounds('check-large', 'yaml-large')}.",
            "",
            f"Machine: {machine}.",
            f"Print page (every item on one page): {sizes.print_bytes / 1024 / 1024:.1f} MiB of HTML.",
            "",
            *detail,
            "",
            f"Command: `{' '.join(['.venv/bin/python', 'benchmarks/bench.py', *sys.argv[1:]])}`",
            "",
        ]
    )


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
