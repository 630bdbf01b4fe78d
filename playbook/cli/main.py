"""The ``playbook`` command: init, check, build, serve, generate, assess, new, report, diff, export, synth, audit."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from playbook.check.validate import check as check_playbook
from playbook.check.validate import valid_playbook
from playbook.cli.new import new
from playbook.cli.options import asks, root_option
from playbook.data.kinds import USECASE
from playbook.data.model.playbook import Playbook
from playbook.data.problems import PlaybookError
from playbook.data.reporters import REPORTER_BY_NAME

ENGINE_NAMES = ["mkdocs", "properdocs", "zensical"]
"""The engines ``playbook build --engine`` drives (``playbook.site.build.ENGINES``), listed without importing mkdocs."""

format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format."
)


SECTIONS: dict[str, tuple[str, ...]] = {
    "Check and publish the site": ("check", "build", "serve", "generate"),
    "Assess and audit use cases": ("assess", "audit"),
    "Write and compare playbooks": ("init", "new", "report", "diff", "synth"),
    "Export": ("export", "schemas"),
}
"""The commands ``--help`` lists, by the stage of the package each one drives (CONTRIBUTING, Architecture)."""


class PlaybookGroup(click.Group):
    """Lists the commands by stage, and turns the package's own errors into a message and exit code 1,
    never a traceback."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        listed = [name for names in SECTIONS.values() for name in names]
        sections = {**SECTIONS, "Other commands": tuple(sorted(set(self.list_commands(ctx)) - set(listed)))}
        for title, names in sections.items():
            rows = []
            for name in names:
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(formatter.width - 6 - max(map(len, names)))))
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except PlaybookError as exc:
            head, *rest = str(exc).splitlines() or [""]
            click.echo(f"error: {head}", err=True)
            for line in rest:
                # Problem lines carry their own severity; other lines are further errors.
                click.echo(line if exc.problems else f"error: {line}", err=True)
            ctx.exit(1)


@click.group(cls=PlaybookGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ai-governance-playbook", prog_name="playbook")
def main() -> None:
    """Build and check an AI governance playbook kept as YAML.

    Run commands from the playbook's folder, or point at it with --root.
    """


main.add_command(new)


@main.command()
@root_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(list(REPORTER_BY_NAME)), default="text", show_default=True,
              help="text: path:line:col: severity: message [code]; json: a list of problems with their data; "
                   "github: GitHub Actions annotations, shown on the pull request's diff.")
def check(root: Path, strict: bool, fmt: str) -> None:
    """Validate every playbook file and the references between them.

    Prints one line per problem as path:line:col: severity: message [code], then a
    count. Exits 0 when there are no errors (warnings allowed unless --strict), 1 otherwise.
    """
    if not root.is_dir():
        raise click.BadParameter(f"{root} is not a folder", param_hint="--root")
    _playbook, problems, files = check_playbook(root)
    if strict:
        problems = [dataclasses.replace(p, severity="error") for p in problems]
    reporter = REPORTER_BY_NAME[fmt](root=_from_working_folder(root))
    for line in reporter.lines(problems, files):
        click.echo(line)
    if any(p.severity == "error" for p in problems):
        sys.exit(1)


def _from_working_folder(root: Path) -> str:
    """``root`` relative to the working folder, with forward slashes; as given when it lies elsewhere."""
    try:
        return root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return root.as_posix()


@main.command()
@root_option
def schemas(root: Path) -> None:
    """Regenerate the JSON Schemas in schemas/ from the model."""
    from playbook.export.schemas import write_schemas

    written = write_schemas(root / "schemas")
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{len(written)} schema(s) changed")


@main.command()
@root_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to put the site. Default: site/ in the playbook's folder.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("--engine", type=click.Choice(ENGINE_NAMES), default="mkdocs", show_default=True,
              help="mkdocs builds with the playbook plugin; properdocs and zensical build the tree "
                   "`playbook generate` writes, without it.")
def build(root: Path, site_dir: Path | None, quiet: bool, engine: str) -> None:
    """Build the site strictly into site/.

    The playbook is checked first; any error, broken link or missing anchor fails the
    build. The previous site is replaced only when the new build succeeded. With
    --engine properdocs or zensical, the engine must be installed (on PATH or in this
    virtualenv): `pip install "ai-governance-playbook[zensical]"`, say.
    """
    from playbook.site.build import build_site

    target = build_site(root, site_dir, quiet=quiet, engine=engine)
    click.echo(f"site built in {target}" + ("" if engine == "mkdocs" else f" by {engine}"))


@main.command()
@root_option
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(ENGINE_NAMES), default="mkdocs", show_default=True,
              help="The engine the tree is for: zensical reads the links in a page's HTML from the page's "
                   "file, mkdocs and properdocs from its address.")
def generate(root: Path, out: Path, engine: str) -> None:
    """Write the site as a plain docs tree into OUT, for engines without the playbook plugin.

    OUT gets mkdocs.yml, docs/ (every page as Markdown, macros already expanded, with the
    assets, search index and exports) and overrides/ (the theme's custom_dir). Build it with
    `mkdocs build` or `properdocs build` in OUT, or `zensical build` in a tree generated with
    --engine zensical. OUT must be a new or empty folder, or a tree generate wrote before,
    which it replaces; anything else is refused.
    """
    from playbook.site.build import ENGINES
    from playbook.site.tree import generate as generate_tree

    tree = generate_tree(root, out, ENGINES[engine].links_from_source)
    click.echo(f"wrote {tree.pages} pages ({tree.files} files) and {tree.config_file.name} to {tree.folder}")
    others = {"mkdocs": " (or properdocs build --strict)", "properdocs": " (or mkdocs build --strict)"}
    click.echo(f"build it with: cd {tree.folder} && {engine} build --strict{others.get(engine, '')}")


@main.command()
@root_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="Address to serve on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def serve(root: Path, dev_addr: str, open_browser: bool) -> None:
    """Serve the site locally and rebuild it whenever a page or a YAML file changes."""
    from playbook.site.build import serve_site

    sys.exit(serve_site(root, dev_addr, open_browser))


@main.command()
@click.argument("directory", type=click.Path(file_okay=True, path_type=Path))
@click.option("--blank", is_flag=True, help="A minimal skeleton to fill in, instead of the example playbook.")
@click.option("--language", default="en", show_default=True, type=click.Choice(["en", "nl", "de", "fr"]),
              help="The language of the site (theme.language), its hand-written pages and navigation.")
def init(directory: Path, blank: bool, language: str) -> None:
    """Start a new playbook repository in DIRECTORY, a new or empty folder.

    It holds the data, the pages, JSON Schemas for editors, a CI workflow, CONTRIBUTING.md and a
    pull-request template; the engine stays installed, pinned in requirements.txt. It passes
    playbook check --strict and builds as written. Exits 1 and writes nothing when DIRECTORY is not empty.
    """
    from playbook.authoring.init import init_repository

    files = init_repository(directory, language=language, blank=blank)
    what = "a blank playbook" if blank else "the example playbook"
    click.echo(f"wrote {what} ({len(files)} files, language {language}) to {directory}")
    click.echo("")
    click.echo("Next steps:")
    click.echo(f"  cd {directory}")
    click.echo("  git init && git add . && git commit -m 'Start the playbook'")
    click.echo("  playbook check      # every problem with its file, line and column")
    click.echo("  playbook serve      # preview at http://127.0.0.1:8000, rebuilt as you save")
    click.echo("Set repo_url in mkdocs.yml for edit buttons; README.md says how to publish the site.")


def load_valid(root: Path, purpose: str) -> Playbook:
    """The playbook, or a PlaybookError listing its errors: commands that use it need it whole."""
    if not root.is_dir():
        raise click.BadParameter(f"{root} is not a folder", param_hint="--root")
    return valid_playbook(root, purpose)


@main.command()
@root_option
@click.option("-a", "--answer", "pairs", multiple=True, metavar="QUESTION=VALUE",
              help="An answer, such as production=yes or data-categories=internal,customer-personal (repeatable).")
@click.option("-f", "--file", "answers_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Answers in a YAML or JSON file: a mapping of question to answer, or one with "
                   "answers, built_on and custom_parts.")
@click.option("-p", "--pattern", "built_on", multiple=True, metavar="ID",
              help="A playbook pattern the solution is built on (repeatable).")
@click.option("--custom-parts", is_flag=True, help="Parts of the solution are not covered by the given patterns "
              "(with --register, the file gets a built: entry to name them).")
@click.option("--questions", "list_questions", is_flag=True, help="List the questions and allowed answers, and exit.")
@click.option("--interactive/--no-interactive", default=None,
              help="Ask the questions not answered by flags or file. Default: ask when stdin is a terminal "
                   "and no answer is given.")
@click.option("--register", "register_id", metavar="ID",
              help="Register this use case: write usecases/ID.yml with the answers filled in (never overwrites).")
@click.option("--team", help="With --register: the team that owns the use case (a pilot team in pilots/).")
@format_option
def assess(root: Path, pairs: tuple[str, ...], answers_file: Path | None, built_on: tuple[str, ...],
           custom_parts: bool, list_questions: bool, interactive: bool | None, register_id: str | None,
           team: str | None, fmt: str) -> None:
    """Place a use case in a risk tier and explain its review path.

    Give answers as flags or in a file; in a terminal with no answers, the questions are
    asked one at a time. Every question must be answered. Exits 1 on a missing, unknown
    or ill-typed answer, naming the question and the allowed values.

    \b
    Example:
      playbook assess -a customer-impact=minor-decision -a automated-amount=0 \\
        -a data-categories=internal -a production=yes -a new-vendor=no \\
        -a deviates-from-standards=no -a affects-employment=no -p llm-gateway
    """
    from playbook.cli import assess as assessment

    playbook = load_valid(root, "assessing")
    if list_questions:
        questions = assessment.questions_record(playbook)
        click.echo(json.dumps(questions, indent=2) if fmt == "json" else assessment.render_questions(playbook))
        return
    if register_id is not None:
        from playbook.authoring.scaffold import check_free, check_new_id
        from playbook.authoring.scaffold_values import usecase_team
        from playbook.cli.prompts import choose_team

        # Refuse a taken or malformed id, or an unknown team, before the questions are asked, not after.
        check_new_id(USECASE, register_id)
        check_free(root, USECASE, register_id)
        team = usecase_team(playbook, choose_team(playbook, team, asks(interactive)))
    raw: dict[str, object] = {}
    patterns = list(built_on)
    custom = custom_parts
    if answers_file is not None:
        file_answers, file_patterns, file_custom = assessment.answers_from_file(answers_file)
        raw.update(file_answers)
        patterns = patterns or file_patterns
        custom = custom or file_custom
    raw.update(assessment.answers_from_flags(pairs))
    if interactive or (interactive is None and not raw and sys.stdin.isatty()):
        assert playbook.risk_tiers is not None
        raw = assessment.ask(playbook.risk_tiers, raw)
        if not patterns:
            patterns, custom = assessment.ask_patterns(playbook)
        click.echo("")
    record = assessment.run(playbook, raw, patterns, custom)
    click.echo(json.dumps(record, indent=2) if fmt == "json" else assessment.render_text(playbook, record))
    if register_id is not None:
        from playbook.authoring.scaffold import new_item, next_steps
        from playbook.authoring.scaffold_values import usecase_values

        created = new_item(root, USECASE, register_id, lambda pb: usecase_values(
            pb, register_id, team=team, answers=record["answers"], patterns=patterns, custom_parts=custom,
            tier=record["tier"]))
        click.echo("\n" + next_steps(created, root / created.rel), err=fmt == "json")



@main.command()
@root_option
@format_option
def report(root: Path, fmt: str) -> None:
    """Show gaps and stale items: what maintainers should look at next.

    Lists patterns no policy cites, policies left on deprecated patterns, items past
    review_by, items by owner and how many patterns each tier can build on.

    Exits 0 whatever it finds; 1 only when the playbook has errors (run playbook check).
    """
    from playbook.authoring.report import build_report, render_text

    result = build_report(load_valid(root, "reporting"))
    click.echo(json.dumps(result.as_dict(), indent=2) if fmt == "json" else render_text(result))


@main.command()
@click.argument("base")
@click.argument("head", required=False)
@root_option
def diff(base: str, head: str | None, root: Path) -> None:
    """Compare two git revisions of the playbook, as Markdown for a pull request.

    BASE and HEAD are branches, tags or commits; HEAD defaults to the working tree. Lists
    patterns, policies and pilots added, removed and changed, status moves, framework
    changes, and worked examples whose tier changes under the new thresholds.
    """
    from playbook.authoring.diff import diff_revisions, render_markdown

    click.echo(render_markdown(diff_revisions(root, base, head)), nl=False)


@main.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True,
              help="json: one document holding everything; csv: one file per kind.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="json: the file to write (default: standard output). csv: the folder to write into "
                   "(default: ./exports).")
@click.option("--force", is_flag=True, help="Overwrite export files that already exist.")
def export(root: Path, fmt: str, out: Path | None, force: bool) -> None:
    """Export the whole playbook as JSON (see schemas/export.schema.json) or as CSV files.

    CSV writes patterns.csv, policies.csv, tiers.csv, roadmap.csv (one row per checklist
    item) and decisions.csv; list entries are joined with "; ". Exits 1 without writing
    anything when the playbook has errors or a file would be overwritten without --force.
    """
    from playbook.export.formats import export_json_text, write_csv_export, write_json_export

    playbook = load_valid(root, "exporting")
    if fmt == "csv":
        written = write_csv_export(playbook, out or Path("exports"), force)
    elif out is None:
        click.echo(export_json_text(playbook), nl=False)
        return
    else:
        written = [write_json_export(playbook, out, force)]
    for path in written:
        click.echo(f"wrote {path}", err=True)


@main.command()
@click.option("--patterns", "n_patterns", type=click.IntRange(min=1), default=50, show_default=True,
              help="How many patterns to write.")
@click.option("--policies", "n_policies", type=click.IntRange(min=0), default=100, show_default=True,
              help="How many policies to write.")
@click.option("--usecases", "n_usecases", type=click.IntRange(min=0), default=0, show_default=True,
              help="How many registered use cases to write.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="A new or empty folder to write the playbook into.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed writes the same bytes.")
def synth(n_patterns: int, n_policies: int, n_usecases: int, out: Path, seed: int) -> None:
    """Write a valid synthetic playbook of any size, for benchmarks."""
    import time

    from playbook.authoring.synth import write_synth

    started = time.perf_counter()
    written = write_synth(out, n_patterns, n_policies, seed, n_usecases)
    click.echo(f"wrote {len(written)} files to {out} in {time.perf_counter() - started:.2f} s")


@main.group()
def audit() -> None:
    """Audit decisions by sampling them, as each tier's audit_sampling share asks."""


def _period(_ctx: click.Context, _param: click.Parameter, value: str) -> object:
    from playbook.register.audit import parse_period

    try:
        return parse_period(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@audit.command("sample")
@root_option
@click.option("--period", required=True, callback=_period, metavar="PERIOD",
              help="The decisions to sample from: a quarter (2026-Q4), a month (2026-11) or a year (2026).")
@click.option("--seed", type=int, required=True, help="The same seed and register give the same sample.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="markdown: a checklist for the auditor; json: the ids sampled per tier.")
def audit_sample(root: Path, period: object, seed: int, fmt: str) -> None:
    """Draw the registered decisions an auditor checks in a period.

    For each tier, audit_sampling x the use cases decided in the period, rounded up and at
    least one where there are any (withdrawn cases are not decisions). Exits 1 when the
    playbook has errors, 2 on a period that cannot be read.
    """
    from playbook.register.audit import Period, draw, render_markdown, sample_record

    assert isinstance(period, Period)
    playbook = load_valid(root, "sampling decisions")
    sample = draw(playbook, period, seed)
    if fmt == "json":
        click.echo(json.dumps(sample_record(sample), indent=2))
    else:
        click.echo(render_markdown(playbook, sample), nl=False)
