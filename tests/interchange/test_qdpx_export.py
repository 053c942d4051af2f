"""REFI-QDA (.qdpx) out: project.qde valid against the REFI-QDA project schema, sources as
UTF-8 text, every coder as a user, claims as codings of "claim" with their variables."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from annotator.domain.codings import Coding
from annotator.domain.errors import ExportError
from annotator.services.claims import ClaimCoding
from annotator.services.interchange_export import export_annotated
from annotator.storage.repositories import DocumentRepository
from annotator.storage.repositories.codings import CodingRepository
from tests.interchange.helpers import coded_project
from tests.interchange.qdpx_helpers import SCHEMA

Q = "{urn:QDA-XML:project:1.0}"
TEXT = "Emoji 😀 first.\r\nImran Khan said prices rose."


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, object]:
    start = TEXT.index("Imran")
    with coded_project(tmp_path / "study.annotator", [(TEXT, [(start, start + 10, "PERSON")])],
                       "ayesha") as project:
        with project.session() as session:
            document_id = DocumentRepository(session).ids()[0]
            CodingRepository(session).add([
                Coding(document_id, start, len(TEXT), TEXT[start:], "prices", "bilal", "his memo"),
                Coding(document_id, start, len(TEXT), TEXT[start:], "blame", "ayesha"),
            ])
        coding = ClaimCoding(project, coder="ayesha")
        claim = coding.create(document_id, start, len(TEXT)).after
        coding.set_value(claim.id, "form", "statement")
        coding.set_value(claim.id, "frames", ("economy",))
        out = tmp_path / "study.qdpx"
        summary = export_annotated(project, out, "qdpx")
        return out, summary


def _qde(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("project.qde"))


def test_the_project_is_valid_against_the_refi_qda_schema(exported: tuple[Path, object]) -> None:
    out, _ = exported
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    root = _qde(out)
    assert schema.validate(root.getroottree()), schema.error_log
    assert root.get("origin") == "Annotator" and root.get("name") == "study"


def test_sources_are_utf8_text_and_positions_code_points(exported: tuple[Path, object]) -> None:
    out, _ = exported
    root = _qde(out)
    (source,) = root.iter(f"{Q}TextSource")
    name = source.get("plainTextPath").removeprefix("internal://")
    with zipfile.ZipFile(out) as package:
        assert package.read(f"Sources/{name}") == TEXT.encode("utf-8")  # CRLF kept, no BOM
    person = next(s for s in source.iter(f"{Q}PlainTextSelection") if s.get("name") == "Imran Khan")
    assert int(person.get("startPosition")) == TEXT.index("Imran")  # the emoji counts once


def test_every_coder_is_a_user_and_claims_carry_their_variables(exported: tuple[Path, object]) -> None:
    out, summary = exported
    root = _qde(out)
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{Q}User")}
    assert sorted(users.values()) == ["ayesha", "bilal"]
    codes = {c.get("guid"): c.get("name") for c in root.iter(f"{Q}Code")}
    assert {"Annotator entities", "PERSON", "ORG", "LOCATION", "prices", "blame", "claim"} <= set(codes.values())
    found = sorted(
        (codes[s.find(f"{Q}Coding/{Q}CodeRef").get("targetGUID")], users[s.get("creatingUser")],
         s.findtext(f"{Q}Description") or "")
        for s in root.iter(f"{Q}PlainTextSelection")
    )
    assert found == [("PERSON", "ayesha", ""), ("blame", "ayesha", ""),
                     ("claim", "ayesha", "form: statement\nframes: economy"),
                     ("prices", "bilal", "his memo")]
    assert (summary.documents, summary.entities, summary.codings, summary.claims) == (1, 1, 2, 1)
    assert summary.lost_line() == "Nothing was left out: qdpx holds all of it."


def test_one_coder_keeps_only_that_layer_and_says_what_it_left(tmp_path: Path) -> None:
    with coded_project(tmp_path / "p.annotator", [(TEXT, [(0, 5, "ORG")])], "ayesha") as project:
        with project.session() as session:
            CodingRepository(session).add([Coding(1, 0, 5, "Emoji", "x", "bilal")])
        summary = export_annotated(project, tmp_path / "p.qdpx", "qdpx", coder="ayesha")
        final = export_annotated(project, tmp_path / "f.qdpx", "qdpx", final=True)
        with pytest.raises(ExportError, match=r"ending in \.qdpx"):
            export_annotated(project, tmp_path / "p.zip", "qdpx")
    assert summary.codings == 0 and summary.entities == 1
    assert summary.lost_line() == "Not represented in qdpx: 1 codings of other coders."
    assert final.entities == 0
    assert "1 codings (the final layer has none)" in final.lost_line()


def test_other_formats_count_the_codings_they_leave_out(tmp_path: Path) -> None:
    with coded_project(tmp_path / "p.annotator", [(TEXT, [])], "ayesha") as project:
        with project.session() as session:
            CodingRepository(session).add([Coding(1, 0, 5, "Emoji", "x", "bilal")])
        summary = export_annotated(project, tmp_path / "p.jsonl", "doccano")
    assert "1 codings of the code layer" in summary.lost_line()
