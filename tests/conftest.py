"""Fixtures shared by the site tests: the default playbook built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild import REPO, assemble, build


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own playbook, built strictly as `playbook build` does."""
    root = assemble(REPO, tmp_path_factory.mktemp("default"))
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "end of life" not in (result.stdout + result.stderr).lower()
    return root / "site"
