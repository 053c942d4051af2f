"""PDF files: text layer per page, metadata, scanned, encrypted and broken files."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from tests.io.importers.helpers import fixture, read_one, refused


def test_pages_are_joined_by_a_blank_line_and_metadata_is_used() -> None:
    article = read_one(fixture("text.pdf"))
    assert article.text == "Council approves budget\nThe vote was 7 to 2.\n\nPage two text."
    assert article.title == "Budget report"
    assert article.author == "City Desk"
    assert article.original_filename == "text.pdf"


def test_pdf_without_text_layer_says_to_run_ocr() -> None:
    refused(fixture("scanned.pdf"), "has no text layer (scanned?); run OCR first")


def test_broken_pdf_is_refused() -> None:
    refused(fixture("broken.pdf"), "cannot read this PDF")


def _encrypted(tmp_path: Path, user_password: str) -> Path:
    writer = PdfWriter()
    writer.append(PdfReader(fixture("text.pdf")))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "locked.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    refused(_encrypted(tmp_path, "secret"), "password-protected")


def test_pdf_encrypted_with_an_empty_password_is_read(tmp_path: Path) -> None:
    article = read_one(_encrypted(tmp_path, ""))
    assert article.text == "Council approves budget\nThe vote was 7 to 2.\n\nPage two text."
    assert article.title == "locked"  # the writer did not copy the metadata
