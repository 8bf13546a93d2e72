"""The one error type the indexer raises for a file it cannot use."""
from __future__ import annotations

import reprlib
from pathlib import Path


class DocumentError(ValueError):
    """A file that cannot become a Record. The message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None):
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):        # picklable: files are read in worker processes
        return type(self), (self.path, self.problem, self.line)

SHOWN_CHARACTERS = 60
_REPR = reprlib.Repr()     # containers cut too (keyword arguments only from Python 3.12)
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict, _REPR.maxset = 2, 4, 4, 4, 4
_REPR.maxstring = _REPR.maxother = SHOWN_CHARACTERS


def shown(value: object) -> str:
    """A value as a message quotes it: cut to about 60 characters, so that no message
    repeats a whole long value.

    >>> shown("Paris"), shown("x" * 500), shown(list(range(100)))
    ("'Paris'", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (500 characters)", '[0, 1, 2, 3, ...]')
    """
    if isinstance(value, str) and len(value) > SHOWN_CHARACTERS:
        return f"{value[:SHOWN_CHARACTERS]!r}"[:-1] + f"…' ({len(value):,} characters)"
    return _REPR.repr(value)
