"""The one error type the indexer raises for a file it cannot use."""
from __future__ import annotations

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
