"""Every error a researcher can meet, each with a message that says what went wrong and where."""

from __future__ import annotations

import shlex


class AnnotatorError(Exception):
    """Base of all errors shown to the user; ``str(error)`` is the message to show."""


class ProjectError(AnnotatorError):
    """The project file cannot be opened or used."""


class NotAProjectError(ProjectError):
    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: not an Annotator project ({reason})")
        self.path = path


class NewerSchemaError(ProjectError):
    def __init__(self, path: object, revision: str) -> None:
        super().__init__(
            f"{path}: this project was saved by a newer version of Annotator "
            f"(schema {revision}); update Annotator to open it"
        )
        self.path = path


class ProjectWriteError(ProjectError):
    """The project file could not be written: the unfinished action was not saved at all.

    SQLite undoes the whole open transaction on such errors, so whatever was not reported as
    saved before this error is not in the file; what was reported saved still is.
    """

    short = "the project file could not be written"
    """A few words for lists of what was not saved (``str(error)`` is the full line)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DiskFullError(ProjectWriteError):
    """The disk (or the project's size limit) is full."""

    short = "the disk is full"

    def __init__(self, path: object) -> None:
        super().__init__(
            path, "the disk is full, so this change could not be saved; free some space and try again"
        )


class ImportFileError(AnnotatorError):
    """One file could not be imported; the other files of the import are unaffected."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class SpanError(AnnotatorError):
    """A span's offsets or text do not fit its document."""


class OverlapError(SpanError):
    def __init__(self, start: int, end: int, other_start: int, other_end: int) -> None:
        super().__init__(
            f"span {start}-{end} overlaps the entity at {other_start}-{other_end}"
        )
        self.start, self.end = start, end
        self.other = (other_start, other_end)


class CodebookError(AnnotatorError):
    """The codebook or a coded value breaks the codebook's rules."""


class NotFoundError(AnnotatorError):
    """A document, span, claim or label asked for does not exist (any more)."""


class ModelError(AnnotatorError):
    """The spaCy pipeline is missing or cannot be loaded."""


class ExportError(AnnotatorError):
    """The export could not be written."""


class ProjectBusyError(ProjectError):
    """Another program kept the project's write lock longer than a writer waits."""

    def __init__(self, path: object, seconds: float) -> None:
        super().__init__(
            f"{path}: another Annotator program kept the project busy for {seconds:.0f} s; "
            f"nothing was changed, try again when it has finished"
        )
        self.path = path


class ReadOnlyProjectError(ProjectError):
    """The project can be read but not changed (file or folder write-protected)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path} is read-only: {reason}")
        self.path = path
        self.reason = reason


class DamagedProjectError(ProjectError):
    """The project file fails SQLite's integrity check: refuse to write into it."""

    def __init__(self, path: object, detail: str) -> None:
        super().__init__(
            f"{path} is damaged ({detail}); nothing was changed. Restore your latest backup "
            f"(a '.backup-' copy beside it or a copy made with `annotator backup`), or rescue "
            f"what is left with: sqlite3 {shlex.quote(str(path))} .recover | sqlite3 rescued.annotator"
        )
        self.path = path


class ProjectInUseError(ProjectError):
    """The project is open in another Annotator window (possibly on another computer)."""

    def __init__(self, path: object, user: str, host: str, since: str) -> None:
        name = getattr(path, "name", str(path))
        super().__init__(
            f"{name} is open in another Annotator window ({user}@{host}, since {since})"
        )
        self.path, self.user, self.host, self.since = path, user, host, since


class BackupError(ProjectError):
    """A copy of the project could not be made."""


class IncompleteProjectError(ProjectError):
    """The project has no labels: its creation was interrupted before the codebook was saved."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"{path}: the project has no labels in its codebook (its creation was probably "
            f"interrupted); give it one with "
            f"`annotator codebook import {shlex.quote(str(path))} CODEBOOK.json`, "
            f"or delete it and create it again"
        )
        self.path = path


class DocumentDetailsError(AnnotatorError):
    """A document's title, outlet, date or URL as typed cannot be stored."""


class LayerError(AnnotatorError):
    """A change to another coder's work: each coder changes only their own layer."""


class AssignmentError(AnnotatorError):
    """Documents cannot be handed to coders as asked (bad overlap, coder names, no documents)."""


class CoderError(AnnotatorError):
    """A coder named in a command does not exist, or cannot be added or changed as asked."""


class StudyLineError(AnnotatorError):
    """One line of a study file (annotated JSON Lines) cannot be imported; the others can."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PackageError(AnnotatorError):
    """A coder's package cannot be made, or cannot be merged into the project (nothing changed)."""


class CodebookMismatchError(PackageError):
    """A package was coded with another codebook: merging would mix meanings, so it is refused."""

    def __init__(self, package: object, project: object, differences: list[str]) -> None:
        super().__init__(
            f"{package}: its codebook differs from that of {project}, so nothing was merged: "
            + "; ".join(differences)
            + " (give both the same codebook with `annotator codebook export` and `import`, then merge again)"
        )
        self.differences = differences


class AgreementError(AnnotatorError):
    """Agreement cannot be computed as asked (an unknown coder, fewer than two coders)."""


class TrainingError(AnnotatorError):
    """A training from corrections that cannot start or finish (too few finished documents...)."""


class ServerUnreachableError(ProjectError):
    """The PostgreSQL server of a project cannot be reached (down, wrong address, network)."""

    def __init__(self, location: object, address: str, reason: str) -> None:
        super().__init__(f"{location}: cannot reach the server at {address}: {reason}")
        self.path, self.address, self.reason = location, address, reason


class ServerAuthenticationError(ProjectError):
    """The server refused the user name or password (the app then asks for the password)."""

    def __init__(self, location: object, reason: str) -> None:
        super().__init__(f"{location}: the server refused the login ({reason})")
        self.path, self.reason = location, reason


class CopyError(ProjectError):
    """A project could not be copied; the target was left as it was (nothing half-filled)."""
