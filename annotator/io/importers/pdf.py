"""PDF files: the text layer of every page, pages separated by a blank line."""

from __future__ import annotations

import logging
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.fields import document, is_blank
from annotator.io.importers.options import ImportOptions

PAGE_SEPARATOR = "\n\n"
# pypdf logs what it repairs ("EOF marker not found"); with no handler anywhere, Python would
# print that on stderr beside the one-line reason Annotator gives for a file it refuses.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def read(path: Path, data: bytes, options: ImportOptions) -> list[NewDocument]:
    try:
        reader = PdfReader(BytesIO(data))
        _unlock(reader, path)
        text = PAGE_SEPARATOR.join(page.extract_text() or "" for page in reader.pages)
    except ImportFileError:
        raise
    except FileNotDecryptedError as exc:
        raise ImportFileError(path, _PASSWORD) from exc
    except DependencyError as exc:  # pypdf[crypto] installs it; a broken install may lack it
        raise ImportFileError(path, _NEEDS_CRYPTOGRAPHY) from exc
    except NotImplementedError as exc:  # certificate security, unknown encryption versions
        raise ImportFileError(path, _UNSUPPORTED) from exc
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise ImportFileError(path, f"cannot read this PDF (it may be damaged): {_describe(exc)}") from exc
    if is_blank(text):
        raise ImportFileError(path, "has no text layer (scanned?); run OCR first")
    title, author = _info(reader)
    return [document(path, text, title=title, author=author)]


_PASSWORD = (
    "is password-protected: it opens only with its password; save an unprotected copy "
    "(for example, print it to a new PDF) and import that"
)
_NEEDS_CRYPTOGRAPHY = (
    "is encrypted with AES, and the 'cryptography' package that reads it is missing; "
    "reinstall Annotator (pip install annotator) or save an unprotected copy"
)
_UNSUPPORTED = (
    "is encrypted in a way Annotator cannot open (certificate security or an unknown method); "
    "save an unprotected copy and import that"
)


def _unlock(reader: PdfReader, path: Path) -> None:
    """Many PDFs are encrypted with an empty password only to restrict printing or copying:
    those open (AES needs ``cryptography``, a dependency); the others need their password."""
    if not reader.is_encrypted:
        return
    unlocked = reader.decrypt("")  # its errors are named in read()
    if not unlocked:
        raise ImportFileError(path, _PASSWORD)


def _info(reader: PdfReader) -> tuple[str | None, str | None]:
    try:
        info = reader.metadata
        if info is None:
            return None, None
        return _plain(info.title), _plain(info.author)
    except Exception:  # odd metadata must not cost the text
        return None, None


def _plain(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _describe(exc: Exception) -> str:
    return str(exc) or type(exc).__name__
