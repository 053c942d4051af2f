"""CoNLL-2003 / IOB2 / BILOU token files in and IOB2 out: schemes, rebuilt text, repairs,
bad tags, and the round trip over the rebuilt text (same tokens, same labels)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import assume, given, settings

from annotator.io.interchange.tokens import aligned, tokens
from annotator.services.interchange_export import export_annotated
from annotator.services.interchange_import import detect_format, import_annotated
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository, SpanRepository
from tests.conftest import SMALL_CODEBOOK
from tests.interchange.helpers import coded_project, layers
from tests.interchange.test_interchange_round_trip import unique_docs

FIXTURES = Path(__file__).parent / "fixtures" / "conll"
MAP = {"PER": "PERSON", "LOC": "LOCATION", "MISC": "ORG"}


def _file(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_token_files_are_found_and_plain_text_is_not(tmp_path: Path) -> None:
    assert detect_format([FIXTURES]) == "conll"
    assert detect_format([FIXTURES / "eng_excerpt.conll"]) == "conll"
    assert detect_format([_file(tmp_path, "a.txt", "-DOCSTART- -X- O O\n\nEU B-ORG\n")]) == "conll"
    assert detect_format([_file(tmp_path, "b.txt", "Imran B-PER\nKhan I-PER\nspoke O\n")]) == "conll"
    article = _file(tmp_path, "c.txt", "The Prime Minister spoke.\nHe said O\nit went well.\n")
    assert detect_format([article]) is None


def test_conll2003_excerpt_is_iob1_with_pos_and_chunk_columns_ignored(project: Project) -> None:
    report = import_annotated(project, [FIXTURES / "eng_excerpt.conll"], coder="c", label_map=MAP)
    assert report.refused == [] and report.skipped == []  # IOB1: an I- after O starts an entity
    assert report.added == 2
    got = layers(project)
    first = "EU rejects German call to boycott British lamb .\nPeter Blackburn\nBRUSSELS 1996-08-22"
    assert got[first] == [(0, 2, "ORG", "c"), (11, 17, "ORG", "c"), (34, 41, "ORG", "c"),
                          (49, 64, "PERSON", "c"), (65, 73, "LOCATION", "c")]
    second = "The European Commission said on Thursday it disagreed with German advice ."
    assert got[second] == [(4, 23, "ORG", "c"), (59, 65, "ORG", "c")]
    with project.read_session() as session:
        documents = DocumentRepository(session)
        assert sorted(documents.get(i).title for i in documents.ids()) == ["eng_excerpt 1", "eng_excerpt 2"]


def test_bilou_file_reads_units_and_last_tags(project: Project) -> None:
    report = import_annotated(project, [FIXTURES / "bilou.bilou"], coder="c", label_map=MAP)
    assert report.refused == [] and report.skipped == []
    assert layers(project)["Imran Khan spoke in Lahore .\nعمران خان"] == [
        (0, 10, "PERSON", "c"), (20, 26, "LOCATION", "c"), (29, 38, "PERSON", "c")]


def test_invalid_sequences_are_repaired_and_reported_by_line(tmp_path: Path, project: Project) -> None:
    iob2 = _file(tmp_path, "a.iob", "Imran B-PERSON\nKhan I-PERSON\nof O\nLahore I-LOCATION\n\nPTI I-ORG\n")
    report = import_annotated(project, [iob2], coder="c")
    assert report.refused == []
    assert report.skipped == [
        "a.iob: line 4: I-LOCATION does not continue an entity (IOB2): read as B-LOCATION",
        "a.iob: line 6: I-ORG does not continue an entity (IOB2): read as B-ORG",
    ]
    assert layers(project)["Imran Khan of Lahore\nPTI"] == [
        (0, 10, "PERSON", "c"), (14, 20, "LOCATION", "c"), (21, 24, "ORG", "c")]
    bilou = _file(tmp_path, "b.bilou", "Imran B-PERSON\nspoke O\nin O\nLahore L-LOCATION\n")
    report = import_annotated(project, [bilou], coder="c")
    assert report.skipped == [
        "b.bilou: line 1: PERSON entity not closed with L-/E-: it ends here",
        "b.bilou: line 4: L-LOCATION does not continue an entity (BILOU): read as B-LOCATION",
    ]
    assert layers(project)["Imran spoke in Lahore"] == [(0, 5, "PERSON", "c"), (15, 21, "LOCATION", "c")]


def test_a_wrong_tag_refuses_its_document_only(tmp_path: Path, project: Project) -> None:
    path = _file(tmp_path, "bad.conll", (
        "-DOCSTART- O\n\nImran B-PERSON\nKhan PER\n\n-DOCSTART- O\n\nNawaz\n\n"
        "-DOCSTART- O\n\nLahore B-LOCATION\n\n-DOCSTART- O\n\nMars B-PLANET\n"))
    report = import_annotated(project, [path], coder="c")
    assert report.refused == [
        "bad.conll: line 4: tag 'PER' is not O or B-, I-, L-, U-, E-, S- with a type",
        "bad.conll: line 8: 'Nawaz' has no tag (a token and its tag, separated by white space)",
        "bad.conll: line 16: label 'PLANET' is not in the project's codebook (map it with "
        "--label-map or add it with --add-labels)",
    ]
    assert layers(project) == {"Lahore": [(0, 6, "LOCATION", "c")]}  # nothing half-imported


def test_export_is_iob2_with_sentences_at_line_breaks_and_counts_what_it_cannot_say(tmp_path: Path) -> None:
    text = "Nawaz\r\nSharif met Obama-led team in 北京、then left.\n\nPTI spoke."
    spans = [(0, 13, "PERSON"), (18, 23, "PERSON"), (36, 38, "LOCATION"), (51, 54, "ORG")]
    with coded_project(tmp_path / "a.annotator", [(text, spans)], "c") as source:
        summary = export_annotated(source, tmp_path / "out.conll", "conll", coder="c")
    assert summary.entities == 3
    assert summary.lost == {"entities whose edges fall inside a word": 1,  # Obama in Obama-led
                            "documents' titles and details": 1}
    assert (tmp_path / "out.conll").read_text(encoding="utf-8") == (
        "-DOCSTART- O\n\n"
        "Nawaz B-PERSON\nSharif I-PERSON\nmet O\nObama-led O\nteam O\nin O\n北京 B-LOCATION\n、 O\n"
        "then O\nleft O\n. O\n\nPTI B-ORG\nspoke O\n. O\n\n"
    )


def _token_labels(text: str, spans: list[tuple[int, int, str, str | None]]) -> tuple[list[str], set[tuple[int, int, str]]]:
    found = tokens(text)
    labelled = set()
    for start, end, label, _ in spans:
        covered = aligned(found, start, end)
        assert covered is not None
        labelled.add((*covered, label))
    return [text[s:e] for s, e in found], labelled


@settings(max_examples=25, deadline=None)
@given(unique_docs)
def test_conll_round_trip_keeps_tokens_and_their_labels(docs) -> None:  # type: ignore[no-untyped-def]
    keys = [tuple(text[s:e] for s, e in tokens(text)) for text, _ in docs]
    assume(all(keys) and len(set(keys)) == len(keys))  # texts of the same words rebuild alike
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with coded_project(root / "a.annotator", docs, "ayesha") as source:
            summary = export_annotated(source, root / "out.conll", "conll", coder="ayesha")
            expected = [_token_labels(text, spans) for text, spans in layers(source).items()]
        assert "entities whose edges fall inside a word" not in summary.lost
        with Project(root / "b.annotator", create=True, codebook=SMALL_CODEBOOK) as target:
            report = import_annotated(target, [root / "out.conll"], coder="ayesha")
            assert report.format == "conll" and report.refused == [] and report.skipped == []
            with target.read_session() as session:
                documents = DocumentRepository(session)
                got = []
                for i in documents.ids():
                    text = documents.get(i).text
                    rows = SpanRepository(session).for_document(i)
                    assert all(s.annotator == "ayesha" for s in rows)
                    got.append(_token_labels(text, [(s.start, s.end, s.label, None) for s in rows]))
                    assert text == "\n".join(" ".join(line.split(" ")) for line in text.split("\n"))
        assert got == expected
