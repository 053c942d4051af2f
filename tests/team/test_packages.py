"""Coder packages for offline work: what a package holds, refusals, the commands (issue 11)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from annotator.cli import main as cli_main
from annotator.domain.errors import CodebookMismatchError, PackageError
from annotator.domain.model import (
    CategoryValue,
    ClaimField,
    CoderRole,
    FieldKind,
    SpanStatus,
)
from annotator.domain.packages import codebook_differences
from annotator.services.codebook import CodebookService
from annotator.services.packages import make_package, merge
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)
from tests.conftest import SMALL_CODEBOOK
from tests.team.packages_helpers import (
    Study,
    entity,
    info,
    layer,
    make_study,
    merged,
    package_of,
    table_rows,
)


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return make_study(tmp_path / "study.annotator")


# -- the package -------------------------------------------------------------------------------
def test_package_holds_alices_documents_and_layer_only(study: Study) -> None:
    out = package_of(study)
    with Project.open(out) as package, package.read_session() as session:  # opens for writing
        documents = DocumentRepository(session)
        assert set(documents.ids()) == {study.docs["one"], study.docs["two"]}  # ids kept
        assert CoderRepository(session).all()[0].name == "alice"
        assert len(CoderRepository(session).all()) == 1
        spans = SpanRepository(session).for_document(study.docs["one"])
        assert {(s.text, s.annotator, s.status) for s in spans} == {
            ("Sharif", None, SpanStatus.SUGGESTED), ("Sharif", "alice", SpanStatus.ACCEPTED),
        }  # Bob's Munir is not there
        assert {s.annotator for s in SpanRepository(session).for_document(study.docs["two"])} == {None}
        assert [c.annotator for c in ClaimRepository(session).for_document(study.docs["one"])] == ["alice"]
        assert ClaimRepository(session).for_document(study.docs["two"]) == []  # Bob's claim
        assert documents.ids("Islamabad") == [study.docs["one"]]  # the search index is rebuilt
        runs = session.execute(sql("SELECT document_id FROM model_runs")).scalars()
        assert sorted(runs) == sorted([study.docs["one"], study.docs["two"]])
        codebook = package.codebook()
    with Project(study.path, read_only=True) as project:
        assert codebook == project.codebook()
    assert layer(out, "alice") == layer(study.path, "alice")
    assert layer(out, "bob") == {}
    facts, original = info(out), info(study.path)
    assert facts["study_id"] == original["study_id"]
    assert facts["package_of"] == "alice"
    assert datetime.fromisoformat(facts["packaged_at"]).tzinfo is not None
    assert "package_of" not in original


def test_a_project_without_assignments_packages_every_document_and_keeps_the_role(tmp_path: Path) -> None:
    study = make_study(tmp_path / "study.annotator", assign=False)
    out = package_of(study, "paula")
    with Project(out, read_only=True) as package, package.read_session() as session:
        assert DocumentRepository(session).count() == 3
        assert [(c.name, c.role) for c in CoderRepository(session).all()] == [("paula", CoderRole.PI)]
        assert SpanRepository(session).counts()["by_status"]["accepted"] == 0  # no one else's work


def test_package_refusals_are_one_line_and_write_nothing(study: Study) -> None:
    out = study.path.with_name("alice.annotator")
    with pytest.raises(PackageError, match=r"no coder named 'zoe'.*alice, bob, paula"):
        make_package(study.path, "zoe", out)
    with pytest.raises(PackageError, match="no documents are assigned to paula"):
        make_package(study.path, "paula", out)
    assert not out.exists()
    out.write_text("mine")
    with pytest.raises(PackageError, match=r"exists already.*--force"):
        make_package(study.path, "alice", out)
    assert out.read_text() == "mine"
    make_package(study.path, "alice", out, force=True)
    assert info(out)["package_of"] == "alice"
    with pytest.raises(PackageError, match="cannot replace the project itself"):
        make_package(study.path, "alice", study.path, force=True)
    assert [p.name for p in study.path.parent.iterdir() if p.name.startswith(".")] == []


# -- refusals ----------------------------------------------------------------------------------
def test_a_package_of_another_study_is_refused_naming_both(study: Study, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    foreign = package_of(make_study(tmp_path / "elsewhere" / "study.annotator"))
    before = table_rows(study.path)
    with pytest.raises(PackageError, match=r"alice\.annotator: is a package of another study than study\.annotator"):
        merged(study, foreign)
    assert table_rows(study.path) == before


def test_a_diverged_codebook_is_refused_listing_every_difference(study: Study) -> None:
    out = package_of(study)
    with Project(out) as package:
        service = CodebookService(package, coder="alice")
        book = service.current()
        form = book.field("form")
        assert form is not None
        with_neutral = ClaimField(form.name, form.kind, required=form.required, position=form.position,
                                  values=(*form.values, CategoryValue("neutral")), id=form.id)
        tone = ClaimField("tone", FieldKind.SINGLE, values=(CategoryValue("hostile"),))
        fields = (*(with_neutral if f.name == "form" else f for f in book.fields), tone)
        service.save(type(book)(labels=book.labels, fields=fields, patterns=book.patterns))
        entity(package, study.docs["one"], "Munir", "alice")
    before = table_rows(study.path)
    with pytest.raises(CodebookMismatchError) as refused:
        merged(study, out)
    assert "value neutral of form added" in str(refused.value)
    assert "variable tone added (single with values hostile)" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert table_rows(study.path) == before


def test_codebook_differences_name_labels_variables_kinds_and_values() -> None:
    book = SMALL_CODEBOOK
    other = type(book)(
        labels=(*book.labels[1:], type(book.labels[0])("EVENT", "#000000")),
        fields=tuple(
            ClaimField("note", FieldKind.NUMBER) if f.name == "note"
            else ClaimField(f.name, f.kind, values=f.values[1:]) if f.name == "frames" else f
            for f in book.fields if f.name != "amount"
        ),
    )
    assert codebook_differences(book, other) == [
        "label EVENT added", "label PERSON removed", "variable amount removed",
        "value security of frames removed", "variable note changed from text to number",
    ]
    recoloured = type(book)(labels=tuple(
        type(lb)(lb.name, "#FFFFFF", None, lb.description, lb.spacy_labels, 9 - lb.position)
        for lb in book.labels
    ), fields=book.fields)
    assert codebook_differences(book, recoloured) == []  # colours, keys, order: each coder's own


def test_a_refusal_leaves_the_project_unchanged_even_with_good_packages(study: Study) -> None:
    good = package_of(study)
    with Project(good) as package:
        entity(package, study.docs["one"], "Munir", "alice")
    not_a_package = study.path.with_name("copy.annotator")
    not_a_package.write_bytes(study.path.read_bytes())
    before = table_rows(study.path)
    with pytest.raises(PackageError, match=r"copy\.annotator: is a project, not a coder's package"):
        merged(study, good, not_a_package)
    missing = study.path.with_name("missing.annotator")
    with pytest.raises(PackageError, match="2 packages were refused"):
        merged(study, not_a_package, good, missing)
    with pytest.raises(PackageError, match="is the project itself"):
        merged(study, study.path)
    with Project(good) as package, pytest.raises(PackageError, match="is alice's package, not the study's"):
        merge(package, [not_a_package])
    assert table_rows(study.path) == before


def test_an_error_while_writing_rolls_every_package_back(study: Study, monkeypatch) -> None:
    alice, bob = package_of(study, "alice"), package_of(study, "bob")
    for path, coder in ((alice, "alice"), (bob, "bob")):
        with Project(path) as package:
            entity(package, study.docs["two"], "Hyderabad", coder, label="LOCATION")
    before = table_rows(study.path)
    from annotator.storage import layer_merge

    calls = []
    real = layer_merge.LayerWriter.replace

    def failing(self, coder_id, targets, layer_):  # type: ignore[no-untyped-def]
        calls.append(coder_id)
        if len(calls) == 2:
            raise PackageError("the disk is full")
        return real(self, coder_id, targets, layer_)

    monkeypatch.setattr(layer_merge.LayerWriter, "replace", failing)
    with pytest.raises(PackageError, match="disk is full"):
        merged(study, alice, bob)
    assert table_rows(study.path) == before  # Alice's package, merged first, is undone too


# -- the commands ------------------------------------------------------------------------------
def test_the_package_and_merge_commands(study: Study, capsys) -> None:
    out = study.path.with_name("alice.annotator")
    assert cli_main.run(["package", str(study.path), "--coder", "alice", str(out)], lambda _r: 0) == 0
    said = capsys.readouterr().out
    assert "for alice: 2 documents, 1 entity and 1 claim of theirs" in said
    assert cli_main.run(["package", str(study.path), "--coder", "alice", str(out)], lambda _r: 0) == 2
    assert "exists already" in capsys.readouterr().err
    with Project(out) as package:
        entity(package, study.docs["one"], "Munir", "alice")
    assert cli_main.run(["merge", str(study.path), str(out)], lambda _r: 0) == 0
    said = capsys.readouterr().out
    assert "alice.annotator (alice): 1 document(s) updated, 1 unchanged, 0 added" in said
    assert cli_main.run(["merge", str(study.path), str(study.path)], lambda _r: 0) == 2
    err = capsys.readouterr().err
    assert err.startswith("annotator: error: ") and err.count("\n") == 1
