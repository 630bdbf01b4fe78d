"""How the site build grows with the use-case register: 0, 1,000 and 10,000 synthetic use cases.

A benchmark, not a test: it builds each size strictly, as `playbook build` does, and reports the
wall and CPU time, the time per added use case (equal per-case times mean a linear build), the
register page's weight with its JSON, and what our register renderers cost in process.

    .venv/bin/python benchmarks/usecases.py               # 0, 1,000 and 10,000 use cases
    .venv/bin/python benchmarks/usecases.py --sizes 0 200 # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from bench import ENV, PY, run, site_root  # noqa: E402

from playbook.check.validate import check  # noqa: E402
from playbook.data.kinds import USECASE  # noqa: E402
from playbook.data.model.playbook import Playbook  # noqa: E402
from playbook.i18n import Messages  # noqa: E402
from playbook.register.metrics import register_metrics  # noqa: E402
from playbook.site.generated import page_renderers  # noqa: E402
from playbook.site.pages.metrics import metrics_page  # noqa: E402
from playbook.site.pages.register import register_files, register_page  # noqa: E402

PATTERNS, POLICIES = 100, 200
"""The playbook around the register: the synthetic default, so the use cases dominate the growth."""


def synth(out: Path, usecases: int, seed: int) -> Path:
    command = [PY, "-m", "playbook", "synth", "--patterns", str(PATTERNS), "--policies", str(POLICIES),
               "--usecases", str(usecases), "--out", str(out), "--seed", str(seed)]
    subprocess.run(command, check=True, env=ENV, stdout=subprocess.DEVNULL)
    return out


def timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def usecase_pages(playbook: Playbook, m: Messages) -> list[str | None]:
    """Every use-case page, as the build makes them: the kind's renderer, built once, and each case as published."""
    render = page_renderers(playbook, m)[USECASE]
    return [render(USECASE.public(case), n) for n, (_id, case) in enumerate(USECASE.pages(playbook), 1)]


def renderers(root: Path) -> dict[str, float]:
    """Seconds our register code takes in process, on the playbook the build loaded."""
    playbook, _problems, _count = check(root)
    m = Messages("en")
    return {
        "use-case pages": timed(lambda: usecase_pages(playbook, m)),
        "register.json": timed(lambda: register_files(playbook, m)),
        "register page": timed(lambda: register_page(playbook, m, lambda uri: uri)),
        "metrics": timed(lambda: metrics_page(playbook, register_metrics(playbook), m)),
    }


def kib(size: int) -> str:
    return f"{size / 1024:,.1f} KiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1_000, 10_000], help="use-case counts to build")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="keep the playbooks and sites here (default: a temporary folder)")
    parser.add_argument("--out", type=Path, default=HERE / "usecases-results.md", help="where to write the table")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-usecases-"))
    rows = []
    for size in args.sizes:
        data = synth(work / f"data-{size}", size, args.seed)
        root = site_root(data, work / f"root-{size}")
        print(f"building {size:,} use cases ...", flush=True)
        command = [PY, "-m", "playbook", "build", "--root", str(root)]
        wall, cpu, peak = run(command, work / f"build-{size}.log", cwd=root)
        site = root / "site"
        page = (site / "usecases" / "index.html").read_bytes() if size else b""
        data_file = (site / "usecases" / "register.json").read_bytes()
        pages = len(list((site / "usecases").glob("*/index.html")))
        rows.append({"size": size, "wall": wall, "cpu": cpu, "peak": peak, "pages": pages,
                     "page": len(page), "page_gz": len(gzip.compress(page)), "json": len(data_file),
                     "json_gz": len(gzip.compress(data_file)),
                     "metrics": (site / "metrics" / "index.html").stat().st_size,
                     "renderers": renderers(root)})
        print(f"  {wall:.1f} s wall, {cpu:.1f} s CPU, {peak:.0f} MB peak, {pages:,} use-case pages", flush=True)
        if args.workdir is None:
            shutil.rmtree(root / "site", ignore_errors=True)
    base = rows[0]
    lines = [
        f"# Use-case register: build time by size ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"{platform.machine()}, Python {platform.python_version()}, synthetic playbook of {PATTERNS} patterns and "
        f"{POLICIES} policies plus the use cases; one build per size, strict, as `playbook build`.",
        "",
        "| Use cases | Build (wall) | Build (CPU) | Added per use case (wall / CPU) | Peak memory | Register page "
        "(gzip) | register.json (gzip) | Metrics page | Our renderers in process |",
        "| --: | --: | --: | --: | --: | --: | --: | --: | --: |",
    ]
    for row in rows:
        added = "—"
        if row is not base:
            extra = (row["size"] - base["size"]) / 1000
            added = f"{(row['wall'] - base['wall']) / extra:.1f} ms / {(row['cpu'] - base['cpu']) / extra:.1f} ms"
        ours = sum(row["renderers"].values())
        lines.append(
            f"| {row['size']:,} | {row['wall']:.1f} s | {row['cpu']:.1f} s | {added} | {row['peak']:.0f} MB | "
            f"{kib(row['page'])} ({kib(row['page_gz'])}) | {kib(row['json'])} ({kib(row['json_gz'])}) | "
            f"{kib(row['metrics'])} | {ours:.2f} s |"
        )
    lines += ["", "In process, per renderer (seconds):", ""]
    lines += [f"- {row['size']:,} use cases: " + ", ".join(f"{k} {v:.2f}" for k, v in row["renderers"].items())
              for row in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
