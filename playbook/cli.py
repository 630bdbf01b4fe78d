"""The ``playbook`` command: check, build, serve, assess, new, report, diff, export, synth."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .problems import PlaybookError, Problem, summary
from .validate import check as check_playbook

root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    envvar="PLAYBOOK_ROOT",
    help="The playbook's folder (holding framework/, patterns/, policies/, pilots/).",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format."
)


class PlaybookGroup(click.Group):
    """Turns the package's own errors into a message and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except PlaybookError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=PlaybookGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ai-governance-playbook", prog_name="playbook")
def main() -> None:
    """Build and check an AI governance playbook kept as YAML.

    Run commands from the playbook's folder, or point at it with --root.
    """


def print_problems(problems: list[Problem], files: int, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], indent=2))
        return
    for problem in problems:
        click.echo(str(problem))
    click.echo(summary(problems, files))


@main.command()
@root_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@format_option
def check(root: Path, strict: bool, fmt: str) -> None:
    """Validate every playbook file and the references between them.

    Prints one line per problem as path:line:col: severity: message [code], then a
    count. Exits 0 when there are no errors (warnings allowed unless --strict), 1 otherwise.
    """
    if not root.is_dir():
        raise click.BadParameter(f"{root} is not a folder", param_hint="--root")
    _playbook, problems, files = check_playbook(root)
    if strict:
        problems = [Problem(p.path, p.line, p.column, "error", p.code, p.message) for p in problems]
    print_problems(problems, files, fmt)
    if any(p.severity == "error" for p in problems):
        sys.exit(1)


@main.command()
@root_option
def schemas(root: Path) -> None:
    """Regenerate the JSON Schemas in schemas/ from the model."""
    from .schemas import write_schemas

    written = write_schemas(root / "schemas")
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{len(written)} schema(s) changed")
