"""The ``kb`` command line: index, search, extract, evaluate, serve."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .config import ConfigError, Settings, load_settings
from .index import IndexBusyError, IndexStore
from .search import QueryError, SearchRequest, search


class Context:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._store: IndexStore | None = None

    @property
    def store(self) -> IndexStore:
        if self._store is None:
            self._store = IndexStore(self.settings.index_dir, self.settings.index_lock_timeout)
        return self._store

    def close_store(self) -> None:
        """Close the index's searchers (their files); ``store`` opens it again if asked."""
        if self._store is not None:
            self._store.close()
            self._store = None


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    ctx.obj = Context(settings)
    ctx.call_on_close(ctx.obj.close_store)


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Start from scratch instead of indexing only what changed.")
@pass_context
def index_command(ctx: Context, rebuild: bool) -> None:
    """Index the corpus: add new files, re-index changed ones, remove deleted ones."""
    from .sync import sync_index

    if not ctx.settings.corpus_dir.is_dir():
        raise click.ClickException(f"corpus folder not found: {ctx.settings.corpus_dir}")
    try:
        report = sync_index(ctx.settings, ctx.store, rebuild=rebuild)
    except IndexBusyError as exc:
        raise click.ClickException(str(exc)) from None
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    click.echo(f"{ctx.settings.corpus_dir}: {report.summary()}; "
               f"{ctx.store.document_count()} document(s) in the index")
    from .translation import load_translator
    if not load_translator(ctx.settings.data_dir).has_dictionary:   # compiled now, not at the first search
        click.echo("no FreeDict dictionaries (dict-freedict-fra-eng, dict-freedict-eng-fra): "
                   "queries are translated through the bilingual vocabulary and names only")
    if report.errors:
        sys.exit(1)


def _filters(**values) -> dict[str, list[str]]:
    return {name: list(v) for name, v in values.items() if v}


@cli.command("search")
@click.argument("query", default="")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see DESIGN.md).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="Hits per page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Page number.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance")
@click.option("--lang", "language", multiple=True, help="Only documents in this language (repeatable).")
@click.option("--type", "type_", multiple=True, help="Only documents of this type (repeatable).")
@click.option("--city", multiple=True, help="Only documents naming this city (repeatable).")
@click.option("--country", multiple=True, help="Only documents naming a city in this country code.")
@click.option("--year", multiple=True, help="Only documents published this year.")
@click.option("--theme", multiple=True, help="Only documents on this theme.")
@click.option("--organisation", multiple=True, help="Only documents naming this organisation.")
@click.option("--from", "date_from", default="", help="Published on or after (2016, 2016-04, 2016-04-08).")
@click.option("--to", "date_to", default="", help="Published on or before.")
@click.option("--no-expand", is_flag=True, help="Do not expand the query into the other language.")
@click.option("--no-translate", is_flag=True,
              help="Expand through the bilingual vocabulary and names only, not the dictionary.")
@pass_context
def search_command(ctx: Context, query: str, as_json: bool, limit: int, page: int, sort: str,
                   language, type_, city, country, year, theme, organisation,
                   date_from: str, date_to: str, no_expand: bool, no_translate: bool) -> None:
    """Search the index. QUERY: words, "phrases", OR, -exclusion, prefix*, field:value."""
    request = SearchRequest(query=query, page=page, page_size=limit, sort=sort,
                            date_from=date_from, date_to=date_to, expand=not no_expand,
                            translate=not no_translate,
                            filters=_filters(language=language, type=type_, city=city,
                                             country=country, year=year, theme=theme,
                                             organisation=organisation))
    try:
        result = search(ctx.store, request, max_page_size=1000)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.total} result(s) for {query!r} in {result.took_ms:.1f} ms"
               f" (page {page} of {result.pages})")
    for expansion in result.interpretation["expansions"]:
        if expansion["kind"] == "optional":
            click.echo(f"  not required in the other language: {expansion['text']}")
        else:
            click.echo(f"  also searched: {expansion['text']} → {', '.join(expansion['alternatives'])}"
                       f" ({expansion['kind']})")
    for suggestion in result.suggestions:
        click.echo(f"  did you mean: {suggestion}")
    for number, hit in enumerate(result.hits, start=(page - 1) * limit + 1):
        click.echo(f"\n{number}. {hit.title}  [{hit.type}, {hit.language}, {hit.date or 'undated'}]")
        click.echo(f"   {hit.path}  (id: {hit.id}, score {hit.score:.2f})")
        click.echo("   " + _terminal_snippet(hit.snippet))


def _terminal_snippet(snippet_html: str) -> str:
    import html
    import re
    text = snippet_html.replace("<mark>", "\x1b[1m" if sys.stdout.isatty() else "[")
    text = text.replace("</mark>", "\x1b[0m" if sys.stdout.isatty() else "]")
    return html.unescape(re.sub(r"\s+", " ", text))


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
              help="Gold file (default: tests/gold/extraction/gold.yaml of the project); with "
                   "--search, a queries file or a folder: the dev set's (queries.yaml, gold.yaml, "
                   "docs/) or one with queries.yaml and docs/.")
@click.option("--details", is_flag=True, help="Also list, per document, what was missed and what was extra "
              "(with --search: nDCG@10 of each query in each mode).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--search", "search_mode", is_flag=True,
              help="Score search relevance instead: nDCG@10, recall@10 and MRR per "
                   "cross-language mode (queries: tests/gold/relevance/queries.yaml).")
@click.pass_context
def eval_command(click_ctx: click.Context, gold_path: Path | None, details: bool, as_json: bool,
                 search_mode: bool) -> None:
    """Score extraction against the gold file (precision, recall and F1 per field), or
    search relevance with --search."""
    if search_mode:
        click_ctx.invoke(_eval_search, gold_path=gold_path, details=details, as_json=as_json)
        return
    from indexer.errors import DocumentError
    from indexer.extract import ExtractInput, extract_batch
    from indexer.extract.organisations import canonical_name
    from indexer.read import read_source

    from .evaluation import GoldError, evaluate, format_table, load_gold

    root = Path(__file__).resolve().parent.parent
    gold_path = gold_path or root / "tests" / "gold" / "extraction" / "gold.yaml"
    if not gold_path.is_file():
        raise click.ClickException(f"gold file not found: {gold_path}")
    try:
        gold = load_gold(gold_path)
        sources = [read_source(root / doc.path if not Path(doc.path).is_absolute() else Path(doc.path),
                               root) for doc in gold]
    except (GoldError, DocumentError) as exc:
        raise click.ClickException(str(exc)) from None
    extractions = extract_batch([ExtractInput(s.text, s.language, s.title, s.meta.get("date"))
                                 for s in sources])
    report = evaluate(gold, [e.to_dict() for e in extractions], canonical_name)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{len(gold)} document(s) in {gold_path}")
    click.echo(format_table(report))
    if details:
        for path, fields in report.documents.items():
            lines = [f"  {name} missed: {item}" for name, c in fields.items() for item in c.missed]
            lines += [f"  {name} extra: {item}" for name, c in fields.items() for item in c.extra]
            if lines:
                click.echo(f"\n{path}")
                click.echo("\n".join(lines))


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@pass_context
def serve_command(ctx: Context, host: str, port: int, threads: int) -> None:
    """Serve the web app with the Waitress WSGI server."""
    from waitress import serve

    from webapp import create_app

    app = create_app({"KB_SETTINGS": ctx.settings})
    click.echo(f"Serving {ctx.settings.corpus_dir} on http://{host}:{port}/")
    serve(app, host=host, port=port, threads=threads)


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


from .staff_cli import COMMANDS as _STAFF_COMMANDS  # noqa: E402 — they use Context above

for _command in _STAFF_COMMANDS:
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="kb")
