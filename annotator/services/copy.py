"""Moving a study: copy a whole project between a file and a PostgreSQL server, either way."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.domain.errors import CopyError
from annotator.domain.location import ServerLocation, parse_location
from annotator.services.project import Project
from annotator.storage.copy import CopyMismatch
from annotator.storage.copy_targets import copy_to_file, copy_to_server


@dataclass(frozen=True)
class CopyReport:
    source: str
    target: str
    tables: dict[str, tuple[int, str]]  # table -> (rows, sha256 checksum), equal on both sides
    seconds: float

    @property
    def rows(self) -> int:
        return sum(rows for rows, _ in self.tables.values())


def copy_project(
    source: str | Path | ServerLocation,
    target: str | Path | ServerLocation,
    progress: Callable[[int, int, str], None] | None = None,
) -> CopyReport:
    """Copy every table of ``source`` into the new ``target``, verified by counts and checksums.

    ``progress(rows_done, rows_total, table)`` is called as rows land. The target must be a new
    file or an empty database; on any failure it is left as it was.
    """
    started = time.perf_counter()
    source_at, target_at = parse_location(source), parse_location(target)
    if str(source_at) == str(target_at) or (
        isinstance(source_at, Path) and isinstance(target_at, Path)
        and target_at.exists() and source_at.exists() and source_at.resolve() == target_at.resolve()
    ):
        raise CopyError(f"{target_at}: the target is the source itself")
    with Project(source_at, read_only=True) as project:
        try:
            if isinstance(target_at, ServerLocation):
                checks = copy_to_server(project.engine, target_at, progress)
            else:
                checks = copy_to_file(project.engine, target_at, progress)
        except CopyMismatch as mismatch:
            raise CopyError(
                f"{target_at}: the copy differs from {source_at} in {mismatch}, so nothing was kept"
            ) from None
    return CopyReport(
        str(source_at), str(target_at),
        {name: (check.rows, check.checksum) for name, check in checks.items()},
        time.perf_counter() - started,
    )


def project_checksums(location: str | Path | ServerLocation) -> dict[str, tuple[int, str]]:
    """Rows and checksum of every table of a project (to compare two copies)."""
    from annotator.storage.copy import check_project

    with Project(parse_location(location), read_only=True) as project, project.engine.connect() as c:
        return {name: (check.rows, check.checksum) for name, check in check_project(c).items()}
