"""Run the engines: a strict build that replaces site/ only on success (mkdocs with the plugin, or another engine
on a generated tree), and serve."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from playbook.data.problems import PlaybookError
from playbook.site.config import config_path, refuse_source_target, swap_in

QUIET_MATERIAL = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
"""Material's end-of-life notice off, so build output stays clean."""


def mkdocs_env() -> dict[str, str]:
    """The environment for another engine's process: this one's, with :data:`QUIET_MATERIAL`."""
    return {**os.environ, **QUIET_MATERIAL}


@dataclass(frozen=True)
class Engine:
    """A static site engine that reads mkdocs.yml and builds the tree ``playbook generate`` writes."""

    name: str
    requirements: tuple[str, ...]
    """What a virtualenv needs to build a generated tree with it alone: the engine, and the theme where the engine
    has none of its own. The engine's pin is also the ``ai-governance-playbook[<name>]`` extra."""
    home: str
    links_from_source: bool = False
    """Whether the engine reads every relative link of a page's HTML from the page's source file (Zensical), where
    MkDocs leaves it as written, from the page's address: the tree ``playbook generate`` writes for it differs."""

    def install_hint(self) -> str:
        pins = " ".join(f'"{r}"' for r in self.requirements)
        return (f"install it with: pip install \"ai-governance-playbook[{self.name}]\" (or pip install {pins} "
                f"in a virtualenv of its own, with its bin/ on PATH)")


ENGINES = {
    engine.name: engine
    for engine in (
        Engine("mkdocs", ("mkdocs==1.6.1", "mkdocs-material==9.8.1"), "https://www.mkdocs.org/"),
        Engine("properdocs", ("properdocs==1.6.7", "mkdocs-material==9.8.1"), "https://properdocs.org/"),
        Engine("zensical", ("zensical==0.0.73",), "https://zensical.org/", links_from_source=True),
    )
}
"""The engines ``playbook build --engine`` drives and the tests build the generated tree with, at the versions
tested. mkdocs is the default and runs the playbook plugin itself; the others build a generated tree."""


def find_engine(name: str) -> str:
    """The engine's command: on PATH, else beside this Python (a virtualenv that was not activated)."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        raise PlaybookError(f"{name} is not installed; {ENGINES[name].install_hint()}")
    return found


def build_site(root: Path, site_dir: Path | None = None, quiet: bool = False, engine: str = "mkdocs") -> Path:
    """Build strictly into a fresh folder, then swap it in: a failed build leaves the old site as it was.

    With mkdocs the playbook plugin builds the site; another engine builds a generated tree, without our plugin.
    """
    config = config_path(root)
    target = (site_dir or root / "site").resolve()
    refuse_source_target(root, target, "site")
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine != "mkdocs":
        return _build_tree(config, target, ENGINES[engine], quiet)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        built = _mkdocs_build(config, staging, root, quiet)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not built:
        shutil.rmtree(staging, ignore_errors=True)
        raise PlaybookError(f"the site was not built; {target} is unchanged")
    swap_in(staging, target)
    return target


def _mkdocs_build(config: Path, site_dir: Path, cwd: Path, quiet: bool) -> bool:
    """``mkdocs build --strict`` in this process, as its command line runs it: the same output, the same outcome.

    Another Python would import mkdocs, the theme and the playbook again: a third of a small playbook's build.
    What mkdocs' command line sets for its own process (its log handler, the warnings' filters) is put back after.
    """
    from click import ClickException
    from mkdocs.__main__ import cli
    from mkdocs.commands import build as mkdocs_build

    arguments = ["build", "--strict", "--config-file", str(config), "--site-dir", str(site_dir)]
    held = io.StringIO()
    log_filters = list(mkdocs_build.log.filters)
    with contextlib.ExitStack() as stack:
        stack.enter_context(warnings.catch_warnings())
        stack.enter_context(contextlib.chdir(cwd))
        if quiet:
            stack.enter_context(contextlib.redirect_stdout(held))
            stack.enter_context(contextlib.redirect_stderr(held))
        try:
            # Not standalone, click returns the code of a command that exits early instead of raising.
            built = cli.main(arguments, prog_name="mkdocs", standalone_mode=False) in (None, 0)
        except ClickException as error:
            error.show()
            built = False
        except SystemExit as stop:
            # mkdocs-macros stops a build whose macro failed (on_error_fail) with exit code 100: it failed.
            if isinstance(stop.code, str):
                print(stop.code, file=sys.stderr)
            built = False
        finally:
            mkdocs_build.log.filters[:] = log_filters
    if quiet:
        _show_held(held.getvalue(), built)
    return built


def _show_held(output: str, built: bool) -> None:
    """Quiet, a build's output is shown only when it failed, or for its lines above INFO: mkdocs' own ``--quiet``
    stops counting warnings, so ``--strict`` would let a broken link through."""
    if not built:
        sys.stderr.write(output)
    else:
        sys.stderr.writelines(line for line in output.splitlines(keepends=True)
                              if line.startswith(("WARNING", "ERROR")))


def _run(command: list[str], cwd: Path, quiet: bool) -> bool:
    """Run another engine's build; True when it succeeded. Quiet, its output is held as mkdocs' is."""
    if not quiet:
        return subprocess.run(command, env=mkdocs_env(), cwd=cwd).returncode == 0
    result = subprocess.run(command, env=mkdocs_env(), cwd=cwd, capture_output=True, text=True)
    _show_held(result.stdout + result.stderr, result.returncode == 0)
    return result.returncode == 0


def _build_tree(config: Path, target: Path, engine: Engine, quiet: bool) -> Path:
    """Generate the tree beside the target, build it with ``engine`` (strictly), and swap its site in."""
    # Only a generated tree needs the page renderers up front; mkdocs' build loads them through the plugin.
    from playbook.site.tree import write_tree

    executable = find_engine(engine.name)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-tree-", dir=target.parent))
    try:
        tree = write_tree(config, work, engine.links_from_source)
        command = [executable, "build", "--strict", "--config-file", str(tree.config_file)]
        if not _run(command, work, quiet) or not (work / "site" / "index.html").is_file():
            raise PlaybookError(f"{engine.name} did not build the site; {target} is unchanged")
        swap_in(work / "site", target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def serve_site(root: Path, address: str, open_browser: bool = False) -> int:
    """Serve with live reload; the playbook plugin also watches the data folders.

    ``mkdocs serve --dirty`` runs in this process, as its command line runs it: a rebuild renders only the pages
    that changed, as the plugin marks them. In a second Python, a ``playbook serve`` stopped by a signal other than
    Ctrl-C (a process manager's, an editor's stop button) left that Python serving, holding the address.
    """
    from click import ClickException
    from mkdocs.__main__ import cli

    arguments = ["serve", "--dirty", "--config-file", str(config_path(root)), "--dev-addr", address]
    if open_browser:
        arguments.append("--open")
    os.environ.update(QUIET_MATERIAL)
    with contextlib.chdir(root):
        try:
            code = cli.main(arguments, prog_name="mkdocs", standalone_mode=False)
        except ClickException as error:
            error.show()
            return 1
        except KeyboardInterrupt:
            return 0
    return code if isinstance(code, int) else 0
