"""Where a value came from: a file, and the line and column of each value in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Loc = tuple[str | int, ...]
"""A path into a YAML document: keys and list indexes."""


Positions = dict[Loc, tuple[int, int]]
"""The 1-based line and column of each value (or key) by its path."""


@dataclass
class Source:
    """Where a value came from: a file and the 1-based line and column of each value."""

    path: str
    """Path relative to the playbook root, with forward slashes."""
    positions: Positions = field(default_factory=dict)
    """Position of the value at each key path."""
    key_positions: Positions = field(default_factory=dict)
    """Position of the key naming each mapping entry."""
    locate: Callable[[], tuple[Positions, Positions]] | None = field(default=None, repr=False, compare=False)
    """Finds ``positions`` and ``key_positions`` when first asked. Only files with a problem need
    them, and recording them for every file took a third of the memory of ``playbook check``."""

    def at(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """The position of ``loc``, or of its nearest ancestor that has one."""
        if self.locate is not None:
            self.positions, self.key_positions = self.locate()
            self.locate = None
        table = self.key_positions if key else self.positions
        while loc:
            if loc in table:
                return table[loc]
            if not key and loc in self.key_positions:
                return self.key_positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))
