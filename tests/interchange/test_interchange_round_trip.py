"""Export -> import into an empty project keeps documents and entity spans (offsets, labels,
coder) in brat and doccano, for texts with emoji, combining marks, CRLF, Urdu and Chinese."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.services.interchange_export import export_annotated
from annotator.services.interchange_import import import_annotated
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK
from tests.interchange.helpers import coded_project, layers

WORDS = ["Obama", "😀", "👨\u200d👩\u200d👧", "e\u0301te\u0301", "عمران", "خان", "北京", "习近平", "🇧🇪", "Zoë"]
GAPS = [" ", "\r\n", "\n", " \r\n", "  ", "、", "،"]
LABELS = [label.name for label in SMALL_CODEBOOK.labels]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    """A text of words and gaps, and non-overlapping spans from a word to a word."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
    gaps = draw(st.lists(st.sampled_from(GAPS), min_size=len(words), max_size=len(words)))
    text, bounds = "", []
    for word, gap in zip(words, gaps, strict=True):
        bounds.append((len(text), len(text) + len(word)))
        text += word + gap
    spans, at = [], 0
    while at < len(bounds):
        length = draw(st.integers(0, 3))
        if length and at + length <= len(bounds):
            spans.append((bounds[at][0], bounds[at + length - 1][1], draw(st.sampled_from(LABELS))))
        at += max(length, 1)
    return text, spans


def _round_trip(docs: list[tuple[str, list[tuple[int, int, str]]]], format_name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with coded_project(root / "a.annotator", docs, "ayesha") as source:
            out = root / ("out" if format_name == "brat" else "out.jsonl")
            summary = export_annotated(source, out, format_name, coder="ayesha")
            expected = layers(source)
        assert summary.documents == len(expected)
        with Project(root / "b.annotator", create=True, codebook=SMALL_CODEBOOK) as target:
            report = import_annotated(target, [out], format_name, coder="ayesha")
            assert report.refused == []
            assert layers(target) == expected


unique_docs = st.lists(documents(), min_size=1, max_size=4, unique_by=lambda d: d[0])


@settings(max_examples=25, deadline=None)
@given(unique_docs)
def test_brat_round_trip_keeps_documents_and_spans(docs) -> None:  # type: ignore[no-untyped-def]
    _round_trip(docs, "brat")


@settings(max_examples=25, deadline=None)
@given(unique_docs)
def test_doccano_round_trip_keeps_documents_and_spans(docs) -> None:  # type: ignore[no-untyped-def]
    _round_trip(docs, "doccano")


def test_a_span_across_a_crlf_goes_out_as_brat_fragments_and_comes_back_whole(tmp_path: Path) -> None:
    text = "Nawaz\r\nSharif spoke."
    with coded_project(tmp_path / "a.annotator", [(text, [(0, 13, "PERSON")])], "c") as source:
        export_annotated(source, tmp_path / "out", "brat", coder="c")
    ann = (tmp_path / "out" / "doc000001.ann").read_text(encoding="utf-8")
    assert ann == "T1\tPERSON 0 5;7 13\tNawaz Sharif\n"
    assert (tmp_path / "out" / "doc000001.txt").read_bytes() == text.encode()  # CRLF kept
    with Project(tmp_path / "b.annotator", create=True, codebook=SMALL_CODEBOOK) as target:
        report = import_annotated(target, [tmp_path / "out"], coder="c")
        assert report.skipped == []  # a gap of a line break only is not reported as discontinuous
        assert layers(target) == {text: [(0, 13, "PERSON", "c")]}


@pytest.mark.parametrize(("format_name", "fixture", "out_name"), [
    ("brat", "brat", "out"),
    ("doccano", "doccano/label_form.jsonl", "out.jsonl"),
    ("doccano", "doccano/entities_form.jsonl", "out.jsonl"),
])
def test_the_tools_example_files_go_round_unchanged(
    tmp_path: Path, format_name: str, fixture: str, out_name: str
) -> None:
    """Each tool's example file imported, exported and imported again gives the same layer."""
    source = Path(__file__).parent / "fixtures" / fixture
    with Project(tmp_path / "a.annotator", create=True, codebook=SMALL_CODEBOOK) as first:
        report = import_annotated(first, [source], format_name, coder="ayesha", add_labels=True)
        assert report.refused == [] and report.entities > 0
        expected = layers(first)
        export_annotated(first, tmp_path / out_name, format_name, coder="ayesha")
    with Project(tmp_path / "b.annotator", create=True, codebook=SMALL_CODEBOOK) as second:
        again = import_annotated(second, [tmp_path / out_name], format_name, coder="ayesha",
                                 add_labels=True)
        assert again.refused == []
        assert layers(second) == expected


# -- REFI-QDA (.qdpx): entities come back as entities, codings (which overlap) as codings ----
def _qdpx_round_trip(docs: list[tuple[str, list[tuple[int, int, str]]]]) -> None:
    from annotator.domain.codings import Coding
    from annotator.storage.repositories import DocumentRepository
    from annotator.storage.repositories.codings import CodingRepository
    from tests.interchange.qdpx_helpers import codings_of

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with coded_project(root / "a.annotator", docs, "ayesha") as source:
            with source.session() as session:  # every entity also coded twice, overlapping it
                for document_id in DocumentRepository(session).ids():
                    text = DocumentRepository(session).get(document_id).text
                    CodingRepository(session).add([
                        coding for s, e, _ in next(d[1] for d in docs if d[0] == text)
                        for coding in (Coding(document_id, s, e, text[s:e], "theme", "bilal", "m 😀"),
                                       Coding(document_id, 0, e, text[:e], "frame", "ayesha"))
                    ])
            out = root / "out.qdpx"
            export_annotated(source, out, "qdpx")
            expected, expected_codings = layers(source), codings_of(source)
        with Project(root / "b.annotator", create=True, codebook=SMALL_CODEBOOK) as target:
            report = import_annotated(target, [out], coder="someone")
            assert report.refused == []
            assert layers(target) == expected
            assert codings_of(target) == expected_codings


@settings(max_examples=25, deadline=None)
@given(unique_docs)
def test_qdpx_round_trip_keeps_documents_entities_and_codings(docs) -> None:  # type: ignore[no-untyped-def]
    _qdpx_round_trip(docs)
