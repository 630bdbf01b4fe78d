"""What reading the playbook's git history adds to a build: what's new, its feed, the history lines and marks.

A synthetic playbook (``playbook synth``; 1,000 patterns and 2,000 policies by default) gets a git history of
dated commits (500 by default: edits, status moves, new and removed items, statement and threshold changes),
then the site is built, interleaved round by round, three ways:

- **off**: the playbook plugin's ``history: false``, what the build costs without history;
- **cold**: history read with no cache (``.cache/playbook/`` deleted first), every commit computed;
- **warm**: the cache of the build before, as a rebuild on CI with a kept cache or under ``playbook serve``.

Each figure is a ratio of medians within one run, so noise from other work mostly cancels. It also times
``read_history`` alone, in this process. Run ``.venv/bin/python benchmarks/history.py`` (``--quick`` for a smoke
run); the results go to ``benchmarks/history-results.md``. Target: what's new adds at most 20% to the build.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import PY, Sample, run, site_root  # noqa: E402 - the build benchmark's helpers

from playbook.authoring.synth import to_yaml  # noqa: E402
from playbook.history.cache import CACHE_FILE  # noqa: E402
from playbook.history.timeline import read_history  # noqa: E402

TARGET = 0.20
"""What's new may add at most this share to the build."""
START = 1_735_725_600
"""2025-01-01 10:00 UTC: the first commit's date; each later commit is a day after the one before."""
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
PLUGIN_LINE = "  - playbook\n"
HISTORY_OFF = "  - playbook:\n      history: false\n"


def git(root: Path, *args: str, when: int | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def read(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write(path: Path, data: dict[str, object]) -> None:
    path.write_text(to_yaml(data), encoding="utf-8")


class Changes:
    """Plausible commits to a synthetic playbook, each keeping it valid; one seed gives the same history."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.random = random.Random(seed)
        self.added_policies: list[str] = []
        self.serial = 0
        text = (root / "framework" / "risk-tiers.yml").read_text(encoding="utf-8")
        found = re.search(r"at_least: (\d+)\n", text)
        assert found is not None, "the synthetic risk tiers have no amount threshold"
        self.threshold = found[1]
        """The first amount threshold, which every 50th commit lowers by a tenth or puts back."""
        self.threshold_low = False

    def files(self, folder: str) -> list[Path]:
        return sorted((self.root / folder).glob("*.yml"))

    def pattern_with(self, status: str) -> Path | None:
        found = [p for p in self.files("patterns") if f"\nstatus: {status}\n" in p.read_text(encoding="utf-8")]
        return self.random.choice(found) if found else None

    def edit_patterns(self) -> str:
        for path in self.random.sample(self.files("patterns"), self.random.randint(1, 3)):
            data = read(path)
            data["summary"] = f"{data['summary']} Revised {self.serial}."
            write(path, data)
        return "Clarify pattern summaries"

    def move_pattern(self) -> str:
        trial = self.pattern_with("trial")
        if trial is not None and self.random.random() < 0.6:
            data = read(trial)
            data["status"] = "adopted"
            write(trial, data)
            return f"Adopt {data['id']}"
        adopted = self.pattern_with("adopted")
        successor = self.pattern_with("adopted")
        if adopted is None or successor is None or adopted == successor:
            return self.edit_patterns()
        data = read(adopted)
        data["status"] = "deprecated"
        data["superseded_by"] = successor.stem
        write(adopted, data)
        return f"Deprecate {data['id']} for {successor.stem}"

    def new_pattern(self) -> str:
        source = self.random.choice(self.files("patterns"))
        data = read(source)
        data["id"] = new_id = f"{source.stem[:50]}-v{self.serial}"
        data["title"] = f"{data['title']} (v{self.serial})"
        data["status"] = "trial"
        data.pop("superseded_by", None)
        write(self.root / "patterns" / f"{new_id}.yml", data)
        return f"Add {new_id}"

    def new_policy(self) -> str:
        source = self.random.choice(self.files("policies"))
        data = read(source)
        data["id"] = new_id = f"{source.stem[:50]}-v{self.serial}"
        data["title"] = f"{data['title']} (v{self.serial})"
        write(self.root / "policies" / f"{new_id}.yml", data)
        self.added_policies.append(new_id)
        return f"Add {new_id}"

    def restate_policy(self) -> str:
        path = self.random.choice(self.files("policies"))
        data = read(path)
        data["statement"] = f"{data['statement']}\n\nRestated in change {self.serial}."
        write(path, data)
        return f"Restate {path.stem}"

    def remove_policy(self) -> str:
        if not self.added_policies:
            return self.new_policy()
        removed = self.added_policies.pop(self.random.randrange(len(self.added_policies)))
        (self.root / "policies" / f"{removed}.yml").unlink()
        return f"Remove {removed}"

    def move_threshold(self) -> str:
        path = self.root / "framework" / "risk-tiers.yml"
        text = path.read_text(encoding="utf-8")
        high, low = f"at_least: {self.threshold}\n", f"at_least: {int(self.threshold) * 9 // 10}\n"
        old, new = (low, high) if self.threshold_low else (high, low)
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.threshold_low = not self.threshold_low
        return "Put the amount threshold back" if not self.threshold_low else "Lower an amount threshold by a tenth"

    def next(self) -> str:
        self.serial += 1
        if self.serial % 50 == 0:
            return self.move_threshold()
        actions = [(self.edit_patterns, 40), (self.move_pattern, 15), (self.new_pattern, 15), (self.new_policy, 10),
                   (self.restate_policy, 10), (self.remove_policy, 10)]
        action = self.random.choices([a for a, _ in actions], weights=[w for _, w in actions])[0]
        return action()


def make_history(root: Path, commits: int, seed: int) -> None:
    (root / ".gitignore").write_text("/.cache/\n/site*/\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The playbook", when=START)
    changes = Changes(root, seed)
    for n in range(1, commits):
        # The last commit puts a lowered threshold back: the worked examples keep the tiers synth gave them.
        if n < commits - 1:
            message = changes.next()
        else:
            message = changes.move_threshold() if changes.threshold_low else changes.edit_patterns()
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", message, when=START + n * 86_400)


def set_history(root: Path, on: bool) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(HISTORY_OFF, PLUGIN_LINE) if on else text.replace(PLUGIN_LINE, HISTORY_OFF)
    config.write_text(text, encoding="utf-8")


def build(root: Path, site: Path, logs: Path, name: str) -> tuple[float, float, float]:
    return run([PY, "-m", "playbook", "build", "--root", str(root), "--site-dir", str(site)], logs / f"{name}.log")


def in_process(root: Path) -> tuple[float, float, int]:
    """``read_history`` alone: seconds cold, seconds warm, and how many changes it lists."""
    shutil.rmtree(root / CACHE_FILE.parent, ignore_errors=True)
    started = time.perf_counter()
    history = read_history(root)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    read_history(root)
    warm = time.perf_counter() - started
    return cold, warm, len(history.entries())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patterns", type=int, default=1000)
    parser.add_argument("--policies", type=int, default=2000)
    parser.add_argument("--usecases", type=int, default=0)
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="100 patterns, 200 policies, 100 commits, one round")
    parser.add_argument("--workdir", type=Path, help="keep the playbook and logs here (a temporary folder otherwise)")
    parser.add_argument("--out", type=Path, default=HERE / "history-results.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.patterns, args.policies, args.commits, args.rounds = 100, 200, 100, 1
    work = args.workdir or Path(tempfile.mkdtemp(prefix="playbook-history-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)

    print(f"synthesising {args.patterns} patterns, {args.policies} policies, {args.usecases} use cases ...")
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    subprocess.run([PY, "-m", "playbook", "synth", "--patterns", str(args.patterns), "--policies", str(args.policies),
                    "--usecases", str(args.usecases), "--out", str(data), "--seed", str(args.seed)],
                   check=True, stdout=subprocess.DEVNULL)
    root = work / "playbook"
    shutil.rmtree(root, ignore_errors=True)
    site_root(data, root)
    print(f"making {args.commits} commits ...")
    started = time.perf_counter()
    make_history(root, args.commits, args.seed)
    print(f"  {time.perf_counter() - started:.0f} s; checking the last one ...")
    check = subprocess.run([PY, "-m", "playbook", "check", "--root", str(root)], capture_output=True, text=True)
    if check.returncode != 0:
        print(check.stdout[-3000:], check.stderr[-3000:])
        return 1
    items = sum(len(list((root / folder).glob("*.yml"))) for folder in ("patterns", "policies", "pilots", "usecases"))
    commits = int(git(root, "rev-list", "--count", "HEAD"))

    samples = {name: Sample() for name in ("off", "cold", "warm")}
    # A first build, not counted, brings the files and Python's caches into memory for every later one.
    set_history(root, True)
    build(root, work / "site-warmup", logs, "warmup")
    names = list(samples)
    for n in range(args.rounds):
        # Each round starts with another of the three, so that none is always the first after a pause.
        for name in names[n % 3:] + names[: n % 3]:
            set_history(root, name != "off")
            if name == "cold":
                shutil.rmtree(root / CACHE_FILE.parent, ignore_errors=True)
            seconds, cpu, rss = build(root, work / f"site-{name}", logs, f"{name}-{n}")
            samples[name].seconds.append(seconds)
            samples[name].cpu_seconds.append(cpu)
            samples[name].max_rss_mb.append(rss)
            print(f"  round {n + 1} {name}: {seconds:.1f} s wall, {cpu:.1f} s CPU")
    set_history(root, True)
    read_cold, read_warm, entries = in_process(root)
    feed = (work / "site-warm" / "feed.xml").stat().st_size
    page = (work / "site-warm" / "whats-new" / "index.html").stat().st_size

    off, cold, warm = samples["off"], samples["cold"], samples["warm"]
    rows = []
    for label, sample in (("cold cache", cold), ("warm cache", warm)):
        added, added_cpu = sample.median / off.median - 1, sample.cpu_median / off.cpu_median - 1
        rows.append(f"| What's new added to the build, {label} | {added:+.1%} | {added_cpu:+.1%} | "
                    f"{sample.median:.1f} s / {off.median:.1f} s | {'yes' if added <= TARGET else 'no'} | ≤ +20% |")
    report = "\n".join([
        f"# What's new: what history adds to the build ({time.strftime('%Y-%m-%d %H:%M')})",
        "",
        f"{items:,} items ({args.patterns:,} patterns, {args.policies:,} policies, {args.usecases:,} use cases), "
        f"{commits} commits; {args.rounds} interleaved round(s); medians. {os.cpu_count()} CPUs "
        f"({platform.machine()}, {platform.system()}), Python {platform.python_version()}.",
        "",
        "| Figure | Wall | CPU | Measured (wall medians) | Met | Target |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
        f"| `read_history` alone, cold / warm | {read_cold:.2f} s / {read_warm:.2f} s |  | in this process |  |"
        " report |",
        f"| Changes listed; what's new page; feed | {entries:,}; {page / 1024:.0f} KiB; {feed / 1024:.0f} KiB |  |"
        "  |  | report |",
        "",
        "Round by round (wall): " + "; ".join(
            f"{name} " + ", ".join(f"{s:.1f}" for s in sample.seconds) for name, sample in samples.items()),
        "",
    ])
    print()
    print(report)
    args.out.write_text(report, encoding="utf-8")
    print(f"written to {args.out}; the playbook and logs are in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
