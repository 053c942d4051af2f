"""The study as JSON Lines: every coder's layer out and back in (issue 11, point 5)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from threading import Event
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli.main import run as cli
from annotator.domain.errors import ExportError, StudyLineError
from annotator.domain.ids import DocumentId
from annotator.domain.model import (
    Claim,
    DocumentStatus,
    EntityRef,
    EntitySpan,
    NewDocument,
    SpanOrigin,
    SpanStatus,
)
from annotator.io.jsonl_study import decode_line
from annotator.services.importing import Outcome, run_import
from annotator.services.jsonl_exchange import export_study, import_study_file
from annotator.services.project import Project
from annotator.storage.repositories import (
    ClaimRepository,
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)
from tests.conftest import SMALL_CODEBOOK

TEXT = "Prime Minister Shehbaz Sharif met Army Chief Asim Munir in Islamabad on Saturday."
SECOND = "Maria Lopez spoke in Manila 🇵🇭 about the Asian Development Bank."


def fresh(tmp_path: Path, name: str) -> Project:
    return Project(tmp_path / f"{name}.annotator", create=True, codebook=SMALL_CODEBOOK)


def add_document(project: Project, text: str, **details: object) -> DocumentId:
    with project.session() as session:
        return DocumentRepository(session).add(NewDocument(text=text, **details))  # type: ignore[arg-type]


def add_entity(
    project: Project, doc: DocumentId, text: str, piece: str, label: str, coder: str | None,
    status: SpanStatus = SpanStatus.ACCEPTED, origin: SpanOrigin = SpanOrigin.MODEL,
) -> EntitySpan:
    start = text.index(piece)
    with project.session() as session:
        return SpanRepository(session).add(EntitySpan(
            doc, start, start + len(piece), piece, label, origin,
            SpanStatus.SUGGESTED if coder is None else status, annotator=coder,
        ))


def add_claim(
    project: Project, doc: DocumentId, text: str, coder: str, values: dict[str, object],
    end: int | None = None, **extra: object,
) -> None:
    end = len(text) if end is None else end
    with project.session() as session:
        ClaimRepository(session).add(Claim(  # type: ignore[arg-type]
            doc, 0, end, text[:end], values, annotator=coder, **extra,  # type: ignore[arg-type]
        ))


def set_status(project: Project, doc: DocumentId, coder: str, status: DocumentStatus) -> None:
    with project.session() as session:
        coder_id = CoderRepository(session).id_for(coder)
        assert coder_id is not None
        CoderDocumentRepository(session).set_status(doc, coder_id, status)


def team_project(project: Project) -> None:
    """Two documents, coded by alice and bob, with shared suggestions, a sample and assignment."""
    doc = add_document(
        project, TEXT, title=" Talks ", source="Dawn", author="Staff", url="https://dawn.example/1",
        published=date(2024, 6, 22), section="Politics", metadata={"line": "3", "page": "A1"},
    )
    other = add_document(project, SECOND)  # no title
    add_entity(project, doc, TEXT, "Islamabad", "LOCATION", None)
    add_entity(project, doc, TEXT, "Asim Munir", "PERSON", None)
    sharif_a = add_entity(project, doc, TEXT, "Shehbaz Sharif", "PERSON", "alice")
    add_entity(project, doc, TEXT, "Islamabad", "LOCATION", "alice", SpanStatus.REJECTED)
    sharif_b = add_entity(project, doc, TEXT, "Shehbaz Sharif", "ORG", "bob", origin=SpanOrigin.MANUAL)
    add_entity(project, doc, TEXT, "Asim Munir", "PERSON", "bob")
    lopez = add_entity(project, other, SECOND, "Maria Lopez", "PERSON", "bob")
    add_entity(project, other, SECOND, "Manila", "LOCATION", None)
    add_claim(project, doc, TEXT, "alice", {
        "claimant": EntityRef(sharif_a.id, "Shehbaz Sharif"), "form": "statement",
        "frames": ("rights", "security"), "position": 1.0, "claim_date": date(2024, 6, 22),
        "anonymous": False, "amount": 2.5, "note": "first",
    })
    add_claim(project, doc, TEXT, "bob", {
        "claimant": EntityRef(sharif_b.id, "Shehbaz Sharif"), "form": "demand", "position": -1.0,
    }, end=29, needs_review=True, review_note="the claimant changed")
    add_claim(project, other, SECOND, "bob", {
        "claimant": EntityRef(None, "the bank"), "form": "statement", "position": 0.0,
    })
    add_claim(project, other, SECOND, "bob", {
        "claimant": EntityRef(lopez.id, "Maria Lopez"), "form": "statement", "position": 0.0,
    }, end=11)
    set_status(project, doc, "alice", DocumentStatus.DONE)
    set_status(project, doc, "bob", DocumentStatus.IN_PROGRESS)
    with project.session() as session:
        coders = CoderRepository(session)
        repo = CoderDocumentRepository(session)
        repo.assign([(doc, coders.id_for("alice")), (doc, coders.id_for("bob")),  # type: ignore[list-item]
                     (other, coders.id_for("bob"))])  # type: ignore[list-item]
        repo.set_sample([doc])


def lines(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def counts(project: Project) -> tuple[int, int, int]:
    with project.read_session() as session:
        docs = DocumentRepository(session).count()
        spans = sum(SpanRepository(session).counts()["by_status"].values())
        return docs, spans, ClaimRepository(session).count()


# -- the shape of a line ------------------------------------------------------------------
def test_a_line_holds_every_layer_in_the_documented_shape(project: Project, tmp_path: Path) -> None:
    team_project(project)
    out = tmp_path / "study.jsonl"
    summary = export_study(project, out)
    assert summary.rows == {"Documents": 2, "Entities": 8, "Claims": 4}
    first, second = lines(out)
    assert list(first) == ["title", "text", "meta", "status", "sample", "assigned", "entities", "claims"]
    assert first["title"] == " Talks " and first["text"] == TEXT
    assert first["meta"] == {
        "source": "Dawn", "author": "Staff", "published": "2024-06-22",
        "url": "https://dawn.example/1", "section": "Politics", "line": "3", "page": "A1",
    }
    assert first["status"] == {"alice": "done", "bob": "in_progress"}
    assert first["sample"] is True and first["assigned"] == ["alice", "bob"]
    entities = {(e["start"], e["coder"], e["label"]): e for e in first["entities"]}
    assert [e["id"] for e in first["entities"]] == [f"e{i}" for i in range(1, 7)]
    sharif = TEXT.index("Shehbaz")
    assert entities[(sharif, "alice", "PERSON")] | {"id": ""} == {
        "id": "", "start": sharif, "end": sharif + 14, "label": "PERSON", "status": "accepted",
        "coder": "alice", "origin": "model",
    }
    assert entities[(TEXT.index("Islamabad"), None, "LOCATION")]["status"] == "suggested"
    alice, bob = sorted(first["claims"], key=lambda c: c["coder"])
    assert alice["values"] == {
        "claimant": entities[(sharif, "alice", "PERSON")]["id"], "form": "statement",
        "frames": ["security", "rights"], "note": "first", "position": 1, "amount": 2.5,
        "anonymous": False, "claim_date": "2024-06-22",
    }
    assert bob["values"]["claimant"] == entities[(sharif, "bob", "ORG")]["id"]
    assert bob["needs_review"] is True and bob["review_note"] == "the claimant changed"
    assert "needs_review" not in alice
    # a document nobody put in the sample, an entity that is gone, offsets in code points
    assert second["title"] == "" and "sample" not in second and second["assigned"] == ["bob"] and second["status"] == {}
    gone = next(c for c in second["claims"] if c["end"] == len(SECOND))
    assert gone["values"]["claimant"] == {"text": "the bank"}
    manila = next(e for e in second["entities"] if e["label"] == "LOCATION")
    assert SECOND[manila["start"]:manila["end"]] == "Manila"


def test_export_writes_through_a_temporary_file_and_refuses_other_names(
    project: Project, tmp_path: Path
) -> None:
    team_project(project)
    out = tmp_path / "study.jsonl"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(ExportError, match=r"ending in \.jsonl"):
        export_study(project, tmp_path / "study.xlsx")
    with pytest.raises(ExportError, match=r"no coder 'carol'.*alice, bob"):
        export_study(project, out, coder="carol")
    assert out.read_text(encoding="utf-8") == "old"  # a failed export leaves the old file
    export_study(project, out)
    assert len(lines(out)) == 2
    assert [p.name for p in tmp_path.iterdir() if ".part-" in p.name] == []


# -- round trip ---------------------------------------------------------------------------
def test_import_then_export_gives_the_same_lines(project: Project, tmp_path: Path) -> None:
    team_project(project)
    first = tmp_path / "first.jsonl"
    export_study(project, first)
    with fresh(tmp_path, "copy") as copy:
        report = import_study_file(copy, first)
        assert (len(report.added), report.refused) == (2, [])
        assert (report.entities, report.claims) == (8, 4)
        second = tmp_path / "second.jsonl"
        export_study(copy, second)
        with copy.read_session() as session:
            assert {c.name for c in CoderRepository(session).all()} == {"alice", "bob"}
            assert len(CoderDocumentRepository(session).sample()) == 1
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_coder_export_holds_only_that_coders_layer(project: Project, tmp_path: Path) -> None:
    team_project(project)
    out = tmp_path / "alice.jsonl"
    assert cli(["export", str(project.path), str(out), "--coder", "alice"], lambda r: 0) == 0
    (only,) = lines(out)  # the second document is assigned to bob alone
    assert only["text"] == TEXT and only["status"] == {"alice": "done"}
    assert only["assigned"] == ["alice"]
    assert {e["coder"] for e in only["entities"]} == {"alice", None}
    # her own work, plus the suggestion she has not decided (Asim Munir); not Islamabad's,
    # which she rejected
    shared = [e for e in only["entities"] if e["coder"] is None]
    assert [TEXT[e["start"]:e["end"]] for e in shared] == ["Asim Munir"]
    assert [c["coder"] for c in only["claims"]] == ["alice"]
    assert only["claims"][0]["values"]["claimant"] in {e["id"] for e in only["entities"]}


def test_the_jsonl_suffix_chooses_the_format_and_the_cli_reads_it_back(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team_project(project)
    out = tmp_path / "study.jsonl"
    assert cli(["export", str(project.path), str(out)], lambda r: 0) == 0
    assert "Documents" in capsys.readouterr().out
    copy = tmp_path / "copy.annotator"
    with Project(copy, create=True, codebook=SMALL_CODEBOOK):
        pass
    assert cli(["import", str(copy), str(out)], lambda r: 0) == 0
    assert "Imported 2 document(s)" in capsys.readouterr().out
    assert cli(["import", str(copy), str(out)], lambda r: 0) == 0
    assert "skipped" in capsys.readouterr().out


# -- merging and idempotence --------------------------------------------------------------
def test_a_line_whose_text_is_there_adds_its_annotations_to_that_document(
    project: Project, tmp_path: Path
) -> None:
    doc = add_document(project, TEXT, title="Talks as imported")
    add_entity(project, doc, TEXT, "Shehbaz Sharif", "PERSON", "alice")
    sharif = TEXT.index("Shehbaz")
    study = tmp_path / "bob.jsonl"
    study.write_text(json.dumps({
        "title": "another title", "text": TEXT, "status": {"bob": "done"},
        "entities": [
            {"id": "e1", "start": sharif, "end": sharif + 14, "label": "PERSON", "coder": "alice"},
            {"id": "e2", "start": sharif, "end": sharif + 14, "label": "ORG", "coder": "bob"},
        ],
        "claims": [{"start": 0, "end": 29, "coder": "bob", "values": {"claimant": "e2"}}],
    }) + "\n", encoding="utf-8")
    result = run_import(project, [study]).results[0]
    assert (result.outcome, result.documents, result.merged) == (Outcome.IMPORTED, 0, 1)
    with project.read_session() as session:
        assert DocumentRepository(session).count() == 1
        assert DocumentRepository(session).get(doc).title == "Talks as imported"
        spans = SpanRepository(session).for_document(doc)
        assert sorted((s.annotator, s.label) for s in spans) == [("alice", "PERSON"), ("bob", "ORG")]
        (claim,) = ClaimRepository(session).for_document(doc)
        bob_span = next(s for s in spans if s.annotator == "bob")
        assert claim.values["claimant"] == EntityRef(bob_span.id, "Shehbaz Sharif")
        assert CoderDocumentRepository(session).statuses(doc) == {"bob": DocumentStatus.DONE}


def test_importing_the_same_file_twice_adds_nothing(project: Project, tmp_path: Path) -> None:
    team_project(project)
    out = tmp_path / "study.jsonl"
    export_study(project, out)
    with fresh(tmp_path, "copy") as copy:
        import_study_file(copy, out)
        before = counts(copy)
        again = run_import(copy, [out]).results[0]
        assert counts(copy) == before == (2, 8, 4)
        assert (again.outcome, again.duplicates, again.merged) == (Outcome.DUPLICATE, 2, 0)
        # and into the project it came from: everything is there already
        report = import_study_file(project, out)
        assert (report.landed, report.unchanged, report.refused) == (0, 2, [])
        assert counts(project) == before


def test_an_import_never_takes_a_status_back(project: Project, tmp_path: Path) -> None:
    doc = add_document(project, TEXT)
    set_status(project, doc, "alice", DocumentStatus.DONE)
    study = tmp_path / "s.jsonl"
    study.write_text(json.dumps({"text": TEXT, "status": {"alice": "in_progress", "bob": "done"}}),
                     encoding="utf-8")
    report = import_study_file(project, study)
    assert report.merged == 1
    with project.read_session() as session:
        assert CoderDocumentRepository(session).statuses(doc) == {
            "alice": DocumentStatus.DONE, "bob": DocumentStatus.DONE,
        }


# -- bad lines ----------------------------------------------------------------------------
def test_bad_lines_are_refused_with_their_number_and_the_others_land(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sharif = TEXT.index("Shehbaz")

    def line(text: str = TEXT, **fields: object) -> str:
        return json.dumps({"text": text, **fields})

    entity = {"id": "e1", "start": sharif, "end": sharif + 14, "label": "PERSON", "coder": "alice"}
    good_claim = {"start": 0, "end": 10, "coder": "alice", "values": {"claimant": "e1"}}
    rows = [
        line(entities=[entity], claims=[good_claim]),                                  # 1 ok
        '{"text": "broken',                                                            # 2
        line("Other text.", entities=[{**entity, "end": 400}]),                        # 3
        line("Third text.", entities=[{**entity, "start": 0, "end": 5, "text": "Nope"}]),  # 4
        line("Fourth text.", entities=[{**entity, "start": 0, "end": 6, "label": "EVENT"}]),  # 5
        line("Fifth text.", claims=[{**good_claim, "values": {"mood": "x"}}]),          # 6
        line("Sixth text.", claims=[{**good_claim, "values": {"form": "shout"}}]),      # 7
        line("Seventh text.", claims=[{**good_claim, "values": {"claimant": "e9"}}]),   # 8
        line("Eighth text.", entities=[{**entity, "start": 0, "end": 6},
                                       {**entity, "id": "e2", "start": 3, "end": 10}]),  # 9
        "",
        line("Last good text.", status={"bob": "done"}),                              # 11 ok
        line("Shared text.", entities=[{**entity, "start": 0, "end": 6, "coder": None,
                                        "status": "accepted"}]),                 # 12
        line("Typo text.", entites=[]),                                                # 13
        line("Number text.", claims=[{**good_claim, "values": {"position": "1"}}]),     # 14
    ]
    study = tmp_path / "mixed.jsonl"
    study.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run_import(project, [study]).results[0]
    assert (result.outcome, result.documents, result.refused) == (Outcome.IMPORTED, 2, 11)
    refused = {int(w.split(":")[0].removeprefix("line ")): w for w in result.warnings}
    assert sorted(refused) == [2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14]
    assert "not valid JSON" in refused[2]
    assert "does not fit a text of 11 characters" in refused[3]
    assert "not 'Nope'" in refused[4]
    assert "no label 'EVENT'" in refused[5]
    assert "'mood' is not a variable" in refused[6]
    assert "'shout' is not one of its values" in refused[7]
    assert "'e9', which is not on this line" in refused[8]
    assert "overlaps" in refused[9] and "alice" in refused[9]
    assert "shared suggestion" in refused[12]
    assert "'entites' is not a key" in refused[13]
    assert "must be a number" in refused[14]
    with project.read_session() as session:
        repo = DocumentRepository(session)
        # a line without a title is named after the file and its line, as plain lines are
        assert [repo.get(i).title for i in repo.ids()] == ["mixed (line 1)", "mixed (line 11)"]
        assert CoderRepository(session).find("bob") is not None
    # the command names every refused line and exits 1
    assert cli(["import", str(project.path), str(study)], lambda r: 0) == 1
    printed = capsys.readouterr().out
    assert "line 9:" in printed and "line 14:" in printed


def test_a_file_of_only_bad_lines_fails_with_the_first_reason(project: Project, tmp_path: Path) -> None:
    study = tmp_path / "bad.jsonl"
    study.write_text(json.dumps({"text": "x", "claims": [{"start": 0, "end": 1}]}) + "\n",
                     encoding="utf-8")
    result = run_import(project, [study]).results[0]
    assert result.outcome is Outcome.FAILED
    assert result.reason == "no line could be imported: line 1: claims[0].coder is missing"


def test_an_entity_overlapping_the_coders_own_work_in_the_project_is_refused(
    project: Project, tmp_path: Path
) -> None:
    doc = add_document(project, TEXT)
    add_entity(project, doc, TEXT, "Shehbaz Sharif", "PERSON", "alice")
    start = TEXT.index("Sharif")
    study = tmp_path / "s.jsonl"
    study.write_text(json.dumps({"text": TEXT, "entities": [
        {"start": start, "end": start + 6, "label": "PERSON", "coder": "alice"}]}), encoding="utf-8")
    report = import_study_file(project, study)
    assert report.landed == 0
    assert "overlaps the entity PERSON" in report.refused[0] and "alice accepted" in report.refused[0]
    assert counts(project) == (1, 1, 0)


# -- plain lines --------------------------------------------------------------------------
def test_plain_text_lines_still_import_as_before(project: Project, tmp_path: Path) -> None:
    plain = tmp_path / "plain.jsonl"
    plain.write_text(
        json.dumps({"body": "An article under body.", "headline": "Head", "desk": "World",
                    "status": "published"}) + "\n"
        + json.dumps({"text": "Only a text."}) + "\n",
        encoding="utf-8",
    )
    result = run_import(project, [plain]).results[0]
    assert (result.outcome, result.documents, result.refused) == (Outcome.IMPORTED, 2, 0)
    with project.read_session() as session:
        repo = DocumentRepository(session)
        first, second = (repo.get(i) for i in repo.ids())
    assert (first.title, first.section) == ("Head", "World")
    assert first.metadata == {"line": "1", "status": "published"}
    assert (second.title, second.metadata) == ("plain (line 2)", {"line": "2"})


# -- property: any layers survive the round trip ------------------------------------------
TEXTS = (
    TEXT,
    SECOND,
    "Ümit Özdağ 👩🏽‍⚖️ sprach in Kraków mit der Ministerin über 💶 und Wahlen.",
)
CODERS = ("alice", "bob", "carol")
LABELS = ("PERSON", "ORG", "LOCATION")


@st.composite
def intervals(draw: st.DrawFn, length: int, disjoint: bool, most: int = 5) -> list[tuple[int, int]]:
    if disjoint:  # sorted cut points, paired: spans that never overlap
        cuts = sorted(draw(st.sets(st.integers(0, length), max_size=2 * most)))
        return [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    pairs = draw(st.lists(st.tuples(st.integers(0, length - 1), st.integers(1, 20)), max_size=most))
    return [(a, min(length, a + n)) for a, n in pairs]


@st.composite
def claim_values(draw: st.DrawFn, own: list[EntitySpan]) -> dict[str, object]:
    values: dict[str, object] = {}
    choices = {
        "form": st.sampled_from(["statement", "demand"]),
        "frames": st.sets(st.sampled_from(["security", "economy", "rights"]), min_size=1).map(
            lambda s: tuple(sorted(s))),
        "note": st.text(min_size=1, max_size=12),
        "position": st.integers(-1, 1).map(float),
        "amount": st.floats(-1e6, 1e6, allow_nan=False),
        "anonymous": st.booleans(),
        "claim_date": st.dates(date(1990, 1, 1), date(2030, 12, 31)),
    }
    for name, strategy in choices.items():
        if draw(st.booleans()):
            values[name] = draw(strategy)
    kind = draw(st.sampled_from(["none", "gone", "entity"] if own else ["none", "gone"]))
    if kind == "gone":
        values["claimant"] = EntityRef(None, draw(st.text(max_size=10)))
    elif kind == "entity":
        target = draw(st.sampled_from(own))
        values["claimant"] = EntityRef(target.id, target.text)
    return values


@st.composite
def studies(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A few documents with random layers: per coder non-overlapping accepted entities,
    rejected ones anywhere, shared suggestions, claims with random values, statuses."""
    documents = []
    for text in draw(st.lists(st.sampled_from(TEXTS), min_size=1, max_size=3, unique=True)):
        coders = draw(st.lists(st.sampled_from(CODERS), unique=True, max_size=3))
        layers = {}
        for coder in coders:
            layers[coder] = {
                "accepted": [(s, e, draw(st.sampled_from(LABELS)))
                             for s, e in draw(intervals(len(text), disjoint=True))],
                "rejected": [(s, e, draw(st.sampled_from(LABELS)))
                             for s, e in draw(intervals(len(text), disjoint=False, most=2))],
                "claims": draw(st.lists(intervals(len(text), disjoint=False, most=1), max_size=3)),
                "status": draw(st.sampled_from(list(DocumentStatus))),
            }
        shared = [(s, e, draw(st.sampled_from(LABELS)))
                  for s, e in draw(intervals(len(text), disjoint=False, most=4))]
        documents.append({
            "text": text, "layers": layers, "shared": shared,
            "sample": draw(st.booleans()),
            "assigned": draw(st.lists(st.sampled_from(coders or CODERS), unique=True, max_size=2)),
        })
    return documents


def build(project: Project, study: list[dict[str, Any]], data: st.DataObject) -> None:
    for spec in study:
        text: str = spec["text"]
        doc = add_document(project, text, title=text[:12])
        rows: dict[tuple[Any, ...], EntitySpan] = {}  # identical rows are one row in the format
        for start, end, label in spec["shared"]:
            rows[(None, start, end, label)] = EntitySpan(
                doc, start, end, text[start:end], label, SpanOrigin.MODEL, SpanStatus.SUGGESTED)
        for coder, layer in spec["layers"].items():
            for status in (SpanStatus.ACCEPTED, SpanStatus.REJECTED):
                for start, end, label in layer[status.value]:
                    rows[(coder, start, end, label, status)] = EntitySpan(
                        doc, start, end, text[start:end], label, SpanOrigin.MODEL, status,
                        annotator=coder)
        with project.session() as session:
            spans = SpanRepository(session)
            stored = [spans.add(span) for span in rows.values()]
            claims = ClaimRepository(session)
            coders = CoderRepository(session)
            statuses = CoderDocumentRepository(session)
            for coder, layer in spec["layers"].items():
                own = [s for s in stored if s.annotator == coder]
                for ranges in layer["claims"]:
                    for start, end in ranges:
                        values = data.draw(claim_values(own))
                        claims.add(Claim(doc, start, end, text[start:end], values, annotator=coder))
                statuses.set_status(doc, coders.id_for(coder), layer["status"])
            statuses.assign([(doc, coders.id_for(c)) for c in spec["assigned"]])
            if spec["sample"]:
                statuses.set_sample([doc])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(study=studies(), data=st.data())
def test_random_layers_survive_export_and_import(
    tmp_path_factory: pytest.TempPathFactory, study: list[dict[str, Any]], data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("round")
    with fresh(folder, "source") as source:
        build(source, study, data)
        first = folder / "first.jsonl"
        export_study(source, first)
        source_counts = counts(source)
    with fresh(folder, "copy") as copy:
        report = import_study_file(copy, first)
        assert report.refused == []
        second = folder / "second.jsonl"
        export_study(copy, second)
        assert counts(copy) == source_counts
        again = import_study_file(copy, second)
        assert (again.landed, again.refused) == (0, [])
        assert counts(copy) == source_counts
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


class CancelAfter(Event):
    """A cancel button pressed after ``checks`` looks at it."""

    def __init__(self, checks: int) -> None:
        super().__init__()
        self.checks = checks

    def is_set(self) -> bool:
        self.checks -= 1
        return self.checks < 0


def test_a_cancelled_import_keeps_the_lines_before_and_says_where_it_stopped(
    project: Project, tmp_path: Path
) -> None:
    study = tmp_path / "long.jsonl"
    study.write_text("".join(json.dumps({"text": f"Text {n}.", "status": {"alice": "done"}}) + "\n"
                             for n in range(1, 6)), encoding="utf-8")
    report = import_study_file(project, study, CancelAfter(3))
    assert (len(report.added), report.cancelled_at) == (3, 4)
    assert counts(project) == (3, 0, 0)
    again = import_study_file(project, study)  # the rest comes with a second import
    assert (len(again.added), again.unchanged) == (2, 3)


# -- the codec on its own -----------------------------------------------------------------
def test_decoding_fills_defaults_and_takes_values_strictly() -> None:
    line = decode_line({
        "text": "Ana met Bo.",
        "entities": [{"id": "a", "start": 0, "end": 3, "label": "PERSON", "coder": "x"},
                     {"start": 8, "end": 10, "label": "PERSON"}],
        "claims": [{"start": 0, "end": 11, "coder": "x", "values": {
            "claimant": "a", "frames": ["rights", "security", "rights"], "amount": 3,
            "note": None, "anonymous": True}}],
    }, SMALL_CODEBOOK, default_title="file (line 1)")
    mine, shared = line.entities
    assert (mine.status, mine.origin, shared.status, shared.coder) == (
        SpanStatus.ACCEPTED, SpanOrigin.IMPORTED, SpanStatus.SUGGESTED, None)
    (claim,) = line.claims
    assert claim.links == {"claimant": 0}
    assert dict(claim.values) == {
        "claimant": EntityRef(None, "Ana"), "frames": ("security", "rights"), "amount": 3.0,
        "anonymous": True,
    }
    assert line.document.title == "file (line 1)"

    def refused(**claim_values: object) -> str:
        with pytest.raises(StudyLineError) as caught:
            decode_line({"text": "Ana met Bo.", "claims": [
                {"start": 0, "end": 3, "coder": "x", "values": claim_values}]}, SMALL_CODEBOOK)
        return str(caught.value)

    assert "must be true or false, got 'yes'" in refused(anonymous="yes")
    assert "must be a date YYYY-MM-DD" in refused(claim_date="22.06.2024")
    assert "must be a list of codes" in refused(frames="rights")
    assert "must be a number, got True" in refused(amount=True)
    assert "above its maximum" in refused(position=3)
    assert 'an entity id such as "e1"' in refused(claimant=4)


def test_a_study_file_among_other_files_of_an_import(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A plain article about Manila.", encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({"text": TEXT, "status": {"alice": "done"}}) + "\n",
                                    encoding="utf-8")
    (folder / "c.txt").write_text("Another plain article.", encoding="utf-8")
    report = run_import(project, [folder])
    assert [(Path(r.path).name, r.outcome, r.documents) for r in report.results] == [
        ("a.txt", Outcome.IMPORTED, 1), ("b.jsonl", Outcome.IMPORTED, 1), ("c.txt", Outcome.IMPORTED, 1)]
    assert counts(project) == (3, 0, 0)
