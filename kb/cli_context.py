"""What every ``kb`` command gets (``ctx.obj``): the settings, and the index opened on
first use and closed when the command ends."""
from __future__ import annotations

import click

from .config import Settings
from .index import Index


class Context:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._index: Index | None = None

    @property
    def index(self) -> Index:
        if self._index is None:
            from .sync import open_current_index     # indexer (read, extract) only when used
            self._index = open_current_index(self.settings, say=lambda text: click.echo(text, err=True))
        return self._index

    def close_index(self) -> None:
        """Close the index (its files); ``index`` opens it again if asked."""
        if self._index is not None:
            self._index.close()
            self._index = None


pass_context = click.make_pass_decorator(Context)
