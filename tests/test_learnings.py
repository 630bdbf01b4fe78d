"""Learnings: `playbook new learning`, each learning's page and the list of them, what teams learned on the
pages of the patterns and policies a learning names, and the data the proposing forms embed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner, Result

from playbook.check.validate import check
from playbook.cli.main import main
from playbook.data.kinds import LEARNING, RESERVED_IDS
from playbook.data.model.items import ID_MAX_LENGTH, ID_MIN_LENGTH, ID_PATTERN
from playbook.data.model.learning import Learning
from playbook.data.model.playbook import Playbook
from playbook.i18n import Messages
from playbook.site.pages.propose import URL_LIMIT, branch_and_prefix, editor, learning_form, pattern_form
from sitebuild import REPO, assemble, build

SMALL = REPO / "tests" / "fixtures" / "valid" / "small"
SHIPPED, _PROBLEMS, _COUNT = check(REPO)


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"playbook {' '.join(args)} crashed:\n{result.output}") from result.exception
    return result


def soup_of(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for permalink in soup.select("a.headerlink"):
        permalink.decompose()
    return soup


def article(path: Path) -> Tag:
    found = soup_of(path).select_one("article")
    assert found is not None
    return found


def text(element: Tag | None) -> str:
    assert element is not None
    return " ".join(element.get_text(" ").split())


def resolves(site: Path, page: Path, href: str) -> Path:
    """The file a relative link on ``page`` opens in the built site."""
    target = (page.parent / urlsplit(href).path).resolve()
    return target / "index.html" if target.is_dir() else target


# playbook new learning ------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "pb"
    shutil.copytree(SMALL, root)
    return root


def test_new_learning_writes_an_open_learning_that_check_takes_with_its_todos(small: Path) -> None:
    result = run("new", "learning", "gateway-timeouts", "--root", str(small), "--team", "claims-team",
                 "--title", "Gateway timeouts", "--pattern", "llm-gateway", "--date", "2025-03-01",
                 "--no-interactive")
    assert result.exit_code == 0, result.output
    path = small / "learnings" / "gateway-timeouts.yml"
    assert result.output.splitlines()[0] == f"created {path}"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (data["id"], data["team"], data["status"], data["patterns"], data["date"]) == (
        "gateway-timeouts", "claims-team", "open", ["llm-gateway"], dt.date(2025, 3, 1))
    assert data["what_changed"] is None
    _playbook, problems, _count = check(small)
    assert [(p.path, p.code, p.field) for p in problems] == [
        ("learnings/gateway-timeouts.yml", "todo", "what_happened"),
        ("learnings/gateway-timeouts.yml", "todo", "impact"),
    ]


def test_new_learning_asks_for_the_title_and_team_in_a_terminal(small: Path) -> None:
    result = CliRunner().invoke(main, ["new", "learning", "gateway-retries", "--root", str(small), "--interactive"],
                                input="Gateway retries\nclaim-team\nclaims-team\n")
    assert result.exit_code == 0, result.output
    assert "Error: 'claim-team' is not 'claims-team'." in result.output  # click's words for a single choice
    data = yaml.safe_load((small / "learnings" / "gateway-retries.yml").read_text(encoding="utf-8"))
    assert (data["title"], data["team"]) == ("Gateway retries", "claims-team")


@pytest.mark.parametrize(("args", "message"), [
    (["triage-missed-new-claim-types", "--team", "claims-team"],
     "error: learnings/triage-missed-new-claim-types.yml already exists; edit it, or choose another id"),
    (["index", "--team", "claims-team"],
     "error: learning id 'index' is taken: its page would be learnings/index.md, the section's own page; "
     "choose another id"),
    (["Gateway_Timeouts", "--team", "claims-team"],
     "error: 'Gateway_Timeouts' is not a valid learning id (did you mean 'gateway-timeouts'?); use 2 to 64 "
     "lower-case letters, digits and single hyphens, such as 'llm-gateway'"),
    (["gateway-timeouts", "--team", "claim-team"], "error: unknown team 'claim-team' (did you mean 'claims-team'?)"),
    (["gateway-timeouts"], "error: a learning belongs to a team; pass --team TEAM (teams, from pilots/: claims-team)"),
    (["gateway-timeouts", "--team", "claims-team", "--pattern", "llm-gatway"],
     "error: unknown pattern 'llm-gatway' (did you mean 'llm-gateway'?)"),
])
def test_new_learning_refuses_and_writes_nothing(small: Path, args: list[str], message: str) -> None:
    before = sorted(p.name for p in (small / "learnings").iterdir())
    result = run("new", "learning", *args, "--root", str(small), "--no-interactive")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message]
    assert sorted(p.name for p in (small / "learnings").iterdir()) == before


# The pages ------------------------------------------------------------------------------------


def test_each_shipped_learning_has_its_page_with_what_happened_its_impact_and_what_changed(default_site: Path) -> None:
    assert len(SHIPPED.learnings) >= 4
    m = Messages("en")
    for learning in SHIPPED.learnings.values():
        page = default_site / "learnings" / learning.id / "index.html"
        body = article(page)
        assert text(body.find("h1")) == learning.title
        summary = body.select_one("[data-playbook-learning]")
        assert summary is not None and summary["data-playbook-learning"] == learning.id
        assert summary["data-status"] == learning.status.value
        assert text(summary) == m(f"status.{learning.status.value}")
        shown = text(body)
        assert f"{m('site.learning.fact.date')}: {learning.date.isoformat()}" in shown
        assert f"{m('site.learning.fact.team')}: {SHIPPED.pilots[learning.team].name}" in shown
        for heading in ("site.learning.happened", "site.learning.impact", "site.learning.changed"):
            assert body.find(["h2"], string=m(heading)) is not None, heading
        first_words = " ".join(learning.what_happened.split()[:6])
        assert first_words in shown
        if learning.what_changed is None:
            assert m("site.learning.nothing_changed") in shown
        # Every item it names is linked, and each link opens that item's page.
        links = {a["href"]: text(a) for a in body.select("a[href]") if not a["href"].startswith(("#", "http"))}
        for folder, ids, items in (("patterns", learning.patterns, SHIPPED.patterns),
                                   ("policies", learning.policies, SHIPPED.policies),
                                   ("usecases", learning.usecases, SHIPPED.usecases)):
            for item_id in ids:
                href = f"../../{folder}/{item_id}/"
                assert links.get(href) == items[item_id].title, (learning.id, href)
                assert resolves(default_site, page, href).is_file()
        assert links["../"] == m("site.learning.all")


def test_the_list_of_learnings_shows_each_one_newest_first_with_status_team_and_what_it_affects(
        default_site: Path) -> None:
    page = default_site / "learnings" / "index.html"
    body = article(page)
    listed = body.select("[data-playbook-learnings] > ul > li")
    newest_first = sorted(SHIPPED.learnings.values(), key=lambda x: (x.date, x.id), reverse=True)
    assert [text(item.find("a")) for item in listed] == [x.title for x in newest_first]
    open_count = sum(1 for x in SHIPPED.learnings.values() if x.status.value == "open")
    assert f"Learnings: {len(SHIPPED.learnings)}. Still open: {open_count}." in text(body)
    for item, learning in zip(listed, newest_first, strict=True):
        assert item.find("a")["href"] == f"{learning.id}/"
        line = text(item)
        assert learning.date.isoformat() in line and SHIPPED.pilots[learning.team].name in line
        assert Messages("en")(f"status.{learning.status.value}") in line
        named = [a["href"] for a in item.select("a")[2:]]
        assert named == [f"../{folder}/{i}/" for folder, ids in (("patterns", learning.patterns),
                         ("policies", learning.policies), ("usecases", learning.usecases)) for i in ids]
        for href in named:
            assert resolves(default_site, page, href).is_file()


def test_a_pattern_and_a_policy_list_what_teams_learned_about_them(default_site: Path) -> None:
    about = SHIPPED.learnings_about("patterns")
    for pattern_id in SHIPPED.patterns:
        body = article(default_site / "patterns" / pattern_id / "index.html")
        heading = body.find(id="what-teams-learned")
        assert heading is not None, pattern_id
        listed = [a["href"] for a in body.select("[data-playbook-learned] a")]
        assert listed == [f"../../learnings/{x.id}/" for x in about.get(pattern_id, [])], pattern_id
        report = body.find("a", string="Report a learning about this pattern")
        assert report is not None and report["href"] == f"../../learnings/?pattern={pattern_id}#report-a-learning"
    assert about["ai-monitoring"], "a shipped learning names the monitoring pattern"
    policies = SHIPPED.learnings_about("policies")
    for policy_id, learned in policies.items():
        body = article(default_site / "policies" / policy_id / "index.html")
        assert [a["href"] for a in body.select("[data-playbook-learned] a")] == [
            f"../../learnings/{x.id}/" for x in learned]
        assert body.find("a", string="Report a learning about this policy")["href"] == (
            f"../../learnings/?policy={policy_id}#report-a-learning")


def test_search_offers_learnings_as_a_kind_with_their_statuses(default_site: Path) -> None:
    soup = soup_of(default_site / "index.html")
    kinds = {o["value"]: text(o) for o in soup.select("select[data-facet=kind] option")}
    statuses = {o["value"]: text(o) for o in soup.select("select[data-facet=status] option")}
    assert kinds["learning"] == "Learning"
    assert (statuses["open"], statuses["addressed"]) == ("Open", "Addressed")
    index = json.loads((default_site / "search" / "playbook-index.json").read_text(encoding="utf-8"))
    fields = index["fields"]
    found = {(r[fields.index("kind")], r[fields.index("id")]): r for r in index["records"]}
    for learning in SHIPPED.learnings.values():
        record = found[("learning", learning.id)]
        assert record[fields.index("status")] == learning.status.value


def test_a_use_case_page_lists_the_learnings_naming_it(default_site: Path) -> None:
    about = SHIPPED.learnings_about("usecases")
    assert about
    for case_id in SHIPPED.usecases:
        body = article(default_site / "usecases" / case_id / "index.html")
        listed = [a["href"] for a in body.select("[data-playbook-learned] a")]
        assert listed == [f"../../learnings/{x.id}/" for x in about.get(case_id, [])], case_id
        assert (body.find(id="what-teams-learned") is not None) == (case_id in about)


def test_the_print_page_holds_every_learning(default_site: Path) -> None:
    body = text(article(default_site / "print" / "index.html"))
    for learning in SHIPPED.learnings.values():
        assert learning.title in body


def test_the_exports_hold_the_learnings(default_site: Path) -> None:
    document = json.loads((default_site / "playbook.json").read_text(encoding="utf-8"))
    assert document["schema_version"] == "1.2"
    assert [x["id"] for x in document["learnings"]] == list(SHIPPED.learnings)
    rows = list(csv.DictReader(io.StringIO((default_site / "exports" / "learnings.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == list(SHIPPED.learnings)
    first = next(iter(SHIPPED.learnings.values()))
    assert rows[0]["patterns"] == "; ".join(first.patterns)
    assert rows[0]["date"] == first.date.isoformat()


def test_the_learnings_page_is_in_the_navigation(default_site: Path) -> None:
    soup = soup_of(default_site / "index.html")
    assert soup.select_one('nav a[href="learnings/"]') is not None


def test_a_playbook_without_the_list_of_learnings_builds_and_links_to_no_form(tmp_path: Path) -> None:
    """A playbook made before learnings existed has no docs/learnings/index.md: the engine's pages must not
    link to it, or a version bump of the engine would break its strict build."""
    root = assemble(SMALL, tmp_path / "pb")
    shutil.rmtree(root / "docs" / "learnings")
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"\n\s*- What teams learned: learnings/index.md", "", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    contributing = root / "docs" / "contributing.md"
    contributing.write_text(contributing.read_text(encoding="utf-8").split("Without git")[0], encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    pattern = article(site / "patterns" / "llm-gateway" / "index.html")
    assert [a["href"] for a in pattern.select("[data-playbook-learned] a")] == [
        "../../learnings/triage-missed-new-claim-types/"]
    assert not [a for a in pattern.select("a[href]") if "learnings/?" in a["href"] or a["href"] == "../../learnings/"]
    learning = article(site / "learnings" / "triage-missed-new-claim-types" / "index.html")
    assert learning.find("a", string="All learnings") is None


# The forms' data ------------------------------------------------------------------------------


def form_data(html: str) -> dict[str, object]:
    block = BeautifulSoup(html, "html.parser").select_one("script[data-playbook-propose-data]")
    assert block is not None
    data: dict[str, object] = json.loads(block.string or "")
    return data


def test_the_forms_embed_the_models_id_rules_and_the_ids_already_taken() -> None:
    m = Messages("en")
    target = editor("https://github.com/example-org/ai-playbook", "edit/main/")
    learning = form_data(learning_form(SHIPPED, m, "../usecases/register.json", target))
    assert learning["rule"] == {"pattern": ID_PATTERN, "min": ID_MIN_LENGTH, "max": ID_MAX_LENGTH,
                                "reserved": {i: f"learnings/{i}.md" for i in RESERVED_IDS}}
    assert learning["ids"] == list(SHIPPED.learnings)
    assert learning["teams"] == list(SHIPPED.pilots)
    assert learning["usecases"] == "../usecases/register.json"
    assert learning["target"] == {"host": "GitHub", "base": "https://github.com/example-org/ai-playbook/new/main/learnings",
                                  "name": "filename", "content": "value", "limit": URL_LIMIT}
    pattern = form_data(pattern_form(SHIPPED, m, None))
    assert pattern["ids"] == list(SHIPPED.patterns)
    assert pattern["target"] is None
    assert pattern["rule"]["reserved"] == {"index": "patterns/index.md"}  # type: ignore[index]


def test_the_forms_offer_every_pattern_policy_team_and_tier() -> None:
    soup = BeautifulSoup(learning_form(SHIPPED, Messages("en"), "usecases/register.json", None), "html.parser")
    assert [i["value"] for i in soup.select("input[name=patterns]")] == sorted(
        SHIPPED.patterns, key=lambda i: SHIPPED.patterns[i].title.lower())
    assert {i["value"] for i in soup.select("input[name=policies]")} == set(SHIPPED.policies)
    assert [o["value"] for o in soup.select("select[name=team] option")] == ["", *SHIPPED.pilots]
    assert soup.select_one("a[data-playbook-propose]") is None, "no editor link without a repository host"
    assert soup.select_one("[data-playbook-propose-download]") is not None
    pattern = BeautifulSoup(pattern_form(SHIPPED, Messages("en"), editor("https://gitlab.com/o/p", "-/edit/main/")),
                            "html.parser")
    assert [i["value"] for i in pattern.select("input[name=tiers]")] == [t.id for t in SHIPPED.tiers]
    link = pattern.select_one("a[data-playbook-propose]")
    assert link is not None and text(link) == "Propose it in GitLab's editor"


def test_past_a_few_dozen_patterns_the_form_asks_for_ids_instead_of_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    import playbook.site.pages.propose as propose

    monkeypatch.setattr(propose, "CHOICES", len(SHIPPED.policies))
    html = learning_form(SHIPPED, Messages("en"), "usecases/register.json", None)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select("input[name=patterns]") == soup.select("input[name=patterns][type=text]")
    assert len(soup.select("input[name=policies][type=checkbox]")) == len(SHIPPED.policies)
    assert form_data(html)["known"] == {"patterns": list(SHIPPED.patterns)}


def test_a_playbook_without_pilots_says_a_learning_needs_one() -> None:
    empty = Playbook(root=REPO, patterns=SHIPPED.patterns, policies=SHIPPED.policies)
    html = learning_form(empty, Messages("en"), "usecases/register.json", None)
    assert Messages("en")("site.propose.no_teams") in text(BeautifulSoup(html, "html.parser"))


# Where the editor is --------------------------------------------------------------------------


@pytest.mark.parametrize(("repo_url", "edit_uri", "host", "base"), [
    ("https://github.com/org/playbook", "edit/main/", "GitHub", "https://github.com/org/playbook/new/main/"),
    ("https://github.com/org/playbook.git/", "blob/trunk/", "GitHub", "https://github.com/org/playbook/new/trunk/"),
    ("https://github.com/org/mono", "edit/main/governance/", "GitHub",
     "https://github.com/org/mono/new/main/governance/"),
    ("https://github.com/org/playbook", "https://github.com/org/playbook/edit/dev/", "GitHub",
     "https://github.com/org/playbook/new/dev/"),
    ("https://gitlab.com/group/playbook", "-/edit/main/", "GitLab", "https://gitlab.com/group/playbook/-/new/main/"),
    ("https://gitlab.example.com/ai/playbook", "-/blob/main/docs/", "GitLab",
     "https://gitlab.example.com/ai/playbook/-/new/main/docs/"),
])
def test_the_new_file_editor_comes_from_repo_url_and_the_branch_from_edit_uri(
        repo_url: str, edit_uri: str, host: str, base: str) -> None:
    found = editor(repo_url, edit_uri)
    assert found is not None
    assert (found.host, found.base) == (host, base)


@pytest.mark.parametrize(("repo_url", "edit_uri", "host"), [
    ("https://git.example.com/ai-governance/playbook", "edit/main/", "auto"),
    ("https://bitbucket.org/org/playbook", "src/main/", "auto"),
    ("https://github.com/org/playbook", "", "auto"),
    ("https://github.com/org/playbook", "edit/", "auto"),
    ("https://github.com/org/playbook", "wiki/main/", "auto"),
    ("https://github.com/org/playbook", "edit/main/", "none"),
    (None, "edit/main/", "auto"),
])
def test_without_an_editor_the_forms_offer_a_download(repo_url: str | None, edit_uri: str, host: str) -> None:
    assert editor(repo_url, edit_uri, host) is None  # type: ignore[arg-type]


def test_a_host_the_address_does_not_tell_is_named_in_the_plugins_settings() -> None:
    found = editor("https://code.example.com/org/playbook", "edit/main/", "github")
    assert found is not None and found.base == "https://code.example.com/org/playbook/new/main/"
    assert (found.name, found.content) == ("filename", "value")
    found = editor("https://code.example.com/org/playbook", "-/edit/main/", "gitlab")
    assert found is not None and (found.name, found.content) == ("file_name", "content")


def test_branch_and_prefix() -> None:
    assert branch_and_prefix("https://github.com/o/r", "edit/main/") == ("main", "")
    assert branch_and_prefix("https://github.com/o/r", "/edit/main/a/b/") == ("main", "a/b/")
    assert branch_and_prefix("https://github.com/o/r", "https://elsewhere.example.com/edit/main/") is None


def test_the_learning_model_documents_every_field() -> None:
    assert LEARNING.model is Learning
    assert all(info.description for info in Learning.model_fields.values())
