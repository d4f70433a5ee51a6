"""One error type for bad input: it names the file, the line and the problem, and the CLI turns
it into one message and exit status 2 (never a traceback)."""

from __future__ import annotations

from typing import Optional, Sequence


class InputError(Exception):
    """Bad input the user can fix: a file, a line (1-based, if known) and what is wrong."""

    def __init__(self, path: str, problem: str, line: Optional[int] = None) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.problem}"


class InputErrors(Exception):
    """Several problems found at once (validation lists every problem, not just the first)."""

    def __init__(self, errors: Sequence[InputError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(e.message for e in self.errors))
