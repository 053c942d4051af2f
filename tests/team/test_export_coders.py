"""Exports of a team's project: every coder's unit is a row naming its coder, `--coder`
exports one coder's layer (their work and the suggestions they have not decided), and the
Documents sheet shows the reliability sample (in_sample), the assignment and each coder's status."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from annotator.cli.main import run
from annotator.domain.errors import ExportError
from annotator.domain.ids import CoderId, DocumentId, SpanId
from annotator.domain.layers import layer_view
from annotator.domain.model import (
    Claim,
    CoderRole,
    DocumentStatus,
    EntityRef,
    EntitySpan,
    NewDocument,
    SpanOrigin,
    SpanStatus,
)
from annotator.services.export import ExportOptions, export_coders, export_project
from annotator.services.export_layers import LayerRule
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)
from tests.ui.conftest import article, settings, window  # noqa: F401 (the main window's fixtures)

SAMPLE = "Sharif met Munir in Lahore. They spoke for an hour."
ALICE_ONLY = "Bhutto spoke in Karachi."
BOB_ONLY = "Khan visited Quetta."


def span(doc: DocumentId, text: str, word: str, label: str, coder: str | None,
         status: SpanStatus) -> EntitySpan:
    start = text.index(word)
    origin = SpanOrigin.MODEL if coder is None else SpanOrigin.MANUAL
    return EntitySpan(document_id=doc, start=start, end=start + len(word), text=word, label=label,
                      origin=origin, status=status, annotator=coder,
                      model_name="en_core_web_sm" if coder is None else None,
                      model_version="3.8.0" if coder is None else None)


@pytest.fixture
def team(project: Project) -> dict[str, int]:
    """Three documents: the sample one coded by alice and bob, one each of their own."""
    ids: dict[str, int] = {}
    with project.session() as session:
        documents, spans, claims = (
            DocumentRepository(session), SpanRepository(session), ClaimRepository(session)
        )
        coders, work = CoderRepository(session), CoderDocumentRepository(session)
        sample = documents.add(NewDocument(text=SAMPLE, title="Sample article"))
        mine = documents.add(NewDocument(text=ALICE_ONLY, title="Alice's article"))
        theirs = documents.add(NewDocument(text=BOB_ONLY, title="Bob's article"))
        ids |= {"sample": sample, "alice_doc": mine, "bob_doc": theirs}
        coders.id_for("pat", CoderRole.PI)  # the PI codes nothing: no column of their own
        alice, bob = coders.id_for("alice"), coders.id_for("bob")
        assert alice is not None and bob is not None
        work.assign([(sample, alice), (sample, bob), (mine, alice), (theirs, bob)])
        work.set_sample([sample])
        work.set_status(sample, alice, DocumentStatus.DONE)
        work.set_status(sample, bob, DocumentStatus.IN_PROGRESS)
        work.set_status(mine, alice, DocumentStatus.DONE)

        def add(name: str, entity: EntitySpan) -> None:
            ids[name] = int(spans.add(entity).id)  # type: ignore[arg-type]

        suggested, accepted, rejected = SpanStatus.SUGGESTED, SpanStatus.ACCEPTED, SpanStatus.REJECTED
        for word, label in [("Sharif", "PERSON"), ("Munir", "PERSON"), ("Lahore", "LOCATION")]:
            add(f"shared_{word}", span(sample, SAMPLE, word, label, None, suggested))
        add("alice_Sharif", span(sample, SAMPLE, "Sharif", "PERSON", "alice", accepted))
        add("alice_Munir", span(sample, SAMPLE, "Munir", "PERSON", "alice", rejected))
        add("bob_Sharif", span(sample, SAMPLE, "Sharif", "ORG", "bob", accepted))
        add("bob_Lahore", span(sample, SAMPLE, "Lahore", "LOCATION", "bob", accepted))
        add("alice_Bhutto", span(mine, ALICE_ONLY, "Bhutto", "PERSON", "alice", accepted))
        add("shared_Quetta", span(theirs, BOB_ONLY, "Quetta", "LOCATION", None, suggested))

        end = SAMPLE.index(".") + 1
        ids["alice_claim"] = int(claims.add(Claim(  # type: ignore[arg-type]
            document_id=sample, start=0, end=end, text=SAMPLE[:end], annotator="alice",
            values={"claimant": EntityRef(SpanId(ids["alice_Sharif"]), "Sharif"), "form": "statement",
                    "position": 1},
        )).id)
        # bob's claimant is a suggestion he has not decided: it must be in his export
        ids["bob_claim"] = int(claims.add(Claim(  # type: ignore[arg-type]
            document_id=sample, start=0, end=end, text=SAMPLE[:end], annotator="bob",
            values={"claimant": EntityRef(SpanId(ids["shared_Munir"]), "Munir"), "form": "demand"},
        )).id)
    return ids


def sheet(path: Path, name: str) -> list[dict[str, object]]:
    values = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def headers(path: Path, name: str) -> list[object]:
    return [c.value for c in load_workbook(path)[name][1]]


def units(path: Path) -> set[tuple[object, ...]]:
    return {(r["document_id"], r["text"], r["label"], r["status"], r["coder"]) for r in sheet(path, "Entities")}


def test_every_coders_unit_is_a_row_naming_its_coder(
    project: Project, team: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "all.xlsx"
    export_project(project, out)
    sample, mine = team["sample"], team["alice_doc"]
    assert units(out) == {
        (sample, "Sharif", "PERSON", "accepted", "alice"), (sample, "Sharif", "ORG", "accepted", "bob"),
        (sample, "Lahore", "LOCATION", "accepted", "bob"), (mine, "Bhutto", "PERSON", "accepted", "alice"),
        # the suggestion bob's claim names is listed, so every *_entity_id is found
        (sample, "Munir", "PERSON", "suggested", None),
    }
    entity_headers = headers(out, "Entities")
    assert "annotator" not in entity_headers and entity_headers.count("coder") == 1
    assert entity_headers.index("coder") == entity_headers.index("status") + 2  # status, origin, coder
    claims = {c["claim_id"]: c for c in sheet(out, "Claims")}
    assert claims[team["alice_claim"]]["coder"] == "alice" and claims[team["bob_claim"]]["coder"] == "bob"
    assert claims[team["alice_claim"]]["claimant_entity_id"] == team["alice_Sharif"]


def test_shared_suggestions_show_until_every_coder_with_the_document_decided_them(
    project: Project, team: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "all.xlsx"
    export_project(project, out, ExportOptions(include_suggestions=True))
    rows = sheet(out, "Entities")
    shared = {r["text"] for r in rows if r["coder"] is None}
    # Sharif: both decided; Munir: bob has not (alice rejected it); Lahore: alice has not;
    # Quetta: bob's document, bob has not
    assert shared == {"Munir", "Lahore", "Quetta"}
    assert all(r["status"] == "suggested" and r["origin"] == "model" for r in rows if r["coder"] is None)
    assert ("Munir", "rejected", "alice") in {(r["text"], r["status"], r["coder"]) for r in rows}
    assert len(rows) == 8  # five own entities, three shared suggestions
    documents = {r["document_id"]: r for r in sheet(out, "Documents")}
    counts = documents[team["sample"]]
    assert (counts["entities_accepted"], counts["entities_rejected"], counts["entities_suggested"]) == (3, 1, 2)
    assert (counts["claims_complete"] or 0) + (counts["claims_incomplete"] or 0) == 2
    matrix = {r["document_id"]: r for r in sheet(out, "Matrix")}
    assert (matrix[team["sample"]]["PERSON"], matrix[team["sample"]]["LOCATION"]) == (3, 2)


def test_one_coders_layer_with_the_suggestions_they_still_see(
    project: Project, team: dict[str, int], tmp_path: Path
) -> None:
    sample = team["sample"]
    alice = tmp_path / "alice.xlsx"
    export_project(project, alice, ExportOptions(include_suggestions=True, coder="alice"))
    assert units(alice) == {
        (sample, "Sharif", "PERSON", "accepted", "alice"), (sample, "Munir", "PERSON", "rejected", "alice"),
        (sample, "Lahore", "LOCATION", "suggested", None),  # bob's decision does not hide it from her
        (team["alice_doc"], "Bhutto", "PERSON", "accepted", "alice"),
    }
    assert [c["claim_id"] for c in sheet(alice, "Claims")] == [team["alice_claim"]]
    documents = {r["document_id"]: r for r in sheet(alice, "Documents")}
    assert set(documents) == {sample, team["alice_doc"]}  # her documents only
    assert [documents[d]["status"] for d in sorted(documents)] == ["done", "done"]
    counts = documents[sample]
    assert (counts["entities_accepted"], counts["entities_rejected"], counts["entities_suggested"]) == (1, 1, 1)
    assert (counts["claims_complete"] or 0) + (counts["claims_incomplete"] or 0) == 1
    summary = [tuple(r.values()) for r in sheet(alice, "Summary")]
    assert {r[1] for r in summary if r[0] == "work by coder"} == {"alice"}
    assert ("entities by label and status", "LOCATION", "suggested", 1) in summary

    bob = tmp_path / "bob.xlsx"
    export_project(project, bob, ExportOptions(coder="bob"))
    assert units(bob) == {
        (sample, "Sharif", "ORG", "accepted", "bob"), (sample, "Lahore", "LOCATION", "accepted", "bob"),
        (sample, "Munir", "PERSON", "suggested", None),  # linked by his claim
    }
    assert {r["document_id"]: r["status"] for r in sheet(bob, "Documents")} == {
        sample: "in_progress", team["bob_doc"]: "new"}
    assert [r["status"] for r in sheet(bob, "Matrix")] == ["in_progress", "new"]
    assert "Munir" not in {r["text"] for r in sheet(alice, "Entities") if r["status"] == "suggested"}


def test_documents_sheet_shows_sample_assignment_and_each_coders_status(
    project: Project, team: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "all.xlsx"
    export_project(project, out)
    names = headers(out, "Documents")
    assert names[7:11] == ["status_alice", "status_bob", "in_sample", "assigned_to"]
    assert "status" not in names and "status_pat" not in names
    documents = {r["document_id"]: r for r in sheet(out, "Documents")}
    found = {d: (r["status_alice"], r["status_bob"], r["in_sample"], r["assigned_to"])
             for d, r in documents.items()}
    assert found == {
        team["sample"]: ("done", "in_progress", 1, "alice, bob"),
        team["alice_doc"]: ("done", None, 0, "alice"),  # not bob's document: no status of his
        team["bob_doc"]: (None, "new", 0, "bob"),
    }
    matrix = {r["document_id"]: r["status"] for r in sheet(out, "Matrix")}
    assert matrix[team["sample"]] == "in_progress"  # the team's: bob has not finished
    done = tmp_path / "done.xlsx"
    export_project(project, done, ExportOptions(status=DocumentStatus.DONE))
    assert [r["document_id"] for r in sheet(done, "Documents")] == [team["alice_doc"]]
    alices_done = tmp_path / "alice-done.xlsx"
    export_project(project, alices_done, ExportOptions(status=DocumentStatus.DONE, coder="alice"))
    assert [r["document_id"] for r in sheet(alices_done, "Documents")] == [team["sample"], team["alice_doc"]]
    coder_names = headers(alices_done, "Documents")
    assert coder_names[7:10] == ["status", "in_sample", "assigned_to"]


def test_a_single_coders_project_keeps_its_columns_plus_sample_and_assignment(
    project: Project, tmp_path: Path
) -> None:
    with project.session() as session:
        doc = DocumentRepository(session).add(NewDocument(text=SAMPLE, title="One"))
        spans = SpanRepository(session)
        spans.add(span(doc, SAMPLE, "Sharif", "PERSON", None, SpanStatus.SUGGESTED))
        spans.add(span(doc, SAMPLE, "Sharif", "PERSON", "ayesha", SpanStatus.ACCEPTED))
        spans.add(span(doc, SAMPLE, "Lahore", "LOCATION", None, SpanStatus.SUGGESTED))
        ayesha = CoderRepository(session).id_for("ayesha")
        assert ayesha is not None
        CoderDocumentRepository(session).set_status(doc, ayesha, DocumentStatus.DONE)
    out = tmp_path / "one.xlsx"
    export_project(project, out, ExportOptions(include_suggestions=True))
    assert headers(out, "Documents")[:13] == [
        "document_id", "title", "source", "author", "url", "published", "section", "status",
        "in_sample", "assigned_to", "word_count", "imported_at", "original_file"]
    document = sheet(out, "Documents")[0]
    assert (document["status"], document["in_sample"], document["assigned_to"]) == ("done", 0, None)
    # her accepted copy replaces the suggestion she decided, as before layers
    assert {(r["text"], r["status"], r["coder"]) for r in sheet(out, "Entities")} == {
        ("Sharif", "accepted", "ayesha"), ("Lahore", "suggested", None)}
    assert export_coders(project) == ["ayesha"]


def test_an_unknown_coder_is_one_line_naming_the_coders(
    project: Project, team: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "zoe.xlsx"
    with pytest.raises(ExportError) as error:
        export_project(project, out, ExportOptions(coder="zoe"))
    message = str(error.value)
    assert "\n" not in message and "'zoe'" in message and "alice, bob" in message
    assert str(project.path) in message and not out.exists()
    assert export_coders(project) == ["alice", "bob"]


def test_the_command_exports_one_coders_layer_to_xlsx_and_csv(
    project: Project, team: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project.path
    project.close()
    out = tmp_path / "bob.xlsx"
    assert run(["export", str(path), str(out), "--coder", "bob"], lambda _r: 0) == 0
    assert "bob's coding" in capsys.readouterr().out
    assert {r["coder"] for r in sheet(out, "Entities")} == {"bob", None}
    folder = tmp_path / "bob-csv"
    assert run(["export", str(path), str(folder), "--coder", "bob", "--format", "csv"], lambda _r: 0) == 0
    with (folder / "Claims.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [(r["claim_id"], r["coder"]) for r in csv.DictReader(handle)] == [(str(team["bob_claim"]), "bob")]
    capsys.readouterr()
    assert run(["export", str(path), str(tmp_path / "x.xlsx"), "--coder", "zoe"], lambda _r: 0) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no coder named 'zoe'" in err and "alice, bob" in err


def test_the_dialog_offers_a_coder_only_with_several_coders(qtbot) -> None:
    from annotator.ui.export.export_dialog import ALL_CODERS, ExportDialog

    team = ExportDialog(Path("/tmp/study.annotator"), coders=["alice", "bob"])
    qtbot.addWidget(team)
    team.show()
    assert team.coder.isVisible()
    assert [team.coder.itemText(i) for i in range(team.coder.count())] == [ALL_CODERS, "alice", "bob"]
    assert team.options().coder is None
    team.coder.setCurrentIndex(2)
    assert team.options().coder == "bob" and team.target.text().endswith("study-bob.xlsx")
    alone = ExportDialog(Path("/tmp/study.annotator"), coders=["ayesha"])
    qtbot.addWidget(alone)
    alone.show()
    assert not alone.coder.isVisible() and alone.options().coder is None


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8), st.sampled_from([None, 1, 2])),
                max_size=14))
def test_the_layer_rule_is_the_domains(entities: list[tuple[int, int, int | None]]) -> None:
    """The export's streaming rule shows exactly the shared entities layer_view shows a coder."""
    rows = sorted(((7, start, start + length, coder) for start, length, coder in entities),
                  key=lambda r: (r[1], r[2]))
    names = {1: "alice", 2: "bob"}
    for coder in (1, 2):
        shown = list(LayerRule([CoderId(coder)]).shown(
            [r for r in rows if r[3] in (None, coder)], 1, 2, 3))
        spans = [EntitySpan(document_id=DocumentId(7), start=s, end=e, text="x", label="PERSON",
                            annotator=names.get(c)) for _d, s, e, c in rows]
        expected = sorted((s.start, s.end, s.annotator or "") for s in layer_view(spans, names[coder]))
        assert sorted((s, e, names.get(c, "")) for _d, s, e, c in shown) == expected


def test_file_export_offers_the_projects_coders(qtbot, window, project: Project) -> None:  # noqa: F811
    """File -> Export hands the dialog the coders to choose from (a PI who codes nothing is
    not one of them)."""
    with project.session() as session:
        coders = CoderRepository(session)
        coders.id_for("tester", CoderRole.PI)  # the window's coder
        coders.id_for("alice")
        coders.id_for("bob")
    window.prompts.answers["export_choice"] = None  # the researcher cancels the dialog
    window.actions["export"].trigger()
    assert window.prompts.export_coders == ["alice", "bob"]


def test_under_blind_coding_a_coder_exports_only_their_own_layer(
    qtbot, window, project: Project, article: DocumentId, tmp_path: Path  # noqa: F811
) -> None:
    with project.session() as session:
        coders = CoderRepository(session)
        coders.id_for("tester")  # the window's coder, not the PI
    from annotator.services.browse import Browser
    from annotator.services.corrections import Corrections

    first = Browser(project, "alice").spans(article)[0]
    Corrections(project, "alice").accept(first.id)  # type: ignore[arg-type]
    window.prompts.answers["export_target"] = tmp_path / "mine.xlsx"
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        window.actions["export"].trigger()
    assert window.prompts.export_coders == ["tester"]  # no choice of anyone else's work
    assert "Exported" in window.statusBar().currentMessage()
    sheet = load_workbook(tmp_path / "mine.xlsx", read_only=True)["Entities"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    coder_column = header.index("coder")
    assert {row[coder_column] for row in sheet.iter_rows(min_row=2, values_only=True)} <= {"tester", None}
    everyone = tmp_path / "all.xlsx"
    export_project(project, everyone)
    sheet = load_workbook(everyone, read_only=True)["Entities"]
    assert "alice" in {row[coder_column] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_a_coders_name_makes_a_column_name_statistics_packages_accept() -> None:
    from annotator.services.export_columns import column_name

    assert [column_name(n) for n in ("alice", "Mary Ann", "o'brien-2", "  ", "Zoë")] == [
        "alice", "Mary_Ann", "o_brien_2", "coder", "Zoë"]
