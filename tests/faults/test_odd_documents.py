"""Issue 9 point 10: encrypted PDFs, deeply nested HTML and entity references in .docx.

What can be opened is read in full; the rest is refused naming the real reason, never
"may be damaged" and never a silent cut.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.errors import DependencyError

from annotator.io.importers import pdf
from tests.io.fixtures import make_fixtures as made
from tests.io.importers.helpers import fixture, read_one, refused

PDF_TEXT = "Council approves budget\nThe vote was 7 to 2.\n\nPage two text."


def _encrypted(tmp_path: Path, algorithm: str, user_password: str = "") -> Path:
    writer = PdfWriter()
    writer.append(PdfReader(fixture("text.pdf")))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "report.pdf"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "AES-256-R5"])
def test_aes_encrypted_pdf_without_a_user_password_is_read(tmp_path: Path, algorithm: str) -> None:
    assert read_one(_encrypted(tmp_path, algorithm)).text == PDF_TEXT


def test_aes_encrypted_pdf_with_a_password_says_so(tmp_path: Path) -> None:
    reason = refused(_encrypted(tmp_path, "AES-256", "secret"), "is password-protected:")
    assert "damaged" not in reason


def test_certificate_encrypted_pdf_names_the_reason(tmp_path: Path) -> None:
    path = _encrypted(tmp_path, "AES-128")
    path.write_bytes(path.read_bytes().replace(b"/Filter /Standard", b"/Filter /Adobe.PubSec"))
    reason = refused(path, "is encrypted in a way Annotator cannot open", "certificate")
    assert "damaged" not in reason


def test_missing_cryptography_is_named_not_called_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def needs_cryptography(self: PdfReader, password: str) -> None:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(pdf.PdfReader, "decrypt", needs_cryptography)
    reason = refused(_encrypted(tmp_path, "AES-128"), "'cryptography' package")
    assert "damaged" not in reason


# ---------------------------------------------------------------- deeply nested HTML

def test_twenty_thousand_unclosed_spans_are_read_to_the_last_word(tmp_path: Path) -> None:
    path = tmp_path / "spans.html"
    words = [f"w{i}" for i in range(20_000)]
    path.write_text(
        "<html><head><title>Spans</title></head><body><p>"
        + "".join(f"<span>{word} " for word in words) + "</p></body></html>",
        encoding="utf-8",
    )
    article = read_one(path)
    assert article.text.split() == words
    assert article.title == "Spans"
    assert any("nests its elements too deeply" in warning for warning in article.warnings)


def test_five_thousand_nested_divs_are_not_judged_empty(tmp_path: Path) -> None:
    path = tmp_path / "divs.html"
    path.write_text(
        "<html><body><nav>Menu</nav>" + "<div>" * 5000
        + "<p>The council met on Tuesday.</p><p>It approved the budget.</p>"
        + "</div>" * 5000 + "<script>var x = 1;</script></body></html>",
        encoding="utf-8",
    )
    article = read_one(path)
    assert article.text == "The council met on Tuesday.\nIt approved the budget."


def test_a_normal_page_has_no_depth_warning(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body>" + "<div>" * 100 + "<p>Fine text here.</p>" + "</div>" * 100
                    + "</body></html>", encoding="utf-8")
    assert read_one(path).warnings == ()


# ---------------------------------------------------------------- entities in .docx

def _docx_with_doctype(body: str, doctype: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(made.docx_bytes(body))) as package:
        members = {name: package.read(name).decode() for name in package.namelist()}
    document = members["word/document.xml"]
    members["word/document.xml"] = document.replace("<w:document", doctype + "<w:document", 1)
    return made.zip_bytes(members)


def test_text_after_an_entity_reference_is_kept_and_no_external_entity_is_resolved(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    path = tmp_path / "entity.docx"
    path.write_bytes(_docx_with_doctype(made._p("Before &xxe; after") + made._p("Next"), doctype))
    article = read_one(path)
    assert article.text == "Before &xxe; after\nNext"
    assert "TOP SECRET" not in article.text


def test_internal_entities_are_not_expanded_either(tmp_path: Path) -> None:
    laughs = '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    path = tmp_path / "laughs.docx"
    path.write_bytes(
        _docx_with_doctype(made._p("A &lol2; B"), f"<!DOCTYPE w:document [{laughs}]>")
    )
    assert read_one(path).text == "A &lol2; B"
