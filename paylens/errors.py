"""One error hierarchy: every failure a user can cause is a PaylensError."""

from __future__ import annotations


class PaylensError(Exception):
    """Base class: a message fit to show a user (no traceback)."""

    exit_code = 1


class InputError(PaylensError):
    """Bad input: carries every `FILE:LINE: message` problem found; nothing was written."""

    exit_code = 2
    max_problems = 50

    def __init__(self, problems: list[str] | str) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        shown = self.problems[: self.max_problems]
        more = len(self.problems) - len(shown)
        text = "\n".join(shown) + (f"\n... and {more} more problems" if more > 0 else "")
        super().__init__(text)


class QueryError(PaylensError):
    """A named query is unknown or got parameters it does not accept."""

    exit_code = 2


class QueryFailedError(QueryError):
    """A named query with valid parameters failed in DuckDB (an old or damaged store): not bad input."""

    exit_code = 1


class StoreMissingError(PaylensError):
    """The DuckDB store has not been built yet."""


class StoreError(PaylensError):
    """The store cannot be opened, read or written (damaged file, read-only folder, full disk).

    The message says what happened, that data/ is intact, and how to recover (`paylens build`);
    build one with `paylens.store.reader.store_error`.
    """
