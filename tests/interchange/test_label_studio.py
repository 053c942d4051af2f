"""Label Studio JSON, JSON-MIN and JSONL in, JSON and a labeling config out: annotators,
skipped results, UTF-16 offsets of older exports, bad tasks, round trips."""

from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings

from annotator.services.interchange_export import export_annotated
from annotator.services.interchange_import import detect_format, import_annotated
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK
from tests.interchange.helpers import coded_project, layers
from tests.interchange.test_interchange_round_trip import unique_docs

FIXTURES = Path(__file__).parent / "fixtures" / "label_studio"
MAP = {"PER": "PERSON", "LOC": "LOCATION"}
TEXT = "Shehbaz Sharif met Asim Munir in Rawalpindi 😀 on Monday."


def _task(text: str, results: list[dict[str, object]], **annotation: object) -> dict[str, object]:
    return {"id": 1, "data": {"text": text},
            "annotations": [{"result": results, **annotation}], "predictions": []}


def _labels(start: int, end: int, label: str, text: str | None = None) -> dict[str, object]:
    value: dict[str, object] = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"from_name": "label", "to_name": "text", "type": "labels", "value": value}


def test_label_studio_files_are_found_by_content(tmp_path: Path) -> None:
    assert detect_format([FIXTURES / "two_annotators.json"]) == "label-studio"
    assert detect_format([FIXTURES / "json_min.json"]) == "label-studio"
    assert detect_format([FIXTURES]) == "label-studio"
    other = tmp_path / "other.json"
    other.write_text('[{"text": "an article"}]', encoding="utf-8")
    assert detect_format([other]) is None


def test_two_annotators_land_in_their_own_layers_and_the_rest_is_reported(project: Project) -> None:
    report = import_annotated(project, [FIXTURES / "two_annotators.json"], label_map=MAP)
    assert report.refused == [] and report.added == 2
    assert layers(project)[TEXT] == [
        (0, 14, "PERSON", "ayesha@example.org"), (0, 14, "PERSON", "bilal@example.org"),
        (19, 29, "PERSON", "ayesha@example.org"), (33, 43, "LOCATION", "ayesha@example.org"),
        (33, 43, "ORG", "bilal@example.org"),
    ]
    assert layers(project)["No entities here."] == []  # its only annotation was cancelled
    assert report.skipped == [
        "two_annotators.json: line 158 (task 2): annotation 1: left out (cancelled in Label Studio)",
        "two_annotators.json: line 2 (task 1): annotation 1: result 4: a choices result skipped "
        "(only labels on text become entities)",
        "two_annotators.json: line 2 (task 1): 1 prediction(s) left out (model output, not a "
        "coder's decisions)",
    ]
    with project.read_session() as session:
        from annotator.storage.repositories import DocumentRepository

        documents = DocumentRepository(session)
        talks = next(documents.get(i) for i in documents.ids() if documents.get(i).title == "Talks")
    assert talks.source == "Dawn" and talks.metadata["label_studio_id"] == "11"


def test_json_min_and_jsonl_variants_read_the_same_spans(tmp_path: Path, project: Project) -> None:
    report = import_annotated(project, [FIXTURES / "json_min.json"], coder="ayesha", label_map=MAP)
    assert report.refused == [] and report.entities == 3
    expected = [(0, 14, "PERSON", "ayesha"), (19, 29, "PERSON", "ayesha"), (33, 43, "LOCATION", "ayesha")]
    assert layers(project)[TEXT] == expected
    tasks = json.loads((FIXTURES / "two_annotators.json").read_text(encoding="utf-8"))
    jsonl = tmp_path / "tasks.jsonl"
    jsonl.write_text("\n".join(json.dumps(t, ensure_ascii=False) for t in tasks) + "\n", encoding="utf-8")
    assert detect_format([jsonl]) == "label-studio"
    with Project(tmp_path / "b.annotator", create=True, codebook=SMALL_CODEBOOK) as other:
        again = import_annotated(other, [jsonl], label_map=MAP)
        assert again.refused == [] and again.entities == 5
        assert again.skipped[0].startswith("tasks.jsonl: line 2 (task 2): annotation 1: left out")


def test_utf16_offsets_of_an_older_export_are_converted_and_said(tmp_path: Path, project: Project) -> None:
    text = "😀 Imran Khan spoke."  # in UTF-16 units Imran starts at 3, in code points at 2
    path = tmp_path / "old.json"
    path.write_text(json.dumps([_task(text, [_labels(3, 13, "PERSON", "Imran Khan")])]), encoding="utf-8")
    report = import_annotated(project, [path])
    assert report.refused == []
    assert layers(project)[text] == [(2, 12, "PERSON", "imported")]
    assert report.skipped == ["old.json: offsets counted in UTF-16 units (an older Label Studio): "
                              "converted to characters"]


def test_bad_tasks_are_refused_with_line_and_reason_and_the_rest_lands(tmp_path: Path, project: Project) -> None:
    tasks = [
        _task("Imran Khan spoke.", [_labels(0, 10, "PERSON", "Imran Khan")]),
        _task("Nawaz spoke.", [_labels(0, 5, "PERSON", "Imran")]),
        _task("Too short.", [_labels(0, 99, "PERSON")]),
        _task("Unknown.", [_labels(0, 7, "PLANET", "Unknown")]),
        {"id": 5, "annotations": []},
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(tasks, indent=1), encoding="utf-8")
    lines = [n for n, line in enumerate(path.read_text().splitlines(), start=1) if line == " {"]
    report = import_annotated(project, [path], "label-studio")
    assert report.refused == [
        f"bad.json: line {lines[1]} (task 2): annotation 1: result 1: says 'Imran' but the text "
        "at 0-5 is 'Nawaz'",
        f"bad.json: line {lines[2]} (task 3): annotation 1: result 1: ends at 99, past the end "
        "of the text (10 characters)",
        f"bad.json: line {lines[3]}: label 'PLANET' is not in the project's codebook (map it "
        "with --label-map or add it with --add-labels)",
        f"bad.json: line {lines[4]} (task 5): is not a Label Studio task (no \"data\" and "
        "\"annotations\")",
    ]
    assert list(layers(project)) == ["Imran Khan spoke."]
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": 1, "data": {"text": "a"}, "annotations": [', encoding="utf-8")
    refused = import_annotated(project, [broken], "label-studio").refused
    assert len(refused) == 1 and refused[0].startswith(f"{broken}: is not JSON (")


def test_export_writes_tasks_and_a_labeling_config_beside_them(tmp_path: Path) -> None:
    docs = [("Imran Khan met 习近平 😀.", [(0, 10, "PERSON"), (15, 18, "PERSON")])]
    with coded_project(tmp_path / "a.annotator", docs, "c") as source:
        summary = export_annotated(source, tmp_path / "out.json", "label-studio", coder="c")
    assert summary.files == [str(tmp_path / "out.json"), str(tmp_path / "out.config.xml")]
    tasks = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert tasks[0]["data"] == {"text": docs[0][0], "title": "t"}
    result = tasks[0]["annotations"][0]["result"]
    assert [r["value"] for r in result] == [
        {"start": 0, "end": 10, "text": "Imran Khan", "labels": ["PERSON"]},
        {"start": 15, "end": 18, "text": "习近平", "labels": ["PERSON"]},
    ]
    assert {(r["type"], r["from_name"], r["to_name"]) for r in result} == {("labels", "label", "text")}
    config = ET.fromstring((tmp_path / "out.config.xml").read_text(encoding="utf-8"))
    assert [x.get("value") for x in config.iter("Label")] == ["PERSON", "ORG", "LOCATION"]
    assert config.find("Labels").get("toName") == config.find("Text").get("name") == "text"


@settings(max_examples=25, deadline=None)
@given(unique_docs)
def test_label_studio_round_trip_keeps_documents_and_spans(docs) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with coded_project(root / "a.annotator", docs, "ayesha") as source:
            summary = export_annotated(source, root / "out.json", "label-studio", coder="ayesha")
            expected = layers(source)
        assert summary.documents == len(expected) and summary.lost == {}
        with Project(root / "b.annotator", create=True, codebook=SMALL_CODEBOOK) as target:
            report = import_annotated(target, [root / "out.json"], coder="ayesha")
            assert report.format == "label-studio" and report.refused == []
            assert report.skipped == []
            assert layers(target) == expected


def test_a_task_failing_as_it_lands_leaves_nothing_behind(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.domain.errors import SpanError
    from annotator.storage.layer_writer import LayerWriter

    add_entity_rows = LayerWriter.add_entity_rows

    def failing(self: LayerWriter, rows: list[tuple[object, ...]]) -> None:
        add_entity_rows(self, rows)  # type: ignore[arg-type]
        if any(row[4] == "ORG" for row in rows):  # written, then refused: the savepoint undoes it
            raise SpanError("the project refused this entity")

    monkeypatch.setattr(LayerWriter, "add_entity_rows", failing)
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([
        _task("PTI spoke.", [_labels(0, 3, "ORG", "PTI")]),
        _task("Imran Khan spoke.", [_labels(0, 10, "PERSON", "Imran Khan")]),
    ]), encoding="utf-8")
    report = import_annotated(project, [path])
    assert report.refused == ["tasks.json: the project refused this entity"]
    assert layers(project) == {"Imran Khan spoke.": [(0, 10, "PERSON", "imported")]}  # no PTI row


def test_bare_annotator_ids_name_layers_only_when_there_are_several(tmp_path: Path, project: Project) -> None:
    text = "Imran Khan spoke."
    one = _task(text, [_labels(0, 10, "PERSON", "Imran Khan")], completed_by=1)
    two = _task(text, [_labels(0, 5, "PERSON", "Imran")], completed_by=2)
    path = tmp_path / "ids.json"
    path.write_text(json.dumps([{**one, "annotations": one["annotations"] + two["annotations"]}]),
                    encoding="utf-8")
    assert import_annotated(project, [path], coder="c").refused == []
    assert layers(project)[text] == [(0, 5, "PERSON", "user 2"), (0, 10, "PERSON", "user 1")]
    alone = tmp_path / "alone.json"
    alone.write_text(json.dumps([_task("PTI spoke.", [_labels(0, 3, "ORG", "PTI")], completed_by=7)]),
                     encoding="utf-8")
    assert import_annotated(project, [alone], coder="c").refused == []
    assert layers(project)["PTI spoke."] == [(0, 3, "ORG", "c")]  # one annotator: --coder's layer


def test_recognising_a_huge_file_reads_only_its_head(tmp_path: Path) -> None:
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for name in ("huge.json", "huge.jsonl", "huge.txt"):
        with (tmp_path / name).open("wb") as out:  # sparse: 2 GB long, no line break
            out.truncate(2 * 1024**3)
        assert detect_format([tmp_path / name]) is None
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200
