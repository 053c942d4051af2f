"""Importing files into a project: each file whole or not at all, failures reported, not fatal.

A file is reported imported only once the transaction holding it is committed: SQLite undoes
the whole open transaction when the disk is full, so the files written since the last commit
are then reported as failed with the reason, and the import stops with what it saved.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from threading import Event

from annotator.domain.errors import AnnotatorError, ImportFileError, ProjectWriteError
from annotator.domain.model import text_sha256
from annotator.io.importers import ImportOptions, PathProblem, read_articles, scan_paths
from annotator.services.jsonl_exchange import StudyImportReport, import_study_file, is_study_file
from annotator.services.project import Project
from annotator.storage.document_writer import DocumentWriter, document_writer

__all__ = ["ImportOptions", "ImportReport", "Outcome", "import_paths", "run_import"]


class Outcome(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    """Left out on purpose (a link out of the folder), with the reason."""
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
    refused: int = 0
    """Lines of a study file (annotated JSON Lines) not imported; each is named in ``warnings``."""
    merged: int = 0
    """Lines of a study file whose annotations went into a document already in the project."""


@dataclass(frozen=True)
class ImportProgress:
    done: int
    total: int
    result: FileResult


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)
    cancelled: bool = False
    stopped: str = ""
    """Why the import stopped before the end ("study.annotator: the disk is full"), or ""."""
    not_tried: list[str] = field(default_factory=list)
    """Files left untouched because the import stopped."""

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
    def skipped(self) -> list[FileResult]:
        return [r for r in self.results if r.outcome is Outcome.SKIPPED]

    @property
    def document_ids(self) -> list[int]:
        return [i for r in self.results for i in r.document_ids]


def import_paths(
    project: Project,
    paths: Iterable[Path | str],
    options: ImportOptions | None = None,
    cancel: Event | None = None,
) -> Generator[ImportProgress, None, ImportReport]:
    """Import files and folders (recursively); yields each file once it is saved, returns the report."""
    options = options or ImportOptions()
    scan = scan_paths([Path(p) for p in paths], follow_links=options.follow_links)
    files = scan.files
    report = ImportReport()
    total = len(files) + len(scan.problems)

    def publish(results: list[FileResult]) -> Iterator[ImportProgress]:
        for result in results:
            report.results.append(result)
            yield ImportProgress(done=len(report.results), total=total, result=result)

    yield from publish([_problem_result(p) for p in scan.problems])
    with document_writer(project.engine, project.path) as writer:
        unsaved: list[FileResult] = []  # written since the last commit: not reported yet
        error: ProjectWriteError | None = None
        for number, path in enumerate(files):
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                break
            try:
                if is_study_file(path):
                    # it writes in its own units of work: the files before it land first
                    error = _commit(writer)
                    if error is not None:
                        report.not_tried = [str(p) for p in files[number:]]
                        break
                    unsaved.append(_study_file(project, path, cancel))
                else:
                    unsaved.append(import_file(writer, path, options))
                    error = _commit(writer) if writer.commit_due() else None
            except ProjectWriteError as exc:
                writer.rollback()  # whatever SQLite kept of the batch goes too: it is reported lost
                unsaved.append(FileResult(str(path), Outcome.FAILED, reason=_not_saved(exc)))
                error = exc
            if error is not None:
                report.not_tried = [str(p) for p in files[number + 1 :]]
                break
            if not writer.in_transaction:
                yield from publish(unsaved)
                unsaved = []
        if error is None:  # the end, or cancelled: what was written is kept
            error = _commit(writer)
        if error is not None:
            unsaved = [_unsaved(r, error) for r in unsaved]
            report.stopped = f"{error.path}: {error.short}"
        yield from publish(unsaved)
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
    """Read and write one file (not committed yet). Raises ProjectWriteError, the one error
    that ends an import: the transaction, with the files before this one, is gone."""
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
    except ProjectWriteError:
        raise
    except Exception as exc:
        return FileResult(str(path), Outcome.FAILED, reason=f"could not be stored: {exc}")
    outcome = Outcome.IMPORTED if ids else Outcome.DUPLICATE
    reason = "" if ids else "its text is already in the project"
    warnings = tuple(dict.fromkeys(w for article in articles for w in article.warnings))
    return FileResult(
        str(path), outcome, documents=len(ids), duplicates=duplicates, reason=reason,
        document_ids=tuple(ids), warnings=warnings,
    )


def _study_file(project: Project, path: Path, cancel: Event | None) -> FileResult:
    """A .jsonl file with coders' layers: each line lands on its own or is named as refused."""
    try:
        study = import_study_file(project, path, cancel)
    except ImportFileError as exc:
        return FileResult(str(path), Outcome.FAILED, reason=exc.reason)
    return _study_result(study)


def _study_result(study: StudyImportReport) -> FileResult:
    refused = tuple(f"{line} (this line was not imported)" for line in study.refused)
    if study.cancelled_at is not None:
        refused += (f"cancelled at line {study.cancelled_at}: it and the lines after it were "
                    "not imported (import the file again to add them)",)
    if study.landed:
        outcome, reason = Outcome.IMPORTED, ""
    elif study.unchanged:
        outcome, reason = Outcome.DUPLICATE, "everything in it is in the project already"
    elif study.cancelled_at is not None:
        outcome, reason = Outcome.FAILED, "cancelled before any of its lines was imported"
    elif study.refused:
        more = f", and {len(refused) - 1} more line(s)" if len(refused) > 1 else ""
        outcome, reason = Outcome.FAILED, f"no line could be imported: {study.refused[0]}{more}"
    else:
        outcome, reason = Outcome.FAILED, "has no line to import (only blank lines)"
    return FileResult(
        study.path, outcome, documents=len(study.added), duplicates=study.unchanged,
        reason=reason, document_ids=tuple(study.added),
        warnings=refused if outcome is not Outcome.FAILED else (), refused=len(refused),
        merged=study.merged,
    )


def _commit(writer: DocumentWriter) -> ProjectWriteError | None:
    try:
        writer.commit()
    except ProjectWriteError as exc:
        writer.rollback()
        return exc
    return None


def _problem_result(problem: PathProblem) -> FileResult:
    outcome = Outcome.FAILED if problem.failed else Outcome.SKIPPED
    return FileResult(str(problem.path), outcome, reason=problem.reason)


def _not_saved(error: ProjectWriteError) -> str:
    return f"{error.short}; it was not saved"


def _unsaved(result: FileResult, error: ProjectWriteError) -> FileResult:
    """A file written since the last commit, which the failed transaction took with it.

    A duplicate may be one of a file lost with it, so it is not claimed to be in the project.
    """
    if result.outcome not in (Outcome.IMPORTED, Outcome.DUPLICATE):
        return result  # it failed for its own reason, which still holds
    return replace(result, outcome=Outcome.FAILED, documents=0, duplicates=0,
                   reason=_not_saved(error), document_ids=())
