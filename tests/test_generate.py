"""``playbook generate``: the docs tree it writes, what it refuses to overwrite, and the macros module without the
plugin (under mkdocs-macros alone, and as Zensical's built-in macros call it). The engines' builds of the tree are
in tests/test_engines.py."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

import warm
from playbook.cli.main import ENGINE_NAMES, main
from playbook.data.problems import PlaybookError
from playbook.site import build as site_build
from playbook.site.build import ENGINES
from playbook.site.config import read_config, write_config
from playbook.site.pagemacros import loaded_playbook
from playbook.site.tree import MARKER
from sitebuild import REPO, assemble

FIXTURES = REPO / "tests" / "fixtures" / "valid"


def generate(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return warm.playbook("generate", "--root", str(root), str(out), cwd=root).completed()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assemble(FIXTURES / "small", tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def tree(small: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "tree"
    result = generate(small, out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote ") and f"and mkdocs.yml to {out}\n" in result.stdout
    return out


def front(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    return dict(yaml.safe_load(text.split("---\n", 2)[1]))


def test_hand_written_pages_have_their_macros_expanded(small: Path, tree: Path) -> None:
    standards = (tree / "docs" / "standards.md").read_text(encoding="utf-8")
    assert "{{" not in standards and "pattern_catalog" not in standards
    playbook = loaded_playbook(small)
    for pattern in playbook.patterns.values():
        assert f"patterns/{pattern.id}/" in standards or f"patterns/{pattern.id}.md" in standards, pattern.id
    # The front matter stays as it was written.
    assert front(tree / "docs" / "standards.md") == front(small / "docs" / "standards.md")
    assessment = (tree / "docs" / "assessment.md").read_text(encoding="utf-8")
    assert "{{" not in assessment and 'class="pb-result' in assessment


def test_item_pages_assets_index_and_exports_are_written(small: Path, tree: Path) -> None:
    playbook = loaded_playbook(small)
    docs = tree / "docs"
    for pattern_id in playbook.patterns:
        meta = front(docs / "patterns" / f"{pattern_id}.md")
        assert meta["edit_url"] == f"https://git.example.com/ai-governance/playbook/edit/main/patterns/{pattern_id}.yml"
    for policy_id in playbook.policies:
        assert (docs / "policies" / f"{policy_id}.md").is_file()
    for name in ("messages.js", "search.js", "assess.js", "playbook.css", "theme-search.css"):
        assert (docs / "assets" / "playbook" / name).is_file(), name
    assert "window.playbookMessages" in (docs / "assets" / "playbook" / "messages.js").read_text(encoding="utf-8")
    assert (docs / "search" / "playbook-index.json").is_file()
    assert (docs / "playbook.json").is_file() and (docs / "exports" / "patterns.csv").is_file()
    assert (tree / "overrides" / "partials" / "playbook-search.html").is_file()
    assert (tree / MARKER).is_file()


def test_the_tree_config_keeps_the_site_and_drops_our_plugins(small: Path, tree: Path) -> None:
    ours = read_config(small / "mkdocs.yml")
    config = yaml.safe_load((tree / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == ours["site_name"] and config["nav"][0] == ours["nav"][0]
    assert config["plugins"] == ["tags", {"search": {"enabled": False}}]
    assert config["docs_dir"] == "docs" and config["theme"]["custom_dir"] == "overrides"
    assert config["edit_uri"] == "edit/main/docs/"
    assert config["extra_javascript"][0] == "assets/playbook/messages.js"
    rollout = next(entry["Rollout"] for entry in config["nav"] if isinstance(entry, dict) and "Rollout" in entry)
    steps = [s.id for s in loaded_playbook(small).roadmap.steps]  # type: ignore[union-attr]
    assert rollout[:1 + len(steps)] == ["rollout/index.md", *(f"rollout/{s}.md" for s in steps)]
    box = config["extra"]["playbook_search"]
    assert box["words"]["label"] == "Search the playbook" and box["index"] == "search/playbook-index.json"


def test_a_dutch_tree_speaks_dutch(tmp_path: Path) -> None:
    root = assemble(FIXTURES / "nl", tmp_path / "nl")
    result = generate(root, tmp_path / "tree")
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load((tmp_path / "tree" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["language"] == "nl"
    assert config["extra"]["playbook_search"]["words"]["label"] == "Zoeken in het playbook"
    assert (tmp_path / "tree" / "docs" / "assets" / "playbook" / "vendor" / "stemmers" / "nl.js").is_file()
    messages = (tmp_path / "tree" / "docs" / "assets" / "playbook" / "messages.js").read_text(encoding="utf-8")
    assert '"language": "nl"' in messages


def test_generate_refuses_a_folder_it_did_not_write(small: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me", encoding="utf-8")
    result = generate(small, folder)
    assert result.returncode == 1
    assert result.stderr == (f"error: {folder} is not empty and was not written by playbook generate (it has no "
                             f"{MARKER}); nothing was written: choose a new or empty folder\n")
    assert [p.name for p in folder.iterdir()] == ["mine.txt"]


@pytest.mark.parametrize(("where", "says"), [
    (".", "holds the playbook itself"),
    ("docs/generated", "is inside docs/, which the site is built from"),
    ("patterns/x", "is inside patterns/, which the site is built from"),
])
def test_generate_never_writes_over_the_playbook(small: Path, where: str, says: str) -> None:
    before = sorted(p.relative_to(small).as_posix() for p in small.rglob("*"))
    result = generate(small, small / where)
    assert result.returncode == 1 and says in result.stderr, result.stderr
    assert sorted(p.relative_to(small).as_posix() for p in small.rglob("*")) == before


def test_generate_replaces_its_own_earlier_tree(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "tree"
    assert generate(small, out).returncode == 0
    (out / "docs" / "stale.md").write_text("# From an earlier run\n", encoding="utf-8")
    (out / ".cache").mkdir()
    result = generate(small, out)
    assert result.returncode == 0, result.stderr
    assert not (out / "docs" / "stale.md").exists()
    assert (out / ".cache").is_dir(), "an engine's hidden cache beside the tree is kept"
    assert (out / "docs" / "standards.md").is_file()


def test_build_with_a_missing_engine_says_how_to_install_it(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site_build.shutil, "which", lambda *_args, **_kwargs: None)
    result = CliRunner().invoke(main, ["build", "--engine", "zensical", "--root", str(small)])
    assert result.exit_code == 1
    assert result.output == (
        'error: zensical is not installed; install it with: pip install "ai-governance-playbook[zensical]" '
        '(or pip install "zensical==0.0.73" in a virtualenv of its own, with its bin/ on PATH)\n'
    )
    assert not (small / "site").exists()


def test_the_engines_the_command_offers_are_pinned_in_the_extras() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert list(ENGINES) == ENGINE_NAMES
    for engine in ENGINES.values():
        pins = [*project["dependencies"], *project["optional-dependencies"].get(engine.name, [])]
        for requirement in engine.requirements:
            name, version = requirement.split("==")
            if name == "mkdocs":  # the engine's own range, which the pinned 1.6.1 must satisfy
                assert "mkdocs>=1.6,<2" in pins and version.startswith("1.6.")
            else:
                assert requirement in pins, f"{requirement} is not pinned in pyproject.toml"


def test_mkdocs_yml_tags_and_inherit_survive_the_rewrite(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("site_name: Base\ntheme:\n  name: material\n  language: en\n",
                                       encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "INHERIT: base.yml\ntheme:\n  language: nl\nsite_url: !ENV [SITE_URL, 'https://example.org/']\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8")
    config = read_config(tmp_path / "mkdocs.yml")
    assert config["site_name"] == "Base" and config["theme"] == {"name": "material", "language": "nl"}
    written = write_config(config)
    assert "site_url: !ENV\n- SITE_URL\n- https://example.org/\n" in written
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji" in written


def test_the_macros_run_under_mkdocs_macros_without_the_plugin(tmp_path: Path) -> None:
    """mkdocs-macros alone (no playbook plugin): the module loads the playbook itself."""
    small = assemble(FIXTURES / "small", tmp_path / "pb")
    config = read_config(small / "mkdocs.yml")
    config["plugins"] = [{"macros": {"modules": ["playbook.macros"], "on_undefined": "strict",
                                     "on_error_fail": True}}]
    config.pop("nav")
    # The threshold table links to the tier sections of the risk tiers page, which this page is not.
    config["strict"] = False
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Counts\n\n{{ count('patterns') }} patterns.\n\n{{ threshold_table() }}\n",
                                   encoding="utf-8")
    config["docs_dir"] = str(docs)
    (small / "alone.yml").write_text(write_config(config), encoding="utf-8")
    result = warm.mkdocs("build", "--config-file", small / "alone.yml", "--site-dir", tmp_path / "site", cwd=small,
                         env={"NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    count = len(loaded_playbook(small).patterns)
    assert f"{count} patterns." in page.select_one("article").get_text()
    assert page.select_one("article table") is not None


def test_the_tree_for_zensical_writes_html_links_from_each_page_file(small: Path, tree: Path,
                                                                    tmp_path: Path) -> None:
    """Zensical reads every relative link of a page's HTML from the page's file, MkDocs from its address: the links
    of the catalog (standards.md, built at standards/) and of a use case's lists differ by one folder."""
    out = tmp_path / "tree"
    result = warm.playbook("generate", "--root", small, "--engine", "zensical", out, cwd=small).completed()
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(f"build it with: cd {out} && zensical build --strict\n")
    assert "# For Zensical:" in (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "# For MkDocs and ProperDocs:" in (tree / "mkdocs.yml").read_text(encoding="utf-8")
    playbook = loaded_playbook(small)
    pattern = next(iter(playbook.patterns))
    for_zensical = (out / "docs" / "standards.md").read_text(encoding="utf-8")
    for_mkdocs = (tree / "docs" / "standards.md").read_text(encoding="utf-8")
    assert f'href="patterns/{pattern}/"' in for_zensical and f'href="../patterns/{pattern}/"' not in for_zensical
    assert f'href="../patterns/{pattern}/"' in for_mkdocs
    case = next(iter(playbook.usecases))
    for_zensical = (out / "docs" / "usecases" / f"{case}.md").read_text(encoding="utf-8")
    for_mkdocs = (tree / "docs" / "usecases" / f"{case}.md").read_text(encoding="utf-8")
    assert 'href="../policies/' in for_zensical and 'href="../../policies/' not in for_zensical
    assert 'href="../../policies/' in for_mkdocs


def test_the_macros_run_as_zensical_calls_them(small: Path) -> None:
    """Zensical's built-in macros give define_env a plain configuration and a page with ``path`` and ``url``,
    once per page, and never load our plugin."""
    from playbook.macros import define_env

    macros: dict[str, object] = {}
    page = SimpleNamespace(path="assessment.md", url="assessment/", meta={})
    env = SimpleNamespace(conf={"theme": {"language": "nl"}, "use_directory_urls": True, "root_dir": str(small)},
                          project_dir=str(small), page=page,
                          macro=lambda function, name=None: macros.__setitem__(name or function.__name__, function))
    define_env(env)
    assert {"pattern_catalog", "assessment", "tier_table", "count", "printable"} <= set(macros)
    playbook = loaded_playbook(small)
    assert macros["count"]("patterns") == len(playbook.patterns)  # type: ignore[operator]
    form = str(macros["assessment"]())  # type: ignore[operator]
    pattern = next(iter(playbook.patterns))
    assert f'"url":"../patterns/{pattern}/"' in form
    define_env(env)
    assert loaded_playbook(small) is playbook, "the playbook is loaded once, not once per page"


def test_the_playbook_is_loaded_again_after_a_save(tmp_path: Path) -> None:
    root = assemble(FIXTURES / "small", tmp_path / "pb")
    first = loaded_playbook(root)
    assert loaded_playbook(root) is first
    pattern = next((root / "patterns").glob("*.yml"))
    text = pattern.read_text(encoding="utf-8")
    pattern.write_text(text.replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    second = loaded_playbook(root)
    assert second is not first and second.patterns[pattern.stem].title.startswith("Renamed ")
    pattern.write_text(text.replace("title: ", "title: [", 1), encoding="utf-8")
    with pytest.raises(PlaybookError) as raised:
        loaded_playbook(root)
    assert f"patterns/{pattern.name}:" in str(raised.value)


def test_generate_stops_on_a_broken_playbook_and_writes_nothing(tmp_path: Path) -> None:
    root = assemble(FIXTURES / "small", tmp_path / "pb")
    (root / "patterns" / "llm-gateway.yml").write_text("id: [unclosed\n", encoding="utf-8")
    result = generate(root, tmp_path / "tree")
    assert result.returncode == 1
    first, second, *_rest = result.stderr.splitlines()
    assert first == "error: the playbook has 1 error(s); fix them before the tree is generated"
    assert second.startswith("patterns/llm-gateway.yml:2:1: error: YAML syntax error") and "[yaml-syntax]" in second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pb"]


def test_the_organisations_own_macros_are_expanded_too(tmp_path: Path) -> None:
    """The playbook's own macros (``macros/``, mkdocs-macros' ``module_name``) run in generate, reading the same
    playbook through ``playbook_of``: a macro added there shows on the page that calls it."""
    root = assemble(FIXTURES / "small", tmp_path / "pb")
    own = root / "macros" / "__init__.py"
    own.write_text(own.read_text(encoding="utf-8") + (
        "\n\ndef _more(env):\n"
        "    @env.macro\n"
        "    def owner_list():\n"
        "        return ', '.join(sorted({p.owner for p in playbook_of(env).patterns.values()}))\n"
        "\n\n_shipped = define_env\n\n\n"
        "def define_env(env):\n"
        "    _shipped(env)\n"
        "    _more(env)\n"), encoding="utf-8")
    page = root / "docs" / "contributing.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOwners: {{ owner_list() }}.\n", encoding="utf-8")
    result = generate(root, tmp_path / "tree")
    assert result.returncode == 0, result.stderr
    patterns = loaded_playbook(root).patterns.values()
    owners = ", ".join(sorted({p.owner for p in patterns}))
    written = (tmp_path / "tree" / "docs" / "contributing.md").read_text(encoding="utf-8")
    assert f"Owners: {owners}." in written
    assert all(p.title in written for p in patterns)  # the shipped example, pattern_owners(), ran too
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ no_such_macro() }}\n", encoding="utf-8")
    result = generate(root, tmp_path / "tree")
    assert result.returncode == 1
    line = page.read_text(encoding="utf-8").splitlines().index("{{ no_such_macro() }}") + 1
    assert result.stderr == (f"error: docs/contributing.md:{line}: a macro failed: UndefinedError: "
                             "'no_such_macro' is undefined\n")


def test_a_plugin_build_loads_the_playbook_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the plugin in the build, the macros read its playbook instead of loading their own."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from playbook.check import validate

    root = assemble(FIXTURES / "small", tmp_path / "pb")
    loads: list[Path] = []
    real_load = validate.load

    def counted(where: Path | str, *rest):  # type: ignore[no-untyped-def]
        loads.append(Path(where))
        return real_load(where, *rest)

    monkeypatch.setattr(validate, "load", counted)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(config)
    assert len(loads) == 1, loads
    assert "{{" not in (tmp_path / "site" / "standards" / "index.html").read_text(encoding="utf-8")
