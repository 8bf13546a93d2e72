"""The ``kb`` command line: index, search, extract, evaluate, serve."""
from __future__ import annotations

import json
import sys
from importlib.metadata import entry_points
from pathlib import Path

import click

from indexer.extract.gazetteer import use_data_folder
from model.fields import BY_NAME, FACETS

from .cli_context import Context, pass_context
from .config import ConfigError, load_settings
from .index import IndexBusyError, IndexUnavailableError
from .search import SORTS, QueryError, SearchRequest, search
from .staff_cli import COMMANDS as STAFF_COMMANDS
from .terminal import json_text, plain
from .translation import use_data_folder as use_translation_folder


class Commands(click.Group):
    """The kb commands, and those other packages add through ``kb.commands`` entry points
    (the web app's ``serve``: kb does not import the web app), loaded only when named."""

    ENTRY_POINTS = "kb.commands"

    def _added(self) -> dict:
        return {point.name: point for point in entry_points(group=self.ENTRY_POINTS)}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._added()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        found = super().get_command(ctx, name)
        if found is None and name in (added := self._added()):
            found = added[name].load()
        return found

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The help lists added commands without loading them (the web app takes time to import)."""
        own = [(name, super(Commands, self).get_command(ctx, name)) for name in super().list_commands(ctx)]
        added = self._added()
        width = max(len(name) for name in [*dict(own), *added])
        rows = [(name, command.get_short_help_str(formatter.width - 6 - width))
                for name, command in own if command is not None and not command.hidden]
        rows += [(name, f"(from {point.module}: kb {name} --help)") for name, point in added.items()]
        with formatter.section("Commands"):
            formatter.write_dl(sorted(rows))


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path),
              help="Corpus folder (default: corpus/ of the project, or KB_CORPUS_DIR).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              help="Data folder for index and cache (default: data/, or KB_DATA_DIR).")
@click.pass_context
def cli(ctx: click.Context, corpus: Path | None, data: Path | None) -> None:
    """A knowledge base of city declarations on preventing hate and violent extremism."""
    try:
        settings = load_settings({"corpus_dir": corpus, "data_dir": data})
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    use_data_folder(settings.data_dir)       # the gazetteer, compiled once, read from there
    use_translation_folder(settings.data_dir)   # the compiled dictionary, likewise
    ctx.obj = Context(settings)
    ctx.call_on_close(ctx.obj.close_index)


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Start from scratch instead of indexing only what changed.")
@pass_context
def index_command(ctx: Context, rebuild: bool) -> None:
    """Index the corpus: add new files, re-index changed ones, remove deleted ones."""
    from .sync import sync_index

    if not ctx.settings.corpus_dir.is_dir():
        raise click.ClickException(f"corpus folder not found: {ctx.settings.corpus_dir}")
    try:
        report = sync_index(ctx.settings, ctx.index, rebuild=rebuild)
    except (IndexBusyError, IndexUnavailableError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    click.echo(f"{ctx.settings.corpus_dir}: {report.summary()}; "
               f"{ctx.index.count()} document(s) in the index")
    from .translation import load_translator
    if not load_translator(ctx.settings.data_dir).has_dictionary:   # compiled now, not at the first search
        click.echo("no FreeDict dictionaries (dict-freedict-fra-eng, dict-freedict-eng-fra): "
                   "queries are translated through the bilingual vocabulary and names only")
    if report.errors:
        sys.exit(1)


def _filters(**values) -> dict[str, list[str]]:
    return {name: list(v) for name, v in values.items() if v}


def _facet_options(command):
    """``--NAME`` (repeatable) for every facet of model.fields, ``--lang`` for language."""
    for name in reversed(FACETS):
        field = BY_NAME[name]
        option = "--" + (field.option or name).replace("_", "-")
        command = click.option(option, name, multiple=True,
                               help=field.help + " Repeatable: values combine with OR.")(command)
    return command


@cli.command("search")
@click.argument("query", default="")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see DESIGN.md).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="Hits per page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Page number.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance")
@_facet_options
@click.option("--from", "date_from", default="", help="Published on or after (2016, 2016-04, 2016-04-08).")
@click.option("--to", "date_to", default="", help="Published on or before.")
@click.option("--no-expand", is_flag=True, help="Do not expand the query into the other language.")
@click.option("--no-translate", is_flag=True,
              help="Expand through the bilingual vocabulary and names only, not the dictionary.")
@pass_context
def search_command(ctx: Context, query: str, as_json: bool, limit: int, page: int, sort: str,
                   date_from: str, date_to: str, no_expand: bool, no_translate: bool, **facets) -> None:
    """Search the index. QUERY: words, "phrases", OR, -exclusion, prefix*, field:value."""
    request = SearchRequest(query=query, page=page, page_size=limit, sort=sort,
                            date_from=date_from, date_to=date_to, expand=not no_expand,
                            translate=not no_translate, filters=_filters(**facets))
    try:
        result = search(ctx.index, request, max_page_size=1000)
    except (QueryError, IndexUnavailableError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json_text(result.to_dict(), indent=2))
        return
    click.echo(f"{result.total} result(s) for {plain(repr(query))} in {result.took_ms:.1f} ms"
               f" (page {page} of {result.pages})")
    for expansion in result.interpretation["expansions"]:
        if expansion["kind"] == "optional":
            click.echo(plain(f"  not required in the other language: {expansion['text']}"))
        else:
            click.echo(plain(f"  also searched: {expansion['text']} → {', '.join(expansion['alternatives'])}"
                             f" ({expansion['kind']})"))
    for suggestion in result.suggestions:
        click.echo(f"  did you mean: {plain(suggestion)}")
    if result.matches and result.matches.get("all") != result.total:
        click.echo("  results: " + ", ".join(f"{n} {MATCH_WORDS[name]}" for name, n in result.matches.items()
                                            if n or name == "all"))
    for number, hit in enumerate(result.hits, start=(page - 1) * limit + 1):
        match = f", {MATCH_WORDS[hit.match]}" if hit.match and hit.match != "all" else ""
        click.echo(f"\n{number}. {plain(hit.title)}  [{plain(hit.type)}, {plain(hit.language)}, "
                   f"{plain(hit.date or 'undated')}{match}]")
        click.echo(f"   {plain(hit.path)}  (id: {plain(hit.id)}, score {hit.score:.2f})")
        click.echo("   " + _terminal_snippet(hit.snippet))


MATCH_WORDS = {"all": "with every word as typed", "translated": "through a translation",
               "some": "with some of the words"}     # kb.search.MATCHES


def _terminal_snippet(snippet_html: str) -> str:
    """The snippet as one line of plain text, its marks in bold on a terminal (in brackets
    otherwise); what the text says never reaches the terminal as a control sequence."""
    import html
    import re
    start, end = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("[", "]")
    pieces = re.split(r"(</?mark>)", snippet_html)
    marks = {"<mark>": start, "</mark>": end}
    return re.sub(r" +", " ", "".join(marks.get(p) or plain(html.unescape(p)) for p in pieces))


@cli.command("extract")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of DESIGN.md's contract.")
def extract_command(path: Path, as_json: bool) -> None:
    """Extract cities, dates, commitments, organisations and themes from one file (.md, .txt)."""
    from indexer.errors import DocumentError
    from indexer.extract import extract_text
    from indexer.read import read_source

    try:
        source = read_source(path, path.parent)
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from None
    data = extract_text(source.text, source.language, title=source.title,
                        base_date=source.meta.get("date")).to_dict()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{data['title']}  [{data['language']}]")
    click.echo("cities: " + ", ".join(f"{c['name']} ({c['country']}, {'/'.join(c['roles'])})"
                                      for c in data["cities"]))
    click.echo("dates: " + ", ".join(f"{d['value']}{'/' + d['end'] if d.get('end') else ''} ({d['role']})"
                                     for d in data["dates"]))
    click.echo("organisations: " + ", ".join(o["name"] for o in data["organisations"]))
    click.echo("themes: " + ", ".join(data["themes"]))
    click.echo(f"commitments: {len(data['commitments'])}")
    for c in data["commitments"]:
        click.echo(f"  - [{c['actor']}] {c['text']}")


@cli.command("eval")
@click.option("--gold", "gold_path", type=click.Path(exists=True, path_type=Path),
              help="Gold file, or a dev set folder holding gold.yaml and docs/ "
                   "(default: tests/gold/extraction/gold.yaml of the project); with --search, a "
                   "queries file or a folder: the dev set's (queries.yaml, gold.yaml, docs/) or one "
                   "with queries.yaml and docs/.")
@click.option("--details", is_flag=True, help="Also list, per document, what was missed and what was extra "
              "(with --search: nDCG@10 of each query in each mode).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--search", "search_mode", is_flag=True,
              help="Score search relevance instead: nDCG@10, recall@10 and MRR per "
                   "cross-language mode (queries: tests/gold/relevance/queries.yaml).")
@click.pass_context
def eval_command(click_ctx: click.Context, gold_path: Path | None, details: bool, as_json: bool,
                 search_mode: bool) -> None:
    """Score extraction against gold annotations (precision, recall and F1 per field, with
    and without uncertain items, per language and per half of a dev set), or search
    relevance with --search."""
    if search_mode:
        click_ctx.invoke(_eval_search, gold_path=gold_path, details=details, as_json=as_json)
        return
    from .evaluation import GoldError, format_table
    from .evaluation.run import evaluate_extraction

    root = Path(__file__).resolve().parent.parent
    gold_path = gold_path or root / "tests" / "gold" / "extraction" / "gold.yaml"
    if not gold_path.exists():
        raise click.ClickException(f"gold file not found: {gold_path}")
    try:
        report = evaluate_extraction(gold_path, root)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    halves = " (half A: odd numbers, half B: even ones)" if any(d.gold.id for d in report.documents) else ""
    click.echo(f"{len(report.documents)} document(s) in {gold_path}{halves}")
    click.echo(format_table(report))
    if details:
        for document in report.documents:
            fields = {name: c for name, c in document.fields.items() if name in document.annotated}
            lines = [f"  {name} missed: {item}" for name, c in fields.items() for item in c.missed]
            lines += [f"  {name} extra: {item}" for name, c in fields.items() for item in c.extra]
            lines += [f"  not a city, taken: {item}" for item in document.not_cities_taken]
            if lines:
                click.echo(f"\n{document.gold.name}")
                click.echo("\n".join(lines))


@pass_context
def _eval_search(ctx: Context, gold_path: Path | None, details: bool, as_json: bool) -> None:
    from .devset import is_devset
    from .relevance import run_relevance

    root = Path(__file__).resolve().parent.parent
    relevance = root / "tests" / "gold" / "relevance"
    queries, docs = gold_path or relevance / "queries.yaml", relevance / "docs"
    if queries.is_dir() and not is_devset(queries):
        queries, docs = queries / "queries.yaml", queries / "docs"
    if not queries.exists():
        raise click.ClickException(f"queries file not found: {queries}")
    if not as_json:
        click.echo(f"corpus: the documents of {queries}; queries: {queries / 'queries.yaml'}"
                   if is_devset(queries) else f"corpus: {ctx.settings.corpus_dir} + {docs}; queries: {queries}")
    try:
        click.echo(run_relevance(ctx.settings, queries, [ctx.settings.corpus_dir, docs],
                                 details=details, as_json=as_json))
    except (ValueError, KeyError) as exc:
        raise click.ClickException(str(exc)) from None


for _command in STAFF_COMMANDS:
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="kb")
