"""Codebook changes: what they cost in coded data, and imports that never lose data."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from annotator.domain.codebook_json import codebook_to_json
from annotator.domain.model import CategoryValue, NewDocument
from annotator.io.codebook_json import codebook_from_json
from annotator.services.claims import ClaimCoding
from annotator.services.codebook import CodebookService
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository


def coded_project(project: Project) -> int:
    with project.session() as session:
        doc = DocumentRepository(session).add(NewDocument(text="The union demanded higher wages."))
    coding = ClaimCoding(project)
    claim = coding.create(doc, 0, 9).after
    coding.set_value(claim.id, "form", "demand")  # type: ignore[union-attr]
    coding.set_value(claim.id, "frames", ["economy", "rights"])  # type: ignore[union-attr]
    coding.set_value(claim.id, "note", "memo")  # type: ignore[union-attr]
    return doc


def test_removing_values_and_variables_says_how_many_go(project: Project) -> None:
    doc = coded_project(project)
    service = CodebookService(project, coder="lead")
    old = service.current()
    frames = old.field("frames")
    assert frames is not None
    new = replace(
        old,
        fields=tuple(
            replace(f, values=tuple(v for v in f.values if v.code != "rights")) if f.name == "frames" else f
            for f in old.fields if f.name != "note"
        ),
    )
    diff = service.diff(new)
    assert diff.values_lost == 2
    assert "Value 'rights' removed from frames: 1 coded values go." in diff.details
    assert "Variable note removed: 1 coded values go." in diff.details
    service.save(new)
    (claim,) = ClaimCoding(project).claims(doc)
    assert claim.values == {"form": "demand", "frames": ("economy",)}


def test_rename_and_reorder_keep_the_data(project: Project) -> None:
    doc = coded_project(project)
    service = CodebookService(project)
    old = service.current()
    renamed = tuple(replace(f, name="form_of_claim") if f.name == "form" else f for f in old.fields)
    service.save(replace(old, fields=tuple(reversed(renamed))))
    (claim,) = ClaimCoding(project).claims(doc)
    assert claim.values["form_of_claim"] == "demand"
    assert [f.name for f in service.current().fields][-1] == "claimant"


def test_import_keeps_coded_data_and_reports_changes(project: Project, tmp_path: Path) -> None:
    doc = coded_project(project)
    service = CodebookService(project)
    shared = service.current()
    shared = replace(
        shared,
        fields=tuple(
            replace(f, values=(CategoryValue("statement"), CategoryValue("protest")))
            if f.name == "form" else replace(f, id=None)
            for f in shared.fields if f.name != "note"
        ),
    )
    path = tmp_path / "team.json"
    path.write_text(codebook_to_json(shared), encoding="utf-8")
    diff = service.import_json(path)
    assert "New value 'protest' in form." in diff.details
    (claim,) = ClaimCoding(project).claims(doc)
    assert claim.values["form"] == "demand" and claim.values["note"] == "memo"
    current = service.current()
    assert [v.code for v in current.field("form").values] == ["statement", "protest", "demand"]  # type: ignore[union-attr]
    assert current.field("note") is not None


def test_export_round_trip(project: Project, tmp_path: Path) -> None:
    service = CodebookService(project)
    path = tmp_path / "out.json"
    service.export_json(path)
    again = codebook_from_json(path.read_text(encoding="utf-8"))
    assert [f.name for f in again.fields] == [f.name for f in service.current().fields]
