"""Packaging hook: copies the shipped example playbook into the wheel, for ``playbook init``.

The example lives once, at the top of this repository, where it is built and tested as the default
playbook; an editable install reads it there, and a built wheel carries this copy as ``playbook/example``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
EXAMPLE = [
    "mkdocs.yml", "docs", "macros", "framework", "patterns", "policies", "pilots", "usecases",
    ".github/PULL_REQUEST_TEMPLATE.md", ".github/CODEOWNERS", ".pre-commit-config.yaml",
]
"""What ``playbook init`` takes from the shipped playbook; an entry missing from the tree is skipped."""


class BuildWithExample(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # the editable install reads the example from this repository
        target = Path(self.build_lib) / "playbook" / "example"
        shutil.rmtree(target, ignore_errors=True)
        for name in EXAMPLE:
            source = HERE / name
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithExample})
