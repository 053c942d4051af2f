"""Which layer an annotated export writes: a coder's, the final one (--final), or by default
the final layer where there is one, else the one coder's; and what a file says of its coders
and rejected spans lands where it belongs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.main import run
from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.model import DocumentStatus, EntitySpan, SpanOrigin, SpanStatus
from annotator.io.interchange.records import ForeignDocument, ForeignSpan
from annotator.services.interchange_export import export_annotated
from annotator.services.interchange_landing import choose_spans
from annotator.services.project import Project
from annotator.storage.layer_writer import LayerWriter
from tests.interchange.helpers import coded_project, spans_of

TEXTS = ["Imran Khan spoke in Lahore.", "Maryam Nawaz met reporters."]


def main(argv: list[str]) -> int:
    return run(argv, open_gui=lambda request: 0)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Document 1: alice and bob disagree, and the PI adjudicated it; document 2: only alice."""
    path = tmp_path / "study.annotator"
    with coded_project(path, [(TEXTS[0], [(0, 10, "PERSON")]), (TEXTS[1], [(0, 12, "PERSON")])],
                       "alice") as project, project.session() as session:
        writer = LayerWriter(session)
        writer.add_entities(1, [EntitySpan(1, 20, 26, "Lahore", "LOCATION", SpanOrigin.MANUAL,
                                           SpanStatus.ACCEPTED, annotator="bob")])
        writer.add_entities(1, [EntitySpan(1, 20, 26, "Lahore", "LOCATION", SpanOrigin.MANUAL,
                                           SpanStatus.ACCEPTED, annotator=FINAL_LAYER)])
        writer.set_statuses(1, {writer.coder_id(FINAL_LAYER): DocumentStatus.DONE})
    return path


def entities(path: Path) -> list[list[tuple[int, int, str]]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [[(e["start_offset"], e["end_offset"], e["label"]) for e in line["entities"]] for line in lines]


def test_final_exports_the_adjudicated_layer_and_counts_documents_without_one(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "final.jsonl"
    assert main(["export", str(project), str(out), "--format", "doccano", "--final"]) == 0
    assert entities(out) == [[(20, 26, "LOCATION")], []]
    printed = capsys.readouterr().out
    assert "Exported the final layer as doccano" in printed
    assert "1 documents with no final layer (no entities)" in printed


def test_by_default_a_document_gets_its_final_layer_else_its_one_coder(project: Path, tmp_path: Path) -> None:
    with Project(project, read_only=True) as opened:
        summary = export_annotated(opened, tmp_path / "d.jsonl", "doccano")
        export_annotated(opened, tmp_path / "bob.jsonl", "doccano", coder="bob")
    assert entities(tmp_path / "d.jsonl") == [[(20, 26, "LOCATION")], [(0, 12, "PERSON")]]
    assert entities(tmp_path / "bob.jsonl") == [[(20, 26, "LOCATION")], []]
    assert summary.entities == 2


def test_a_coder_and_final_together_are_refused(project: Path, tmp_path: Path) -> None:
    assert main(["export", str(project), str(tmp_path / "x.jsonl"), "--format", "doccano",
                 "--final", "--coder", "alice"]) == 2  # the exit status of a refused command
    assert not (tmp_path / "x.jsonl").exists()


def test_split_and_final_need_an_annotated_format(project: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="--final, --split and --spans-key go with"):
        main(["export", str(project), str(tmp_path / "x.xlsx"), "--final"])


def test_spans_naming_their_coder_and_rejected_ones_land_in_that_layer(tmp_path: Path) -> None:
    text = "Imran Khan spoke in Lahore."
    document = ForeignDocument("a.qdpx", text, spans=[
        ForeignSpan(0, 10, "PERSON", 1, coder="nadia"),
        ForeignSpan(0, 10, "PERSON", 2, coder="omar"),  # the same range in another layer: kept
        ForeignSpan(20, 26, "LOCATION", 3, rejected=True),
        ForeignSpan(20, 26, "PERSON", 4),  # overlaps the import coder's rejected span: skipped
    ])
    chosen = choose_spans(document, lambda label: label, "imported")
    assert [(s[0], s[1], s[2], s[3], s[4]) for s in chosen.spans] == [
        (0, 10, "PERSON", SpanStatus.ACCEPTED, "nadia"),
        (0, 10, "PERSON", SpanStatus.ACCEPTED, "omar"),
        (20, 26, "LOCATION", SpanStatus.REJECTED, "imported"),
    ]
    assert chosen.coders == {"nadia", "omar", "imported"}
    assert chosen.skipped == ["a.qdpx: line 4: PERSON 20-26 skipped: it overlaps LOCATION 20-26 "
                              "(one coder's entities do not overlap)"]


def test_an_import_twice_adds_nothing_and_keeps_rejected_spans_rejected(tmp_path: Path) -> None:
    from annotator.services.interchange_import import import_annotated

    source = tmp_path / "p.jsonl"
    source.write_text(json.dumps({"text": TEXTS[0], "label": [[0, 10, "PERSON"]]}) + "\n", encoding="utf-8")
    with coded_project(tmp_path / "t.annotator", [], "x") as project:
        first = import_annotated(project, [source], "doccano", coder="ayesha")
        second = import_annotated(project, [source], "doccano", coder="ayesha")
        assert (first.added, first.entities, second.added, second.merged, second.entities) == (1, 1, 0, 1, 0)
        assert [(s.start, s.end, s.annotator) for s in spans_of(project)] == [(0, 10, "ayesha")]
