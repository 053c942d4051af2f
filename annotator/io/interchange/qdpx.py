"""REFI-QDA project exchange (https://www.qdasoftware.org): QualCoder, MAXQDA, ATLAS.ti, NVivo.

Read (``qdpx_read``): each text source becomes a document; each coding of each selection a
coding of the code layer (they may overlap), with its coder (``creatingUser``) and memo
(the selection's Description and the notes it refers to). Codes under "Annotator entities"
(Annotator's own export) come back as entities. Write (``qdpx_write``): every coder's
entities, codings and claims. docs/formats.md has the mapping and its limits.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from annotator.domain.errors import ExportError, ImportFileError
from annotator.io.export.files import replacing
from annotator.io.interchange.paths import files_in, why
from annotator.io.interchange.qdpx_read import read_file
from annotator.io.interchange.qdpx_write import write_package
from annotator.io.interchange.records import (
    ExportDocument,
    ReadOptions,
    Sources,
    WriteOptions,
    Written,
)

SUFFIXES = {".qdpx", ".qde"}


def detect(path: Path) -> bool:
    if path.is_dir():
        return any(p.suffix.lower() in SUFFIXES for p in path.rglob("*") if p.is_file())
    if path.suffix.lower() == ".qde":
        return True
    if path.suffix.lower() != ".qdpx":
        return False
    try:
        with zipfile.ZipFile(path) as package:
            return any(n.lower().endswith(".qde") for n in package.namelist())
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return True  # named .qdpx: the reader says what is wrong with it


def read(paths: list[Path], options: ReadOptions, sources: Sources) -> None:
    seen: set[str] = set()
    for path in files_in(paths, SUFFIXES):
        sources.files += 1
        try:
            documents, codes, skipped = read_file(path)
        except ImportFileError as exc:
            sources.failed.append(str(exc))
            continue
        except OSError as exc:
            sources.failed.append(f"{path}: cannot be read ({why(exc)})")
            continue
        sources.documents.extend(documents)
        sources.skipped.extend(skipped)
        for code in codes:
            if code.name not in seen:
                seen.add(code.name)
                sources.codes.append(code)


def write(out: Path, documents: list[ExportDocument], options: WriteOptions) -> Written:
    if out.suffix.lower() != ".qdpx":
        raise ExportError(f"{out}: a REFI-QDA export needs a file name ending in .qdpx")
    with replacing(out) as temporary, temporary.open("wb") as stream:
        written = write_package(stream, documents, options)
    written.files = [str(out)]
    return written

