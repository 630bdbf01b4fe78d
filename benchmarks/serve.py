"""The edit loop: from saving a YAML file to `playbook serve` answering with the change.

A benchmark, not a test. For each playbook (the shipped one, and a synthetic 100-pattern, 200-policy one) it
starts `playbook serve` on a free 127.0.0.1 port, then saves an edit again and again, taking turns between a
pattern's title and a policy's statement, and polls the served pages until they have it: the item's own page,
and the pages that list it (the pattern catalog or the policy index, the print page, the search index).
Each playbook is a git repository, as a real one is, so the history is read as it would be. On Linux it also reads
the CPU time the server used per edit (from /proc) and prints the load average before and after each playbook's
edits: on a shared machine the seconds vary with the other work, the CPU much less.

    .venv/bin/python benchmarks/serve.py                 # 8 edits per playbook
    .venv/bin/python benchmarks/serve.py --edits 4 --sizes shipped
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from bench import ENV, PY, site_root  # noqa: E402

from sitebuild import REPO, assemble  # noqa: E402

SYNTH = (100, 200)
"""Patterns and policies of the synthetic playbook: 300 items."""
LISTINGS = {
    "pattern": ("standards/", "print/", "search/playbook-index.json"),
    "policy": ("print/", "search/playbook-index.json"),
}
"""The pages that show the edited field of an item of each kind, besides its own page; each must show the edit too.
(The policy index lists titles, not statements.)"""
POLL = 0.02
"""Seconds between two looks at the served pages."""
PATIENCE = 120.0
"""Seconds to wait for one edit before giving up."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def git_repository(root: Path) -> None:
    """Make ``root`` a repository with one commit, so serve reads a history as it does on a real playbook."""
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True, "cwd": root}
    subprocess.run(["git", "init", "-q", "-b", "main"], **quiet)  # type: ignore[call-overload]
    subprocess.run(["git", "add", "-A"], **quiet)  # type: ignore[call-overload]
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit", "-q", "-m",
                    "playbook"], **quiet)  # type: ignore[call-overload]


def playbook(size: str, work: Path) -> Path:
    if size == "shipped":
        root = assemble(REPO, work / "shipped")
    else:
        data = work / "synth-data"
        subprocess.run([PY, "-m", "playbook", "synth", "--patterns", str(SYNTH[0]), "--policies", str(SYNTH[1]),
                        "--out", str(data)], check=True, env=ENV, stdout=subprocess.DEVNULL)
        root = site_root(data, work / "synth")
    git_repository(root)
    return root


@dataclass
class Edit:
    kind: str
    path: Path
    page: str
    """The item's own page."""

    def save(self, marker: str) -> None:
        """Put ``marker`` into the pattern's title or at the start of the policy's statement."""
        text = self.path.read_text(encoding="utf-8")
        if self.kind == "pattern":
            text = re.sub(r"^title: (?:zqedit\d+ )?", f"title: {marker} ", text, count=1, flags=re.M)
        else:
            text = re.sub(r"^(statement: (?:[|>]-?\n\s+)?)(?:zqedit\d+ )?", rf"\g<1>{marker} ", text, count=1,
                          flags=re.M)
        assert marker in text, self.path
        # Saved as most editors save: the whole new file, then renamed over the old one, so the server never
        # reads a file half written (an in-place write can be caught between its truncation and its text).
        temporary = self.path.with_name(f".{self.path.name}.saving")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.path)


@dataclass
class Timings:
    page: list[float] = field(default_factory=list)
    listings: list[float] = field(default_factory=list)
    """Until the last of the listing pages had the change."""
    cpu: list[float] = field(default_factory=list)
    """CPU seconds the server used from the save until the last page had the change (Linux only): what the edit cost
    it whatever else the machine was doing, its answers to this script's polling included."""


def tree_cpu(pid: int) -> float | None:
    """CPU seconds (user and system) used so far by process ``pid`` and every process under it (mkdocs runs under
    ``playbook serve``, git under mkdocs), read from /proc; None where there is none."""
    tick = os.sysconf("SC_CLK_TCK")
    total, stack = 0, [pid]
    try:
        while stack:
            current = stack.pop()
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            # utime, stime, and the children's that were waited for (cutime, cstime): fields 14 to 17.
            total += sum(int(value) for value in fields[11:15])
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(child) for child in (task / "children").read_text().split()]
    except (OSError, IndexError, ValueError):
        return None
    return total / tick


def edits(root: Path) -> list[Edit]:
    pattern = sorted((root / "patterns").glob("*.yml"))[0]
    policy = sorted((root / "policies").glob("*.yml"))[0]
    return [Edit("pattern", pattern, f"patterns/{pattern.stem}/"), Edit("policy", policy, f"policies/{policy.stem}/")]


def measure(root: Path, count: int, log: Path) -> tuple[Timings, float]:
    """Serve ``root``, save ``count`` edits, and time each; also the seconds the server took to come up."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    with log.open("w") as out:
        server = subprocess.Popen([PY, "-m", "playbook", "serve", "--root", str(root), "--dev-addr",
                                  f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT, env=ENV,
                                 start_new_session=True)
    try:
        kinds = edits(root)
        while kinds[0].page and not fetch(url + kinds[0].page):
            if server.poll() is not None or time.perf_counter() - started > PATIENCE:
                raise SystemExit(f"serve did not come up; see {log}")
            time.sleep(0.1)
        startup = time.perf_counter() - started
        time.sleep(1.5)  # let the watcher take its first look at the files
        timings = Timings()
        for n in range(count):
            edit = kinds[n % len(kinds)]
            marker = f"zqedit{n}"
            pages = [edit.page, *LISTINGS[edit.kind]]
            seen: dict[str, float] = {}
            cpu_before = tree_cpu(server.pid)
            saved = time.perf_counter()
            edit.save(marker)
            while len(seen) < len(pages):
                for page in pages:
                    if page not in seen and marker in fetch(url + page):
                        seen[page] = time.perf_counter() - saved
                if time.perf_counter() - saved > PATIENCE:
                    raise SystemExit(f"edit {n} ({edit.kind}) never showed on {set(pages) - set(seen)}; see {log}")
                time.sleep(POLL)
            cpu_after = tree_cpu(server.pid)
            timings.page.append(seen[edit.page])
            timings.listings.append(max(seen[page] for page in LISTINGS[edit.kind]))
            cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
            if cpu is not None:
                timings.cpu.append(cpu)
            print(f"  edit {n} ({edit.kind}): page {seen[edit.page]:.2f} s, "
                  + ", ".join(f"{page} {seen[page]:.2f}" for page in LISTINGS[edit.kind])
                  + (f"; server CPU {cpu:.2f} s" if cpu is not None else ""), flush=True)
            time.sleep(1.0)  # a pause between saves, as an author's
        return timings, startup
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=10, method="inclusive")[int(q * 10) - 1] if q < 1 else ordered[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", choices=["shipped", "300"], default=["shipped", "300"])
    parser.add_argument("--edits", type=int, default=8, help="saves per playbook (at least 6 for a p90)")
    parser.add_argument("--workdir", type=Path, help="keep the playbooks and logs here")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-serve-"))
    work.mkdir(parents=True, exist_ok=True)
    lines = [
        f"Edit loop ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores), seconds from saving the YAML:",
        "",
        "| Playbook | Serve up | Item page p50 / p90 | Listing pages p50 / p90 | Server CPU p50 / p90 | Edits | Load |",
        "| --- | --: | --: | --: | --: | --: | --: |",
    ]
    for size in args.sizes:
        root = playbook(size, work / size)
        print(f"serving {size} ...", flush=True)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        timings, startup = measure(root, args.edits, work / f"serve-{size}.log")
        loads = [value for value in (load, os.getloadavg()[0] if hasattr(os, "getloadavg") else None) if value]
        name = "shipped" if size == "shipped" else f"{SYNTH[0]} patterns + {SYNTH[1]} policies"
        cpu = (f"{statistics.median(timings.cpu):.2f} / {quantile(timings.cpu, 0.9):.2f}"
               if len(timings.cpu) == args.edits else "—")
        lines.append(f"| {name} | {startup:.1f} s | {statistics.median(timings.page):.2f} / "
                     f"{quantile(timings.page, 0.9):.2f} | {statistics.median(timings.listings):.2f} / "
                     f"{quantile(timings.listings, 0.9):.2f} | {cpu} | {args.edits} | "
                     f"{' to '.join(f'{value:.1f}' for value in loads) or '—'} |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
