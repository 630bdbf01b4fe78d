"""``playbook init``: a new playbook repository holding only its data and pages; the engine stays installed.

The example content is the playbook this repository ships (copied into the wheel at build time, read
from the repository in an editable install), its own macros in ``macros/`` included; pages in other
languages and the repository's own files come from ``playbook/authoring/starter/``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path

import yaml

from playbook.authoring.scaffold_values import add_months
from playbook.data.kinds import COLLECTIONS, data_folders
from playbook.data.model.items import REVIEW_MONTHS
from playbook.data.problems import PlaybookError
from playbook.export.schemas import render_schemas

HERE = Path(__file__).resolve().parent
STARTER = HERE / "starter"
PACKAGE = HERE.parent
"""The installed ``playbook`` package."""
DISTRIBUTION = "ai-governance-playbook"
LANGUAGES = ("en", "nl", "de", "fr")
"""The languages ``init`` writes the hand-written pages and navigation in."""
DATA_DIRS = data_folders()
"""The example's data folders; one the example lacks is skipped."""
OWN_MACROS = "macros"
"""The folder of the organisation's own macros (mkdocs-macros' ``module_name``), beside the engine's."""
REPOSITORY_FILES = {
    "README.md": "README.md",
    "CONTRIBUTING.md": "CONTRIBUTING.md",
    "requirements.txt": "requirements.txt",
    "gitignore": ".gitignore",
    "github-workflow.yml": ".github/workflows/playbook.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
}
"""Files in ``starter/repository/`` by the path they get; package data keeps no dot-files, hence the renames."""
CODE_CHECKLIST = "### Code change"
"""Where the example's pull-request template turns to engine code, which a playbook repository has none of."""


def example_root() -> Path:
    """The shipped example playbook: inside the installed package, or this repository in an editable install."""
    packaged = PACKAGE / "example"
    if packaged.is_dir():
        return packaged
    repository = PACKAGE.parent
    if (repository / "mkdocs.yml").is_file() and (repository / "framework").is_dir():
        return repository
    raise PlaybookError(f"this installation of the engine ({PACKAGE}) holds no example playbook; reinstall it")


def engine_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.1.0"


def engine_requirement(installed_version: str, direct_url: str | None) -> str:
    """The line of requirements.txt that installs this very engine.

    ``direct_url`` is the installed package's ``direct_url.json`` (PEP 610): an engine installed from
    Git is pinned to the commit it was installed at; otherwise it is named by version, for an index.
    """
    info = json.loads(direct_url) if direct_url else {}
    vcs = info.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"{DISTRIBUTION} @ git+{info['url']}@{vcs['commit_id']}"
    return f"{DISTRIBUTION}=={installed_version}"


def _installed_requirement() -> str:
    try:
        direct_url = distribution(DISTRIBUTION).read_text("direct_url.json")
    except PackageNotFoundError:
        direct_url = None
    return engine_requirement(engine_version(), direct_url)


def plan(language: str = "en", blank: bool = False, today: dt.date | None = None) -> dict[str, str]:
    """Every file of the new repository, by path: built whole before anything is written."""
    if language not in LANGUAGES:
        raise PlaybookError(f"no pages in language '{language}'; choose one of {', '.join(LANGUAGES)}")
    example = example_root()
    files = {"mkdocs.yml": site_config((example / "mkdocs.yml").read_text(encoding="utf-8"), language)}
    # Each page in the language when it has been translated, in English until then.
    translated = _tree(STARTER / "docs" / language, "docs", "*.md")
    files.update({path: translated.get(path, text) for path, text in _tree(example / "docs", "docs", "*.md").items()})
    if blank:
        review_by = add_months(today or dt.date.today(), REVIEW_MONTHS).isoformat()
        files.update({path: text.replace("REVIEW_BY_DATE", review_by)
                      for path, text in _tree(STARTER / "blank", "", "*.yml").items()})
    else:
        for folder in DATA_DIRS:
            files.update(_tree(example / folder, folder, "*.yml"))
        files[".github/CODEOWNERS"] = (example / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    for folder in (kind.folder for kind in COLLECTIONS if kind.folder):
        if not any(path.startswith(f"{folder}/") for path in files):
            files[f"{folder}/.gitkeep"] = ""
    # The organisation's own macros: the example's, which the contributing page calls, to change or add to.
    files.update(_tree(example / OWN_MACROS, OWN_MACROS, "*.py"))
    files.update({f"schemas/{name}": text for name, text in render_schemas().items()})
    for name, path in REPOSITORY_FILES.items():
        text = (STARTER / "repository" / name).read_text(encoding="utf-8")
        files[path] = text.replace("@VERSION@", engine_version()).replace("@REQUIREMENT@", _installed_requirement())
    template = (example / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    files[".github/PULL_REQUEST_TEMPLATE.md"] = template.split(CODE_CHECKLIST)[0] + (
        "### Page or site change (`docs/`, `mkdocs.yml`)\n\n- [ ] `playbook build` succeeds (strict)\n"
    )
    files[".pre-commit-config.yaml"] = (example / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    return files


def _tree(folder: Path, prefix: str, pattern: str) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        f"{prefix}/{path.relative_to(folder).as_posix()}".lstrip("/"): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob(pattern))
    }


_SETTING = re.compile(r"^(?P<lead>\s*)(?P<key>site_name|site_description|name|language): (?P<value>.+)$")
_NAV_ENTRY = re.compile(r"^(?P<lead>\s*- )(?P<title>[^:]+):(?P<rest>.*)$")


def site_config(text: str, language: str) -> str:
    """The example's mkdocs.yml for a new repository: in ``language``, and with no repository address yet.

    The edit buttons need ``repo_url``; a placeholder address would send readers nowhere, so the three
    settings are left as comments to fill in.
    """
    words: dict[str, object] = {}
    if language != "en":
        words = yaml.safe_load((STARTER / "words" / f"{language}.yml").read_text(encoding="utf-8"))
    nav_titles = words.get("nav", {})
    assert isinstance(nav_titles, dict)

    lines = []
    in_nav = False
    for line in text.splitlines():
        if line.startswith(("repo_url:", "repo_name:", "edit_uri:")):
            line = f"# {line}"
        elif line.startswith("# Change these three to your repository"):
            line = "# Set these three to your repository: the header names it, and every page gets an edit button"
        elif line.startswith("# built from."):
            line = "# that opens its file."
        elif line.startswith("nav:"):
            in_nav = True
        elif in_nav and language != "en" and (entry := _NAV_ENTRY.match(line)):
            title = nav_titles.get(entry["title"].strip())
            if isinstance(title, str):  # a title not translated yet stays in English
                line = f"{entry['lead']}{json.dumps(title, ensure_ascii=False)}:{entry['rest']}"
        elif setting := _SETTING.match(line):
            key, value = setting["key"], setting["value"]
            # Palette toggles are looked up by their English name; ``name: material`` has none and stays.
            translated = words.get(value if key == "name" else key)
            if key == "language":
                value = language
            elif isinstance(translated, str):
                value = json.dumps(translated, ensure_ascii=False)
            line = f"{setting['lead']}{key}: {value}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def init_repository(target: Path, language: str = "en", blank: bool = False) -> dict[str, str]:
    """Write the new repository into ``target``, which must be new or empty; nothing is written otherwise."""
    if target.exists() and not target.is_dir():
        raise PlaybookError(f"{target} is a file; give a new or empty folder")
    if target.is_dir() and (entries := sorted(p.name for p in target.iterdir())):
        shown = ", ".join(entries[:5]) + (" ..." if len(entries) > 5 else "")
        raise PlaybookError(
            f"{target} is not empty (it holds {shown}); playbook init writes only into a new or empty folder, "
            "so it never replaces anyone's files"
        )
    files = plan(language, blank)
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return files
