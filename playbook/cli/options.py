"""What the commands of :mod:`playbook.cli` and :mod:`playbook.cli_new` share."""

from __future__ import annotations

import sys
from pathlib import Path

import click

root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    envvar="PLAYBOOK_ROOT",
    help="The playbook's folder (holding framework/, patterns/, policies/, pilots/).",
)


def asks(interactive: bool | None) -> bool:
    return sys.stdin.isatty() if interactive is None else interactive
