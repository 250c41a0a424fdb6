"""The errors ``db`` raises, so callers catch one family instead of SQLAlchemy's or YAML's."""

from __future__ import annotations

from dataclasses import dataclass

from foundation.errors import XKTrackerError


class DbError(XKTrackerError):
    """Base of every error raised by ``db``."""


class NotInitialised(DbError):
    """The database has no schema, or an older one: ``xktracker init`` fixes it."""


class EvidenceNotFound(DbError, KeyError):
    """No blob with this SHA-256 in the evidence store."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "evidence not found"


@dataclass(frozen=True, slots=True)
class CatalogProblem:
    """One thing wrong in a catalog file, located so a person can go and fix it."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class CatalogError(DbError):
    """A catalog file that cannot be loaded; ``problems`` lists every fault found, not only
    the first, so one edit-and-reload cycle fixes them all."""

    def __init__(self, problems: list[CatalogProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
