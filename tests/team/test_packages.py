"""Coder packages for offline work, and merging them back (issue 11, points 4 and 8)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sql

from annotator.cli import main as cli_main
from annotator.domain.errors import CodebookMismatchError, PackageError
from annotator.domain.model import (
    CategoryValue,
    Claim,
    ClaimField,
    CoderRole,
    DocumentStatus,
    EntityRef,
    EntitySpan,
    FieldKind,
    NewDocument,
    SpanStatus,
)
from annotator.domain.packages import EMPTY, Outcome, codebook_differences, merge_outcome
from annotator.services.codebook import CodebookService
from annotator.services.packages import make_package, merge
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CoderRepository,
    DocumentRepository,
    ProjectInfoRepository,
    SpanRepository,
)
from tests.conftest import SMALL_CODEBOOK
from tests.team.packages_helpers import (
    TEXTS,
    Study,
    claim,
    entity,
    layer,
    make_study,
    status,
    table_rows,
)


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return make_study(tmp_path / "study.annotator")


def package_of(study: Study, coder: str = "alice", name: str | None = None) -> Path:
    out = study.path.with_name(name or f"{coder}.annotator")
    make_package(study.path, coder, out)
    return out


def merged(study: Study, *packages: Path):  # type: ignore[no-untyped-def]
    with Project(study.path) as project:
        return merge(project, packages).packages


def info(path: Path) -> dict[str, str]:
    with Project(path, read_only=True) as project, project.read_session() as session:
        return ProjectInfoRepository(session).all()


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


# -- merging -----------------------------------------------------------------------------------
def test_work_done_in_the_package_comes_back_with_its_links(study: Study) -> None:
    out = package_of(study)
    with Project(out) as package:
        munir = entity(package, study.docs["one"], "Munir", "alice")
        with package.read_session() as session:
            shared = next(s for s in SpanRepository(session).for_document(study.docs["two"])
                          if s.annotator is None)
        claim(package, study.docs["one"], "alice", munir, start=31, end=50)
        claim(package, study.docs["two"], "alice", shared, form="demand")  # links a suggestion
        status(package, study.docs["one"], "alice", DocumentStatus.DONE)
    bob_before = layer(study.path, "bob")
    [report] = merged(study, out)
    assert (report.coder, report.updated, report.unchanged, report.added, report.older) == ("alice", 2, 0, 0, 0)
    assert layer(study.path, "alice") == layer(out, "alice")  # links point at the right rows
    assert layer(study.path, "bob") == bob_before
    with Project(study.path, read_only=True) as project, project.read_session() as session:
        claims = ClaimRepository(session).for_document(study.docs["two"])
        link = next(c for c in claims if c.annotator == "alice").values["claimant"]
        assert isinstance(link, EntityRef) and link.span_id is not None
        target = SpanRepository(session).get(link.span_id)
        assert (target.text, target.annotator) == ("Karachi", None)  # the project's own suggestion


def test_merging_the_same_package_twice_changes_nothing(study: Study) -> None:
    out = package_of(study)
    with Project(out) as package:
        entity(package, study.docs["two"], "Hyderabad", "alice", label="LOCATION")
    merged(study, out)
    once = table_rows(study.path)
    [report] = merged(study, out)
    assert (report.updated, report.unchanged, report.added, report.older) == (0, 2, 0, 0)
    assert table_rows(study.path) == once


def test_an_untouched_package_changes_nothing(study: Study) -> None:
    before = table_rows(study.path)
    [report] = merged(study, package_of(study))
    assert (report.updated, report.unchanged) == (0, 2)
    assert table_rows(study.path) == before


def test_the_newer_package_wins_and_an_older_one_is_skipped(study: Study) -> None:
    first, second = package_of(study, name="first.annotator"), package_of(study, name="second.annotator")
    with Project(first) as package:
        entity(package, study.docs["one"], "Munir", "alice")  # older work
    with Project(second) as package:
        entity(package, study.docs["one"], "Islamabad", "alice", label="LOCATION")  # newer work
    [report] = merged(study, second)
    assert report.updated == 1
    [report] = merged(study, first)
    assert (report.updated, report.older, report.unchanged) == (0, 1, 1)
    assert "skipped" in report.describe()
    words = {e[:2] for e in layer(study.path, "alice")[TEXTS["one"]]["entities"]}
    assert words == {(0, 6), (20, 29)}  # Sharif and Islamabad: the second package's


def test_a_newer_package_replaces_older_work_merged_before(study: Study) -> None:
    first = package_of(study, name="first.annotator")
    with Project(first) as package:
        entity(package, study.docs["one"], "Munir", "alice")
    merged(study, first)
    with Project(first) as package:  # Alice goes on working in the same package
        claim(package, study.docs["one"], "alice", None, start=31, end=60)
        with package.session() as session:
            munir = next(s for s in SpanRepository(session).for_document(study.docs["one"])
                         if s.text == "Munir")
            assert munir.id is not None
            SpanRepository(session).delete(munir.id)
    [report] = merged(study, first)
    assert report.updated == 1
    assert layer(study.path, "alice") == layer(first, "alice")


def test_two_packages_of_two_coders_merge_in_one_go(study: Study) -> None:
    alice, bob = package_of(study, "alice"), package_of(study, "bob")
    with Project(alice) as package:
        entity(package, study.docs["two"], "Hyderabad", "alice", label="LOCATION")
    with Project(bob) as package:
        entity(package, study.docs["three"], "Lahore", "bob", label="LOCATION")
    reports = merged(study, alice, bob)
    assert [(r.coder, r.updated) for r in reports] == [("alice", 1), ("bob", 1)]
    assert layer(study.path, "alice") == layer(alice, "alice")
    assert layer(study.path, "bob")[TEXTS["three"]] == layer(bob, "bob")[TEXTS["three"]]


def test_a_document_the_project_lacks_is_added_with_its_work(study: Study) -> None:
    out = package_of(study)
    text = "Ministers met in Quetta on Friday."
    with Project(out) as package:
        with package.session() as session:
            new = DocumentRepository(session).add(NewDocument(text=text, title="Quetta", source="Dawn"))
        quetta = entity(package, new, "Quetta", "alice", label="LOCATION")
        claim(package, new, "alice", quetta, start=0, end=16)
    [report] = merged(study, out)
    assert (report.added, report.updated) == (1, 0)
    assert layer(study.path, "alice")[text] == layer(out, "alice")[text]
    with Project(study.path, read_only=True) as project, project.read_session() as session:
        docs = DocumentRepository(session)
        [added] = [docs.get(i) for i in docs.ids() if docs.get(i).text == text]
        assert (added.title, added.source) == ("Quetta", "Dawn")
    with Project(study.path) as project, project.session() as session:
        assert DocumentRepository(session).ids("Quetta") == [added.id]  # found by the search


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


def test_work_that_only_deleted_comes_back_too(study: Study) -> None:
    out = package_of(study)
    with Project(out) as package, package.session() as session:
        spans = SpanRepository(session)
        [own] = [s for s in spans.for_document(study.docs["one"]) if s.annotator == "alice"]
        assert own.id is not None
        spans.delete(own.id)  # Alice's only entity: her remaining work is older than before
    [report] = merged(study, out)
    assert (report.updated, report.older) == (1, 0)
    assert layer(study.path, "alice")[TEXTS["one"]]["entities"] == []
    assert layer(study.path, "alice") == layer(out, "alice")


def test_a_package_unchanged_while_the_project_went_on_is_skipped(study: Study) -> None:
    out = package_of(study)
    with Project(study.path) as project:
        entity(project, study.docs["one"], "Munir", "alice")  # Alice went on in the project itself
    after = layer(study.path, "alice")
    [report] = merged(study, out)
    assert (report.updated, report.older, report.unchanged) == (0, 1, 1)
    assert layer(study.path, "alice") == after


T0, T1, T2 = (datetime(2026, 12, 1, h) for h in (9, 10, 11))


@pytest.mark.parametrize(("theirs", "ours", "base", "expected"), [
    ((1, 0, T0), (1, 0, T0), (1, 0, T0), Outcome.UNCHANGED),  # untouched, or merged already
    ((2, 0, T1), (1, 0, T0), (1, 0, T0), Outcome.UPDATED),  # coded offline
    ((0, 0, T0), (1, 0, T0), (1, 0, T0), Outcome.UPDATED),  # only deleted offline
    ((1, 0, T0), (2, 0, T1), (1, 0, T0), Outcome.OLDER),  # the project went on
    ((2, 0, T2), (2, 0, T1), (1, 0, T0), Outcome.UPDATED),  # both went on: the later wins
    ((2, 0, T1), (2, 0, T2), (1, 0, T0), Outcome.OLDER),
    ((1, 1, T1), EMPTY, EMPTY, Outcome.UPDATED),  # the project has nothing of the coder
    (EMPTY, (1, 0, T0), None, Outcome.UNCHANGED),  # nothing in a package without a record
    ((1, 0, T1), (1, 0, T0), None, Outcome.UPDATED),  # no record: the later work wins
])
def test_merge_outcome(theirs, ours, base, expected) -> None:  # type: ignore[no-untyped-def]
    assert merge_outcome(theirs, ours, base) is expected


def test_work_coded_in_a_package_under_another_name_is_reported_not_merged(study: Study) -> None:
    out = package_of(study)
    with Project(out) as package:
        entity(package, study.docs["one"], "Munir", "tester")  # the app's coder name was not Alice
    before = table_rows(study.path)
    [report] = merged(study, out)
    assert report.others == ("tester",) and report.updated == 0
    assert "work coded in it as tester was not merged" in report.describe()
    assert table_rows(study.path) == before


# -- any work done offline comes back exactly ----------------------------------------------------
_EDIT = st.one_of(
    st.tuples(st.just("entity"), st.sampled_from(["one", "two"]), st.integers(0, 8),
              st.sampled_from(["PERSON", "ORG", "LOCATION"])),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("claim"), st.sampled_from(["one", "two"]), st.sampled_from(["own", "shared", "none"])),
    st.tuples(st.just("status"), st.sampled_from(["one", "two"]), st.sampled_from(list(DocumentStatus))),
)


def _apply(package: Project, study: Study, edit: tuple) -> None:  # type: ignore[type-arg]
    with package.session() as session:
        spans = SpanRepository(session)
        if edit[0] == "delete":
            own = [s for d in study.docs.values() for s in spans.for_document(d) if s.annotator == "alice"]
            if own and own[edit[1] % len(own)].id is not None:
                spans.delete(own[edit[1] % len(own)].id)  # type: ignore[arg-type]
            return
        doc = study.docs[edit[1]]
        text = TEXTS[edit[1]]
        if edit[0] == "entity":
            words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
            start, end = words[edit[2] % len(words)]
            spans.add(EntitySpan(document_id=doc, start=start, end=end, text=text[start:end],
                                 label=edit[3], annotator="alice"))
        elif edit[0] == "claim":
            here = spans.for_document(doc)
            pick = [s for s in here if (s.annotator == "alice") == (edit[2] == "own")]
            values: dict = {"form": "demand"}
            if edit[2] != "none" and pick:
                values["claimant"] = EntityRef(pick[0].id, pick[0].text)
            ClaimRepository(session).add(Claim(document_id=doc, start=0, end=10, text=text[:10],
                                               values=values, annotator="alice"))
    if edit[0] == "status":
        status(package, study.docs[edit[1]], "alice", edit[2])


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(_EDIT, min_size=1, max_size=8))
def test_any_offline_work_comes_back_exactly_once(tmp_path_factory, edits) -> None:  # type: ignore[no-untyped-def]
    study = make_study(tmp_path_factory.mktemp("study") / "study.annotator")
    out = package_of(study)
    with Project(out) as package:
        for edit in edits:
            _apply(package, study, edit)
    bob = layer(study.path, "bob")
    merged(study, out)
    assert layer(study.path, "alice") == layer(out, "alice")
    assert layer(study.path, "bob") == bob
    once = table_rows(study.path)
    [again] = merged(study, out)
    assert again.updated == 0 and table_rows(study.path) == once
