"""Prodigy JSONL in and out: ner.manual output, answers, annotators, bad lines, round trips."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings

from annotator.domain.model import SpanStatus
from annotator.services.interchange_export import export_annotated
from annotator.services.interchange_import import detect_format, import_annotated
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK
from tests.interchange.helpers import coded_project, layers, spans_of
from tests.interchange.test_interchange_round_trip import unique_docs

FIXTURES = Path(__file__).parent / "fixtures"
MAP = {"GPE": "LOCATION"}


def _write(path: Path, records: list[object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_prodigy_doccano_and_study_lines_are_told_apart(tmp_path: Path) -> None:
    assert detect_format([FIXTURES / "prodigy" / "ner_manual.jsonl"]) == "prodigy"
    assert detect_format([FIXTURES / "prodigy"]) == "prodigy"
    assert detect_format([FIXTURES / "doccano" / "label_form.jsonl"]) == "doccano"
    bare = _write(tmp_path / "bare.jsonl", [{"text": "Obama", "spans": [{"start": 0, "end": 5, "label": "PERSON"}]}])
    assert detect_format([bare]) == "prodigy"
    empty = _write(tmp_path / "empty.jsonl", [{"text": "a", "spans": [], "answer": "accept"}])
    assert detect_format([empty]) == "prodigy"
    study = _write(tmp_path / "study.jsonl", [{"text": "a", "entities": [{"start": 0, "end": 1, "label": "X"}]}])
    plain = _write(tmp_path / "plain.jsonl", [{"text": "a", "spans": "none"}])
    assert detect_format([study]) is None and detect_format([plain]) is None


def test_ner_manual_answers_become_accepted_rejected_or_left_out(project: Project) -> None:
    report = import_annotated(project, [FIXTURES / "prodigy"], coder="alex", label_map=MAP)
    assert report.refused == [] and report.added == 3 and report.entities == 3
    assert report.skipped == ["ner_manual.jsonl: line 4: answer 'ignore': the task is left out"]
    got = layers(project)
    assert got["Imran Khan spoke in Lahore 🇵🇰 on Friday."] == [
        (0, 10, "PERSON", "alex"), (20, 26, "LOCATION", "alex")]  # code points, after an emoji
    assert "The weather was fine." not in got
    rejected = [s for s in spans_of(project) if s.status is SpanStatus.REJECTED]
    assert [(s.start, s.end, s.label, s.annotator, s.text) for s in rejected] == [
        (12, 14, "PERSON", "alex", "北京")]  # a known negative in alex's layer
    with project.read_session() as session:
        from annotator.storage.repositories import DocumentRepository

        documents = DocumentRepository(session)
        apple = next(documents.get(i) for i in documents.ids() if documents.get(i).text.startswith("Apple"))
    assert apple.source == "The Verge" and apple.metadata["score"] == "0.41"


def test_binary_ner_lines_of_one_text_land_in_one_document(tmp_path: Path, project: Project) -> None:
    text = "New York Times reporter in New York"
    path = _write(tmp_path / "binary.jsonl", [
        {"text": text, "spans": [{"start": 0, "end": 14, "label": "ORG"}], "answer": "accept"},
        {"text": text, "spans": [{"start": 27, "end": 35, "label": "LOCATION"}], "answer": "accept"},
        {"text": text, "spans": [{"start": 15, "end": 23, "label": "PERSON"}], "answer": "reject"},
    ])
    report = import_annotated(project, [path], coder="c")
    assert (report.added, report.merged, report.entities) == (1, 2, 2)
    assert sorted((s.start, s.status.value) for s in spans_of(project)) == [
        (0, "accepted"), (15, "rejected"), (27, "accepted")]


def test_several_annotators_get_their_own_layers(tmp_path: Path, project: Project) -> None:
    text = "Imran Khan spoke."
    path = _write(tmp_path / "multi.jsonl", [
        {"text": text, "spans": [{"start": 0, "end": 10, "label": "PERSON"}], "answer": "accept",
         "_annotator_id": "news-alex", "_session_id": "news-alex"},
        {"text": text, "spans": [{"start": 0, "end": 5, "label": "PERSON"}], "answer": "accept",
         "_annotator_id": "news-bo", "_session_id": "news-bo"},
    ])
    assert import_annotated(project, [path], coder="c").refused == []
    assert layers(project)[text] == [(0, 5, "PERSON", "bo"), (0, 10, "PERSON", "alex")]


def test_bad_lines_are_refused_by_number_and_the_rest_lands(tmp_path: Path, project: Project) -> None:
    path = _write(tmp_path / "bad.jsonl", [
        {"text": "Imran Khan spoke.", "spans": [{"start": 0, "end": 10, "label": "PERSON"}], "answer": "accept"},
        {"text": "Too short.", "spans": [{"start": 0, "end": 99, "label": "PERSON"}], "answer": "accept"},
        {"text": "Nawaz spoke.", "spans": [{"start": 0, "end": 5, "label": "PERSON", "text": "Imran"}]},
        {"text": "Maybe.", "spans": [], "answer": "perhaps"},
        {"text": "Unknown.", "spans": [{"start": 0, "end": 7, "label": "PLANET"}], "answer": "accept"},
    ])
    with path.open("a", encoding="utf-8") as stream:
        stream.write('{"text": "cut off", "spans": [\n')
    report = import_annotated(project, [path], "prodigy")
    assert report.refused[:4] == [
        "bad.jsonl: line 2: span 1: ends at 99, past the end of the text (10 characters)",
        "bad.jsonl: line 3: span 1: says 'Imran' but the text at 0-5 is 'Nawaz'",
        "bad.jsonl: line 4: answer 'perhaps' is not accept, reject or ignore",
        "bad.jsonl: line 5: label 'PLANET' is not in the project's codebook (map it with "
        "--label-map or add it with --add-labels)",
    ]
    assert report.refused[4].startswith("bad.jsonl: line 6: is not JSON")
    assert list(layers(project)) == ["Imran Khan spoke."]  # nothing of the refused lines stays


def test_export_writes_accepted_tasks_with_tokens_matching_the_spans(tmp_path: Path) -> None:
    text = "Obama's visit to 北京、\r\nthen Lahore."
    docs = [(text, [(0, 5, "PERSON"), (17, 19, "LOCATION"), (27, 33, "LOCATION")])]
    with coded_project(tmp_path / "a.annotator", docs, "c") as source:
        summary = export_annotated(source, tmp_path / "out.jsonl", "prodigy", coder="c")
    assert summary.lost_line() == "Nothing was left out: prodigy holds all of it."
    task = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert task["answer"] == "accept" and task["meta"] == {"title": "t"}
    tokens = task["tokens"]
    assert [t["text"] for t in tokens] == ["Obama", "'s", "visit", "to", "北京", "、", "then", "Lahore", "."]
    for span in task["spans"]:
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]
    assert all(text[t["start"]:t["end"]] == t["text"] for t in tokens)
    assert [t["ws"] for t in tokens][:3] == [False, True, True]


@settings(max_examples=25, deadline=None)
@given(unique_docs)
def test_prodigy_round_trip_keeps_documents_and_spans(docs) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with coded_project(root / "a.annotator", docs, "ayesha") as source:
            summary = export_annotated(source, root / "out.jsonl", "prodigy", coder="ayesha")
            expected = layers(source)
        assert summary.documents == len(expected) and summary.lost == {}
        with Project(root / "b.annotator", create=True, codebook=SMALL_CODEBOOK) as target:
            report = import_annotated(target, [root / "out.jsonl"], coder="ayesha")
            assert report.format == "prodigy" and report.refused == []
            assert layers(target) == expected
