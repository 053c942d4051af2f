"""Every error a researcher can meet, each with a message that says what went wrong and where."""

from __future__ import annotations


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


class DocumentDetailsError(AnnotatorError):
    """A document's title, outlet, date or URL as typed cannot be stored."""
