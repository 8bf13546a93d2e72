"""``kb serve``: the web app's command, added to ``kb`` through the ``kb.commands`` entry
point (pyproject.toml), so that the knowledge base never imports the web app."""
from __future__ import annotations

import click

from kb.cli_context import Context, pass_context

from .serving import serve_app


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Threads per process.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Processes sharing the port (tantivy: 2 on two cores; Whoosh: 1).")
@pass_context
def serve_command(ctx: Context, host: str, port: int, threads: int, workers: int) -> None:
    """Serve the web app with the Waitress WSGI server."""
    click.echo(f"Serving {ctx.settings.corpus_dir} on http://{host}:{port}/"
               + (f" with {workers} processes" if workers > 1 else ""))
    serve_app(ctx.settings, host, port, threads=threads, workers=workers,
              say=lambda text: click.echo(text, err=True))
