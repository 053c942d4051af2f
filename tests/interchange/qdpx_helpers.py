"""Zipping the REFI-QDA fixture folders into .qdpx files, and reading a project's codings."""

from __future__ import annotations

import zipfile
from pathlib import Path

from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository
from annotator.storage.repositories.codings import CodingRepository

FIXTURES = Path(__file__).parent / "fixtures" / "qdpx"
SCHEMA = FIXTURES / "Project-mrt2019.xsd"

Codings = dict[str, list[tuple[int, int, str, str | None, str]]]


def package(folder: str | Path, out: Path, qde: bytes | None = None) -> Path:
    """A .qdpx of a fixture folder (project.qde and Sources/), project.qde optionally replaced."""
    root = FIXTURES / folder if isinstance(folder, str) else folder
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde if qde is not None else (root / "project.qde").read_bytes())
        for source in sorted((root / "Sources").glob("*")):
            archive.write(source, f"Sources/{source.name}")
    return out


def codings_of(project: Project) -> Codings:
    """text -> sorted (start, end, code, coder, memo) of its codings."""
    found: Codings = {}
    with project.read_session() as session:
        documents = DocumentRepository(session)
        rows = CodingRepository(session).all()
        for document_id in documents.ids():
            text = documents.get(document_id).text
            found[text] = sorted((c.start, c.end, c.code, c.coder, c.memo)
                                 for c in rows if c.document_id == document_id)
    return found
