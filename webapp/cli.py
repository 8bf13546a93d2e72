"""``kb serve``: the web app's command, added to ``kb`` through the ``kb.commands`` entry
point (pyproject.toml), so that the knowledge base never imports the web app."""
from __future__ import annotations

import click
from waitress import serve

from kb.cli_context import Context, pass_context

from . import create_app


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@pass_context
def serve_command(ctx: Context, host: str, port: int, threads: int) -> None:
    """Serve the web app with the Waitress WSGI server."""
    app = create_app({"KB_SETTINGS": ctx.settings})
    click.echo(f"Serving {ctx.settings.corpus_dir} on http://{host}:{port}/")
    serve(app, host=host, port=port, threads=threads)
