"""Importing files into a project: each file in its own transaction, failures reported, not fatal."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from threading import Event

from annotator.domain.errors import AnnotatorError, ImportFileError
from annotator.domain.model import text_sha256
from annotator.io.importers import ImportOptions, collect_files, read_articles

__all__ = ["ImportOptions", "ImportReport", "Outcome", "import_paths", "run_import"]
from annotator.services.project import Project
from annotator.storage.document_writer import DocumentWriter, document_writer


class Outcome(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True)
class FileResult:
    """What became of one file: plain values only, so it can cross threads."""

    path: str
    outcome: Outcome
    documents: int = 0
    duplicates: int = 0
    reason: str = ""
    document_ids: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()
    """What had to be repaired to read the file (bad bytes replaced, NULs dropped...)."""


@dataclass(frozen=True)
class ImportProgress:
    done: int
    total: int
    result: FileResult


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)
    cancelled: bool = False

    @property
    def imported_documents(self) -> int:
        return sum(r.documents for r in self.results)

    @property
    def duplicate_documents(self) -> int:
        return sum(r.duplicates for r in self.results)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.outcome is Outcome.FAILED]

    @property
    def warned(self) -> list[FileResult]:
        """Files read with repairs the researcher should know about."""
        return [r for r in self.results if r.warnings and r.outcome is not Outcome.FAILED]

    @property
    def document_ids(self) -> list[int]:
        return [i for r in self.results for i in r.document_ids]


def import_paths(
    project: Project,
    paths: Iterable[Path | str],
    options: ImportOptions | None = None,
    cancel: Event | None = None,
) -> Generator[ImportProgress, None, ImportReport]:
    """Import files and folders (recursively); yields after each file, returns the report."""
    options = options or ImportOptions()
    files = collect_files([Path(p) for p in paths])
    report = ImportReport()
    with document_writer(project.engine) as writer:
        for done, path in enumerate(files, start=1):
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                break
            result = import_file(writer, path, options)
            report.results.append(result)
            yield ImportProgress(done=done, total=len(files), result=result)
    return report


def run_import(
    project: Project, paths: Iterable[Path | str], options: ImportOptions | None = None
) -> ImportReport:
    generator = import_paths(project, paths, options)
    while True:
        try:
            next(generator)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


def import_file(writer: DocumentWriter, path: Path, options: ImportOptions) -> FileResult:
    try:
        articles = read_articles(path, options)
    except ImportFileError as exc:
        return FileResult(str(path), Outcome.FAILED, reason=exc.reason)
    except AnnotatorError as exc:
        return FileResult(str(path), Outcome.FAILED, reason=str(exc))
    except Exception as exc:  # an importer bug must not sink the other files
        return FileResult(str(path), Outcome.FAILED, reason=f"unexpected error: {exc!r}")
    ids: list[int] = []
    duplicates = 0
    try:
        with writer.transaction():
            seen: set[str] = set()
            for article in articles:
                digest = text_sha256(article.text)
                if digest in seen or writer.exists(digest):
                    duplicates += 1
                    continue
                seen.add(digest)
                ids.append(writer.add(article, digest))
    except Exception as exc:
        return FileResult(str(path), Outcome.FAILED, reason=f"could not be stored: {exc}")
    outcome = Outcome.IMPORTED if ids else Outcome.DUPLICATE
    reason = "" if ids else "its text is already in the project"
    warnings = tuple(dict.fromkeys(w for article in articles for w in article.warnings))
    return FileResult(
        str(path), outcome, documents=len(ids), duplicates=duplicates, reason=reason,
        document_ids=tuple(ids), warnings=warnings,
    )
