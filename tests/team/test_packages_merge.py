"""Merging coders' packages back: round trips, twice, newer wins, older skipped (issue 11)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain.model import (
    Claim,
    DocumentStatus,
    EntityRef,
    EntitySpan,
    NewDocument,
)
from annotator.domain.packages import EMPTY, Outcome, merge_outcome
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    DocumentRepository,
    SpanRepository,
)
from tests.team.packages_helpers import (
    TEXTS,
    Study,
    claim,
    entity,
    layer,
    make_study,
    merged,
    package_of,
    status,
    table_rows,
)


@pytest.fixture
def study(tmp_path: Path) -> Study:
    return make_study(tmp_path / "study.annotator")


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
