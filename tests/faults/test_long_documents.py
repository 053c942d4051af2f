"""Issue 9 point 5: one long document never blocks the others.

Texts longer than spaCy's ``nlp.max_length`` are read in pieces with exact offsets; a
document spaCy fails on is reported and skipped while every other document is processed,
in one process and in two.
"""

from __future__ import annotations

import itertools
import re

import pytest
import spacy
from spacy.language import Language

from annotator.domain.model import NewDocument, Pattern
from annotator.nlp.annotate import annotate_documents
from annotator.nlp.models import NerPipeline, load_ner_pipeline
from annotator.nlp.pieces import PIECE_CHARS, pieces
from annotator.services.preannotate import Preannotator, run_to_end
from annotator.services.project import Project
from annotator.storage.repositories import DocumentRepository, SpanRepository
from tests.nlp.conftest import LABEL_MAP, MODEL

PATTERNS = (Pattern("PERSON", "Shehbaz Sharif"), Pattern("PERSON", "Asim Munir"), Pattern("LOCATION", "Islamabad"))
NAMES = re.compile(r"Shehbaz Sharif|Asim Munir|Islamabad")


@Language.component("annotator_test_explode")
def _explode(doc):  # a component that fails on one document, as a broken model might
    if "BOOM" in doc.text:
        raise ValueError("this text breaks the pipeline")
    return doc


def blank(max_length: int | None = None, explode: bool = False) -> NerPipeline:
    nlp = spacy.blank("en")
    if max_length is not None:
        nlp.max_length = max_length
    if explode:
        nlp.add_pipe("annotator_test_explode")
    return NerPipeline.from_language(nlp, "blank_en", "0.0", patterns=PATTERNS)


def expected(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in NAMES.finditer(text)]


def one_paragraph(sentences: int) -> str:
    """A single paragraph (no blank line) of varied sentences full of names."""
    parts = []
    for i in range(sentences):
        parts.append(
            f"On day {i} Shehbaz Sharif met Asim Munir in Islamabad{'!' if i % 7 == 0 else '.'}"
            f"{' ' * (i % 3 + 1)}Talks went on{',' if i % 2 else ''} and Islamabad waited{'?' if i % 5 == 0 else '.'} "
        )
    return "".join(parts)


# --- pieces -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    one_paragraph(400),
    one_paragraph(200).replace(". ", ".\n"),  # lines, no blank line
    ("word " * 5000) + "Islamabad " + ("x" * 3000) + " end",  # no sentence end; one very long word
    "Head\n\n" + one_paragraph(300) + "\n\n\n" + one_paragraph(10),
])
def test_pieces_are_exact_bounded_and_cut_at_whitespace(text: str) -> None:
    limit = 1000
    parts = list(pieces(text, limit))
    assert parts, "a text with words gives pieces"
    for offset, piece in parts:
        assert text[offset : offset + len(piece)] == piece
        assert 0 < len(piece) <= limit
    for (offset, piece), (following, _) in itertools.pairwise(parts):
        end = offset + len(piece)
        assert end <= following
        if "x" * 1001 not in text[end - 1 : end + 1001]:  # only a word longer than a piece is cut
            assert text[end].isspace() or text[end - 1].isspace()
    covered = "".join(text[o : o + len(p)] for o, p in parts)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)  # nothing lost


def test_a_long_paragraph_is_cut_after_a_sentence_not_inside_one() -> None:
    text = one_paragraph(300)
    for offset, piece in list(pieces(text, 2000))[:-1]:
        assert piece.rstrip()[-1] in ".!?", piece[-40:]
        assert text[offset + len(piece)].isspace()


def test_a_normal_article_stays_in_paragraphs() -> None:
    text = "Head\n\nFirst paragraph.\n\nSecond one."
    assert list(pieces(text)) == [(0, "Head"), (6, "First paragraph."), (24, "Second one.")]
    assert spacy.blank("en").max_length > PIECE_CHARS


# --- annotate_documents -------------------------------------------------------------------


@pytest.mark.parametrize("n_process", [1, 2])
def test_text_beyond_max_length_gives_every_entity_at_its_exact_offset(n_process: int) -> None:
    pipeline = blank(max_length=3000)
    long_text = one_paragraph(600)  # about 18 times max_length, one paragraph
    assert len(long_text) > 15 * 3000
    lines = one_paragraph(200).replace(". ", ".\n")
    docs = [("short", "Asim Munir spoke."), ("long", long_text), ("lines", lines), ("empty", "")]
    results = {r.key: r for r in annotate_documents(pipeline, docs, LABEL_MAP, n_process=n_process)}
    assert list(results) == ["short", "long", "lines", "empty"]
    for key, text in docs:
        assert results[key].error is None
        found = [(g.start, g.end, g.text) for g in results[key].guesses]
        assert found == expected(text), key
    last = results["long"].guesses[-1]
    assert last.start > len(long_text) - 100 and long_text[last.start : last.end] == last.text


def test_text_over_a_million_characters_with_the_default_max_length() -> None:
    pipeline = blank()
    text = one_paragraph(14_000)
    assert len(text) > pipeline.nlp.max_length
    [result] = annotate_documents(pipeline, [(1, text)], LABEL_MAP)
    assert result.error is None
    assert [(g.start, g.end, g.text) for g in result.guesses] == expected(text)


@pytest.mark.parametrize("n_process", [1, 2])
def test_a_document_spacy_fails_on_is_reported_and_the_others_are_read(n_process: int) -> None:
    pipeline = blank(explode=True)
    docs = [(i, f"Asim Munir in Islamabad, item {i}." + (" BOOM" if i == 5 else "")) for i in range(40)]
    results = list(annotate_documents(pipeline, docs, LABEL_MAP, batch_size=8, n_process=n_process))
    assert [r.key for r in results] == list(range(40))
    failed = [r for r in results if r.error is not None]
    assert [r.key for r in failed] == [5]
    assert "ValueError" in failed[0].error and "breaks the pipeline" in failed[0].error
    assert all(len(r.guesses) == 2 for r in results if r.key != 5)


# --- the service ----------------------------------------------------------------------------


def _loader(max_length: int | None = None, explode: bool = False):
    def load(name: str, patterns) -> NerPipeline:
        return blank(max_length, explode)

    return load


@pytest.mark.parametrize("n_process", [1, 2])
def test_preannotate_skips_the_failing_document_and_processes_the_rest(project: Project, n_process: int) -> None:
    with project.session() as session:
        docs = DocumentRepository(session)
        ids = [docs.add(NewDocument(text=f"Asim Munir in Islamabad, item {i}." + (" BOOM" if i == 2 else ""),
                                    title=f"Doc {i}")) for i in range(6)]
    annotator = Preannotator(project, loader=_loader(explode=True))
    summary = run_to_end(annotator.run(n_process=n_process, batch_size=2))
    assert summary.documents == 5 and not summary.cancelled
    assert [(f.document_id, "breaks the pipeline" in f.reason) for f in summary.failed] == [(ids[2], True)]
    with project.session() as session:
        spans = SpanRepository(session)
        assert {i: len(spans.for_document(i)) for i in ids} == {i: 0 if i == ids[2] else 2 for i in ids}
    assert annotator.pending() == [ids[2]]  # tried again next run


def test_preannotate_stores_exact_suggestions_for_a_text_beyond_max_length(project: Project) -> None:
    text = one_paragraph(300)
    with project.session() as session:
        doc = DocumentRepository(session).add(NewDocument(text=text, title="Long"))
    summary = run_to_end(Preannotator(project, loader=_loader(max_length=2000)).run())
    assert summary.documents == 1 and not summary.failed
    with project.session() as session:
        stored = sorted((s.start, s.end, s.text) for s in SpanRepository(session).for_document(doc))
    assert stored == expected(text)


@pytest.mark.slow
def test_real_model_reads_a_text_beyond_max_length_in_pieces() -> None:
    pipeline = load_ner_pipeline(MODEL, PATTERNS)
    pipeline.nlp.max_length = 5000
    text = one_paragraph(250)
    assert len(text) > 4 * 5000
    [result] = annotate_documents(pipeline, [(1, text)], LABEL_MAP)
    assert result.error is None
    pattern_hits = [(g.start, g.end, g.text) for g in result.guesses if NAMES.fullmatch(g.text)]
    assert pattern_hits == expected(text)
    for g in result.guesses:
        assert text[g.start : g.end] == g.text
