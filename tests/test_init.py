"""`playbook init` writes a playbook repository that checks and builds at once, and refuses to overwrite."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from test_own_macros import owner_list

import warm
from playbook.authoring.init import engine_requirement
from sitebuild import REPO, Initialised, build

STARTER = REPO / "playbook" / "authoring" / "starter"

LANGUAGES = ["nl", "de", "fr"]


def playbook(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return warm.playbook(*args, cwd=cwd).completed()


def init(tmp_path: Path, *args: str) -> Path:
    target = tmp_path / "our-playbook"
    result = playbook("init", str(target), *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"to {target}" in result.stdout
    return target


def strict_check(root: Path) -> str:
    result = playbook("check", "--strict", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def built_site(root: Path) -> Path:
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_init_writes_the_example_playbook_that_checks_and_builds(tmp_path: Path) -> None:
    root = init(tmp_path)
    data_files = len(list(root.glob("*/*.yml")))
    assert data_files == len(list(REPO.glob("*/*.yml")))  # every kind of the example, use cases too
    assert strict_check(root).endswith(f"0 errors, 0 warnings in {data_files} files\n")
    site = built_site(root)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in home
    assert "LLM gateway" in (site / "patterns" / "llm-gateway" / "index.html").read_text(encoding="utf-8")
    learnings = sorted(p.stem for p in (REPO / "learnings").glob("*.yml"))
    assert learnings and sorted(p.stem for p in (root / "learnings").glob("*.yml")) == learnings
    for learning in learnings:
        assert (site / "learnings" / learning / "index.html").is_file(), learning
    assert "Report a learning" in (site / "learnings" / "index.html").read_text(encoding="utf-8")
    # The example is this repository's shipped playbook, byte for byte.
    for rel in ("docs/index.md", "patterns/llm-gateway.yml", "framework/risk-tiers.yml", "pilots/finance.yml",
                "macros/__init__.py"):
        assert (root / rel).read_bytes() == (REPO / rel).read_bytes(), rel
    # The playbook's own macros work in the new repository: the contributing page lists the pattern owners.
    platform_team = owner_list(site)["AI Platform team (central AI team)"]
    assert ("LLM gateway with cost controls", "../patterns/llm-gateway/") in platform_team
    for rel in ("README.md", "CONTRIBUTING.md", ".github/workflows/playbook.yml", ".gitlab-ci.yml",
                ".github/PULL_REQUEST_TEMPLATE.md", ".gitignore", "schemas/pattern.schema.json",
                "schemas/export.schema.json"):
        assert (root / rel).is_file(), rel


def test_the_new_repository_holds_no_engine_code_and_pins_the_engine(tmp_path: Path) -> None:
    root = init(tmp_path)
    # The only Python is the organisation's own macros, which import the engine's; none of the engine is copied.
    assert [p.relative_to(root).as_posix() for p in root.rglob("*.py")] == ["macros/__init__.py"]
    own = (root / "macros" / "__init__.py").read_text(encoding="utf-8")
    assert "from playbook.macros import docs_base, playbook_of" in own
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    macros = next(p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p)
    assert macros["modules"] == ["playbook.macros"]
    assert macros["module_name"] == "macros"
    # No placeholder address: the edit buttons wait for the real repository.
    assert "repo_url" not in config and "repo_name" not in config
    assert "# repo_url:" in (root / "mkdocs.yml").read_text(encoding="utf-8")
    pins = [line for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    # An editable install has no Git commit to pin: the engine is named by its version.
    assert pins == [f"ai-governance-playbook=={version('ai-governance-playbook')}"]
    workflow = yaml.safe_load((root / ".github" / "workflows" / "playbook.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in workflow["jobs"]["check-and-build"]["steps"]]
    assert "pip install -r requirements.txt" in steps
    assert "playbook check --strict --format github" in steps
    assert "playbook build" in steps
    template = (root / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "### New or changed pattern" in template
    assert "pytest" not in template  # the engine's code checklist stays with the engine


def test_an_engine_installed_from_git_is_pinned_to_its_commit() -> None:
    direct_url = json.dumps({
        "url": "https://git.example.org/ai/playbook-engine.git",
        "vcs_info": {"vcs": "git", "requested_revision": "v0.2.0", "commit_id": "0123abc" * 5 + "01234"},
    })
    assert engine_requirement("0.2.0", direct_url) == (
        f"ai-governance-playbook @ git+https://git.example.org/ai/playbook-engine.git@{'0123abc' * 5}01234"
    )
    wheel = json.dumps({"url": "file:///tmp/ai_governance_playbook-0.2.0-py3-none-any.whl", "archive_info": {}})
    assert engine_requirement("0.2.0", wheel) == "ai-governance-playbook==0.2.0"
    assert engine_requirement("0.2.0", None) == "ai-governance-playbook==0.2.0"


def test_init_blank_is_a_skeleton_that_passes_strict_check_and_builds(tmp_path: Path) -> None:
    root = init(tmp_path, "--blank")
    assert strict_check(root).endswith("0 errors, 0 warnings in 5 files\n")
    assert sorted(p.name for p in (root / "patterns").glob("*.yml")) == ["approved-ai-platform.yml"]
    assert not list((root / "pilots").glob("*.yml"))
    for path in [*root.glob("framework/*.yml"), *root.glob("patterns/*.yml"), *root.glob("policies/*.yml")]:
        text = path.read_text(encoding="utf-8")
        # Guidance is in comments, where strict check does not see it; no value is a TODO.
        for line in text.splitlines():
            assert "TODO" not in line.split("#")[0], f"{path}: {line}"
    assert "# TODO:" in (root / "framework" / "risk-tiers.yml").read_text(encoding="utf-8")
    review_by = yaml.safe_load((root / "patterns" / "approved-ai-platform.yml").read_text(encoding="utf-8"))
    assert str(review_by["review_by"]) > "2026"
    # Built from the folder above, as `playbook build --root our-playbook`: a relative root works too.
    built = playbook("build", "--root", root.name, cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    standards = root / "site" / "standards" / "index.html"
    assert "Build on the approved AI platform" in standards.read_text(encoding="utf-8")
    assert [title for patterns in owner_list(root / "site").values() for title, _href in patterns] == [
        "Build on the approved AI platform"]
    # Learnings start empty: the folder is there, and its page says there are none and what a learning needs.
    assert [p.name for p in (root / "learnings").iterdir()] == [".gitkeep"]
    learnings = (root / "site" / "learnings" / "index.html").read_text(encoding="utf-8")
    assert "No learning is recorded yet." in learnings
    assert "add one first with playbook new pilot TEAM" in learnings


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.md").write_text("mine\n", encoding="utf-8")
    result = playbook("init", str(target), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {target} is not empty (it holds notes.md); playbook init writes only into a new or empty "
        "folder, so it never replaces anyone's files\n"
    )
    assert [p.name for p in target.iterdir()] == ["notes.md"]
    assert (target / "notes.md").read_text(encoding="utf-8") == "mine\n"


def test_init_refuses_a_file_and_an_unknown_language(tmp_path: Path) -> None:
    file = tmp_path / "file.txt"
    file.write_text("x", encoding="utf-8")
    result = playbook("init", str(file), cwd=tmp_path)
    assert result.returncode == 1
    assert "is a file" in result.stderr
    result = playbook("init", str(tmp_path / "new"), "--language", "xx", cwd=tmp_path)
    assert result.returncode == 2
    assert "'xx' is not one of 'en', 'nl', 'de', 'fr'" in result.stderr
    assert not (tmp_path / "new").exists()


def test_every_page_is_translated_into_every_language() -> None:
    english = sorted(p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md"))
    macro_call = re.compile(r"\{\{.*?\}\}")
    for language in LANGUAGES:
        folder = STARTER / "docs" / language
        translated_pages = {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")}
        assert not set(english) - translated_pages, f"pages not translated into {language}"
        config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
        words = yaml.safe_load((STARTER / "words" / f"{language}.yml").read_text("utf-8"))
        nav = yaml.safe_load(config)["nav"]
        assert not set(nav_titles(nav)) - set(words["nav"]), f"navigation titles not translated into {language}"
        for rel in english:
            original = (REPO / "docs" / rel).read_text(encoding="utf-8")
            translated = (folder / rel).read_text(encoding="utf-8")
            # The same macros in the same order; the words around them are another language's.
            assert macro_call.findall(translated) == macro_call.findall(original), f"{language}/{rel}"
            if rel != "tags.md":  # "Tags" is Dutch too
                assert heading(translated) != heading(original), f"{language}/{rel}"


def nav_titles(entries: list[object]) -> list[str]:
    titles = []
    for entry in entries:
        if isinstance(entry, dict):
            for title, value in entry.items():
                titles.append(title)
                if isinstance(value, list):
                    titles.extend(nav_titles(value))
    return titles


def heading(page: str) -> str:
    body = page.split("\n---\n", 1)[1]
    found = re.search(r"^# (.+)$", body, re.MULTILINE)
    assert found is not None
    return found[1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_init_language_builds_the_site_in_that_language(initialised: Callable[[str], Initialised],
                                                       language: str) -> None:
    made = initialised(language)
    root = made.root
    assert f"to {root}" in made.output
    strict_check(root)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["language"] == language
    words = yaml.safe_load((STARTER / "words" / f"{language}.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == words["site_name"]
    site = root / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}"' in home
    for english in nav_titles(yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]):
        translated = words["nav"][english]
        if english != translated:
            assert f">{english}<" not in home.replace("&amp;", "&"), english
        assert translated in home.replace("&#39;", "'"), translated
    assert "LLM gateway with cost controls" in str(owner_list(site))


def _content_text(root: Path) -> str:
    """Everything the new playbook's own files say: its YAML and its pages, which stay as written."""
    files = [*root.glob("*/*.yml"), *root.glob("docs/**/*.md")]
    return " ".join(" ".join(path.read_text(encoding="utf-8").split()) for path in files)


@pytest.mark.parametrize("language", LANGUAGES)
def test_init_in_a_language_shows_no_english_label_of_ours(tmp_path: Path, language: str) -> None:
    from test_i18n import english_fragments, labels_on

    root = init(tmp_path, "--blank", "--language", language)
    content = _content_text(root)
    # A fragment the playbook's own text holds (the skeleton's English TODO guidance, a command such as
    # `playbook new policy`) is content, not a label of ours.
    fragments = {
        text: key for text, key in english_fragments(language).items()
        if not re.search(r"(?<!\w)" + re.escape(text) + r"(?!\w)", content)
    }
    assert len(fragments) > 100
    assert labels_on(built_site(root), fragments) == {}
