"""spaCy DocBin (.spacy) in and out: spaCy's own way of building one, spans groups, missing
annotation, damaged files refused whole, token alignment on export, train/dev split, and the
round trip as a property over texts with emoji, combining marks, CRLF, Urdu and Chinese."""

from __future__ import annotations

import io
import tempfile
import zipfile
import zlib
from pathlib import Path

import pytest
import spacy
import srsly
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc, DocBin
from spacy.training import Corpus

from annotator.domain.errors import ExportError
from annotator.io.interchange.records import ExportDocument
from annotator.io.interchange.spacy_docbin import (
    MISALIGNED,
    UNANNOTATED,
    NotADocBin,
    read_docbin,
    split_documents,
)
from annotator.services.interchange_export import export_annotated
from annotator.services.interchange_import import detect_format, import_annotated
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK
from tests.interchange.helpers import coded_project, layers
from tests.interchange.test_interchange_round_trip import unique_docs

FIXTURE = Path(__file__).parent / "fixtures" / "spacy" / "news.spacy"
MAP = {"GPE": "LOCATION"}
APPLE = "Apple is opening its first big office in San Francisco."
NAWAZ = "Nawaz Sharif of the PML-N spoke in Lahore."


def _docbin(texts_and_ents: list[tuple[str, list[tuple[int, int, str]]]]) -> bytes:
    nlp = spacy.blank("en")
    docbin = DocBin()
    for text, ents in texts_and_ents:
        doc = nlp.make_doc(text)
        doc.ents = [doc.char_span(s, e, label=label) for s, e, label in ents]
        docbin.add(doc)
    return bytes(docbin.to_bytes())


def _titles(project: Project) -> dict[str, tuple[str, str | None]]:
    with project.read_session() as session:
        from annotator.storage.repositories import DocumentRepository

        documents = DocumentRepository(session)
        return {d.text: (d.title, d.source) for d in map(documents.get, documents.ids())}


# -- import ------------------------------------------------------------------------------
def test_a_docbin_or_a_folder_holding_one_is_told_by_its_extension(tmp_path: Path) -> None:
    assert detect_format([FIXTURE]) == "spacy"
    assert detect_format([FIXTURE.parent]) == "spacy"
    assert detect_format([tmp_path]) is None


def test_spacys_own_docbin_lands_with_code_point_offsets_title_and_missing_tokens_said(
    project: Project,
) -> None:
    report = import_annotated(project, [FIXTURE], coder="li", label_map=MAP)
    assert report.refused == [] and report.added == 5 and report.entities == 8
    got = layers(project)
    assert got[APPLE] == [(0, 5, "ORG", "li"), (41, 54, "LOCATION", "li")]
    assert got["Imran Khan 😀 visited 北京 on Monday."] == [(0, 10, "PERSON", "li"), (21, 23, "LOCATION", "li")]
    assert got["Zoë Sa\u0301nchez left Dawn.\r\nThen Lahore."] == [
        (0, 12, "PERSON", "li"), (18, 22, "ORG", "li"), (30, 36, "LOCATION", "li")]
    assert got["Dawn reported it."] == [(0, 4, "ORG", "li")]
    assert got[NAWAZ] == []  # its spans are in doc.spans["sc"], not doc.ents
    assert _titles(project)[APPLE] == ("Apple's new office", "spaCy docs")
    assert report.skipped == [
        "news.spacy: doc 4: 2 of 4 tokens have missing entity annotation (not O): they land as "
        "text outside any entity",
        "news.spacy: doc 5: has no entity annotation (every token missing, not O): it lands "
        "without entities (it has spans groups sc: read one with --spans-key)",
    ]


def test_a_spans_group_is_read_with_spans_key_and_its_overlaps_are_reported(project: Project) -> None:
    from annotator.services.interchange_import import ReadOptions

    report = import_annotated(project, [FIXTURE], "spacy", coder="li", label_map=MAP,
                              options=ReadOptions(spans_key="sc"))
    assert report.refused == []
    assert layers(project)[NAWAZ] == [(0, 12, "PERSON", "li"), (20, 25, "ORG", "li"),
                                      (35, 41, "LOCATION", "li")]
    assert ("news.spacy: line 5: PERSON 0-25 skipped: it overlaps PERSON 0-12 (one coder's "
            "entities do not overlap)") in report.skipped
    assert "news.spacy: doc 1: has no spans group 'sc': it lands without entities" in report.skipped


def test_a_spans_key_no_doc_has_refuses_the_file_naming_the_groups_it_has(project: Project) -> None:
    from annotator.services.interchange_import import ReadOptions

    report = import_annotated(project, [FIXTURE], "spacy", options=ReadOptions(spans_key="spans"))
    assert report.refused == [f"{FIXTURE}: has no spans group 'spans' (its groups: sc; leave out "
                              "--spans-key to read doc.ents)"]
    assert layers(project) == {}


def test_spans_without_a_label_are_reported_not_dropped_silently(tmp_path: Path, project: Project) -> None:
    from annotator.services.interchange_import import ReadOptions

    doc = spacy.blank("en").make_doc("Imran Khan spoke in Lahore.")
    doc.spans["sc"] = [doc.char_span(0, 10, "PERSON"), doc.char_span(20, 26)]
    DocBin(docs=[doc]).to_disk(tmp_path / "x.spacy")
    report = import_annotated(project, [tmp_path / "x.spacy"], options=ReadOptions(spans_key="sc"))
    assert report.skipped == ["x.spacy: doc 1: 1 span(s) without a label skipped"]
    assert layers(project) == {"Imran Khan spoke in Lahore.": [(0, 10, "PERSON", "imported")]}


def test_an_unknown_label_refuses_its_doc_by_number_and_the_others_land(project: Project) -> None:
    report = import_annotated(project, [FIXTURE], coder="li")
    assert report.unmapped == ["GPE"]
    assert report.refused == [
        f"news.spacy: line {n}: label 'GPE' is not in the project's codebook (map it with "
        "--label-map or add it with --add-labels)" for n in (1, 2, 3)]
    assert set(layers(project)) == {"Dawn reported it.", NAWAZ}


def test_damaged_files_are_refused_whole_with_their_reason_and_the_good_one_lands(
    tmp_path: Path, project: Project,
) -> None:
    good = _docbin([("Imran Khan spoke.", [(0, 10, "PERSON")])])
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_good.spacy").write_bytes(good)
    (folder / "b_truncated.spacy").write_bytes(FIXTURE.read_bytes()[:600])
    (folder / "c_random.spacy").write_bytes(bytes(range(7, 250, 3)) * 5)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("train.json", "{}")
    (folder / "d_zip.spacy").write_bytes(archive.getvalue())
    (folder / "e_not_docbin.spacy").write_bytes(zlib.compress(srsly.msgpack_dumps({"a": 1})))
    # damaged inside: doc 2's label is missing from the strings, found when the docs are built
    message = srsly.msgpack_loads(zlib.decompress(_docbin([
        ("Shehbaz Sharif spoke.", [(0, 14, "PERSON")]), ("Dawn said so.", [(0, 4, "NEWSPAPER")])])))
    message["strings"] = [s for s in message["strings"] if s != "NEWSPAPER"]
    (folder / "f_half.spacy").write_bytes(zlib.compress(srsly.msgpack_dumps(message)))

    report = import_annotated(project, [folder], coder="li")
    assert report.files == 6
    refused = {line.split(":", 1)[0]: line.split(": ", 1)[1] for line in report.refused}
    assert refused == {
        str(folder / "b_truncated.spacy"): "is not a spaCy DocBin (it is cut short: truncated)",
        str(folder / "c_random.spacy"): "is not a spaCy DocBin (it is not zlib-compressed data, "
                                        "as a DocBin is)",
        str(folder / "d_zip.spacy"): "is not a spaCy DocBin (it is not zlib-compressed data, as a "
                                     "DocBin is)",
        str(folder / "e_not_docbin.spacy"): "is not a spaCy DocBin (its data lacks the field 'attrs')",
        str(folder / "f_half.spacy"): refused[str(folder / "f_half.spacy")],
    }
    assert refused[str(folder / "f_half.spacy")].startswith("is not a spaCy DocBin (its data is "
                                                            "damaged: [E084] Error assigning label")
    # the good file landed; nothing of the half-readable one, not even its good doc 1
    assert layers(project) == {"Imran Khan spoke.": [(0, 10, "PERSON", "li")]}


def test_files_made_by_spacy_convert_land_and_go_out_again_with_the_same_entities(
    tmp_path: Path, project: Project,
) -> None:
    """The public examples: CoNLL-2003 lines and spaCy's IOB sample through `spacy convert`."""
    folder = FIXTURE.parent
    mapping = {"GPE": "LOCATION", "LOC": "LOCATION", "PER": "PERSON", "MISC": "ORG"}
    report = import_annotated(project, [folder / "conll_example.spacy", folder / "iob_example.spacy"],
                              coder="li", label_map=mapping)
    assert report.refused == [] and report.skipped == [] and (report.added, report.entities) == (3, 11)
    got = layers(project)
    eu = "EU rejects German call to boycott British lamb . Peter Blackburn "
    assert [(eu[s:e], label) for s, e, label, _ in got[eu]] == [
        ("EU", "ORG"), ("German", "ORG"), ("British", "ORG"), ("Peter Blackburn", "PERSON")]
    export_annotated(project, tmp_path / "back.spacy", "spacy", coder="li")
    vocab = spacy.blank("en").vocab

    def entities(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
        return [(d.text, [(e.start_char, e.end_char) for e in d.ents])
                for d in DocBin().from_disk(path).get_docs(vocab)]

    original = entities(folder / "conll_example.spacy") + entities(folder / "iob_example.spacy")
    assert entities(tmp_path / "back.spacy") == original


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255), st.sampled_from("set cut add")),
                min_size=1, max_size=4),
       st.sampled_from([None, "sc"]))
def test_a_damaged_docbin_is_refused_never_an_uncaught_error(edits, spans_key) -> None:  # type: ignore[no-untyped-def]
    """Edits inside the compressed message reach spaCy's and msgpack's decoders with
    hostile data: every outcome is documents or NotADocBin, nothing else escapes."""
    data = bytearray(zlib.decompress(FIXTURE.read_bytes()))
    for at, value, how in edits:
        at %= len(data)
        if how == "set":
            data[at] = value
        elif how == "cut":
            del data[at:at + value % 20 + 1]
        else:
            data[at:at] = bytes([value]) * (value % 9 + 1)
    try:
        documents = read_docbin(zlib.compress(bytes(data)), "x.spacy", spans_key)
    except NotADocBin as exc:
        assert str(exc).startswith(("is not a spaCy DocBin (", "has no spans group"))
    else:
        assert all(isinstance(d.text, str) for d in documents)


# -- export ------------------------------------------------------------------------------
def test_the_export_loads_in_spacys_corpus_with_its_entities_and_title(tmp_path: Path) -> None:
    docs = [("Imran Khan met Nawaz Sharif in Lahore.", [(0, 10, "PERSON"), (31, 37, "LOCATION")]),
            ("Nothing to see.", [])]
    with coded_project(tmp_path / "a.annotator", docs, "c") as source:
        summary = export_annotated(source, tmp_path / "out.spacy", "spacy", coder="c")
    assert (summary.documents, summary.entities, summary.files) == (2, 2, [str(tmp_path / "out.spacy")])
    assert summary.lost == {UNANNOTATED: 1} and summary.details == []
    nlp = spacy.blank("en")
    loaded = list(DocBin().from_disk(tmp_path / "out.spacy").get_docs(nlp.vocab))
    assert [d.user_data["title"] for d in loaded] == ["t", "t"]
    examples = list(Corpus(tmp_path / "out.spacy")(nlp))
    assert [(e.start_char, e.end_char, e.label_) for e in examples[0].reference.ents] == [
        (0, 10, "PERSON"), (31, 37, "LOCATION")]
    assert examples[0].get_aligned_ner()[:3] == ["B-PERSON", "L-PERSON", "O"]
    # a document without entities is left missing: spacy train learns no "nothing here" from it
    assert examples[1].get_aligned_ner() == [None, None, None, None]
    # what `spacy debug data` checks first: a pipeline initialises from the file, and trains
    nlp.add_pipe("ner")
    nlp.initialize(lambda: Corpus(tmp_path / "out.spacy")(nlp))
    assert nlp.get_pipe("ner").labels == ("LOCATION", "PERSON")
    assert "ner" in nlp.update(examples)


def test_an_entity_not_on_token_boundaries_is_listed_and_its_tokens_left_missing(tmp_path: Path) -> None:
    text = "Obama met 北京、习近平 in Lahore."
    spans = [(0, 5, "PERSON"), (10, 12, "LOCATION"), (13, 16, "PERSON"), (20, 26, "LOCATION")]
    with coded_project(tmp_path / "a.annotator", [(text, spans)], "c") as source:
        summary = export_annotated(source, tmp_path / "out.spacy", "spacy", coder="c")
    assert summary.entities == 2 and summary.lost == {MISALIGNED: 2}
    assert summary.details == [
        "document 1: LOCATION 10-12 '北京' does not align to spaCy's tokens (nearest tokens: '北京、习近平')",
        "document 1: PERSON 13-16 '习近平' does not align to spaCy's tokens (nearest tokens: '北京、习近平')",
    ]
    doc = next(DocBin().from_disk(tmp_path / "out.spacy").get_docs(spacy.blank("en").vocab))
    assert [(e.text, e.label_) for e in doc.ents] == [("Obama", "PERSON"), ("Lahore", "LOCATION")]
    assert [t.ent_iob_ for t in doc] == ["B", "O", "", "O", "B", "O"]


def test_split_writes_train_and_dev_by_a_seeded_shuffle(tmp_path: Path) -> None:
    docs = [(f"Imran Khan spoke {n} times.", [(0, 10, "PERSON")]) for n in range(10)]
    with coded_project(tmp_path / "a.annotator", docs, "c") as source:
        summary = export_annotated(source, tmp_path / "out", "spacy", coder="c", split=0.8, seed=7)
        again = export_annotated(source, tmp_path / "again", "spacy", coder="c", split=0.8, seed=7)
        other = export_annotated(source, tmp_path / "other", "spacy", coder="c", split=0.8, seed=8)
        with pytest.raises(ExportError, match="with --split the export is a folder"):
            export_annotated(source, tmp_path / "x.spacy", "spacy", coder="c", split=0.8)
        with pytest.raises(ExportError, match=r"needs a file name ending in \.spacy"):
            export_annotated(source, tmp_path / "x.json", "spacy", coder="c")
    assert summary.files == [str(tmp_path / "out" / "train.spacy"), str(tmp_path / "out" / "dev.spacy")]
    assert (summary.documents, summary.entities) == (10, 10) and again.documents == other.documents == 10
    vocab = spacy.blank("en").vocab

    def texts(folder: str, name: str) -> list[str]:
        return [d.text for d in DocBin().from_disk(tmp_path / folder / name).get_docs(vocab)]

    train, dev = texts("out", "train.spacy"), texts("out", "dev.spacy")
    assert len(train) == 8 and len(dev) == 2 and sorted(train + dev) == sorted(t for t, _ in docs)
    assert train == sorted(train, key=lambda t: int(t.split()[3]))  # each part in document order
    assert texts("again", "dev.spacy") == dev  # the same seed, the same split
    assert texts("other", "dev.spacy") != dev


@pytest.mark.parametrize(("n", "share", "sizes"), [
    (0, 0.8, (0, 0)), (1, 0.2, (1, 0)), (2, 0.9, (1, 1)), (2, 0.1, (1, 1)), (5, 0.5, (3, 2)),
    (10, 0.8, (8, 2)), (3, 0.67, (2, 1)),
])
def test_the_split_rounds_half_up_and_keeps_a_document_on_each_side(
    n: int, share: float, sizes: tuple[int, int]
) -> None:
    documents = [ExportDocument(i, f"text {i}", "", []) for i in range(1, n + 1)]
    train, dev = split_documents(documents, share, seed=0)
    assert (len(train), len(dev)) == sizes
    assert sorted(d.id for d in train + dev) == list(range(1, n + 1))


def test_spans_key_writes_the_group_too_and_reads_it_back(tmp_path: Path) -> None:
    from annotator.services.interchange_import import ReadOptions

    docs = [("Imran Khan spoke in Lahore.", [(0, 10, "PERSON"), (20, 26, "LOCATION")])]
    with coded_project(tmp_path / "a.annotator", docs, "c") as source:
        export_annotated(source, tmp_path / "out.spacy", "spacy", coder="c", spans_key="sc")
        expected = layers(source)
    doc = next(DocBin().from_disk(tmp_path / "out.spacy").get_docs(spacy.blank("en").vocab))
    assert [(s.text, s.label_) for s in doc.spans["sc"]] == [("Imran Khan", "PERSON"), ("Lahore", "LOCATION")]
    with Project(tmp_path / "b.annotator", create=True, codebook=SMALL_CODEBOOK) as target:
        report = import_annotated(target, [tmp_path / "out.spacy"], coder="c",
                                  options=ReadOptions(spans_key="sc"))
        assert report.refused == [] and layers(target) == expected


def test_docs_built_from_words_keep_their_exact_text_through_a_round_trip(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    docbin = DocBin()
    docbin.add(Doc(nlp.vocab, words=["عمران", "خان", "نے", "لاہور", "۔"],
                   spaces=[True, True, True, False, False], ents=["B-PERSON", "I-PERSON", "O", "B-GPE", "O"]))
    docbin.to_disk(tmp_path / "urdu.spacy")
    with Project(tmp_path / "b.annotator", create=True, codebook=SMALL_CODEBOOK) as target:
        import_annotated(target, [tmp_path / "urdu.spacy"], coder="c", label_map=MAP)
        export_annotated(target, tmp_path / "back.spacy", "spacy", coder="c")
        assert layers(target) == {"عمران خان نے لاہور۔": [(0, 9, "PERSON", "c"), (13, 18, "LOCATION", "c")]}
    back = next(DocBin().from_disk(tmp_path / "back.spacy").get_docs(nlp.vocab))
    assert back.text == "عمران خان نے لاہور۔"


# -- round trip --------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(unique_docs)
def test_every_span_that_aligns_comes_back_exactly_and_every_other_is_listed(docs) -> None:  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with coded_project(root / "a.annotator", docs, "ayesha") as source:
            summary = export_annotated(source, root / "out.spacy", "spacy", coder="ayesha")
            expected = layers(source)
        with Project(root / "b.annotator", create=True, codebook=SMALL_CODEBOOK) as target:
            report = import_annotated(target, [root / "out.spacy"], coder="ayesha")
            got = layers(target)
    assert report.refused == [] and summary.documents == len(expected)
    assert set(got) == set(expected)
    listed = 0
    for text, spans in expected.items():
        tokens = nlp.make_doc(text)
        aligned = [s for s in spans if tokens.char_span(s[0], s[1]) is not None]
        assert got[text] == aligned
        for start, end, label, _ in spans:
            if (start, end, label, "ayesha") not in aligned:
                listed += 1
                assert any(f": {label} {start}-{end} {text[start:end]!r} does not align" in line
                           for line in summary.details)
    assert len(summary.details) == listed == summary.lost.get(MISALIGNED, 0)


# -- command line ------------------------------------------------------------------------
def _main(argv: list[str]) -> int:
    from annotator.cli.main import run

    return run(argv, open_gui=lambda request: 0)


def test_cli_export_lists_misaligned_entities_and_split_writes_two_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = [("Obama met 北京、习近平 today.", [(0, 5, "PERSON"), (10, 12, "LOCATION")]),
            ("Imran Khan spoke.", [(0, 10, "PERSON")]), ("Lahore waited.", [(0, 6, "LOCATION")])]
    with coded_project(tmp_path / "a.annotator", docs, "c"):
        pass
    assert _main(["export", str(tmp_path / "a.annotator"), str(tmp_path / "out.spacy"),
                  "--format", "spacy", "--coder", "c"]) == 0
    out = capsys.readouterr().out
    assert "as spacy to" in out and "3 document(s), 3 entities." in out
    assert f"Not represented in spacy: 1 {MISALIGNED}." in out
    assert ("  left out document 1: LOCATION 10-12 '北京' does not align to spaCy's tokens "
            "(nearest tokens: '北京、习近平')") in out.splitlines()
    assert _main(["export", str(tmp_path / "a.annotator"), str(tmp_path / "split"), "--format",
                  "spacy", "--split", "0.67", "--seed", "3"]) == 0
    vocab = spacy.blank("en").vocab
    sizes = [len(list(DocBin().from_disk(tmp_path / "split" / name).get_docs(vocab)))
             for name in ("train.spacy", "dev.spacy")]
    assert sizes == [2, 1]


def test_cli_import_refuses_a_damaged_file_by_name_and_lands_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.spacy").write_bytes(FIXTURE.read_bytes())
    (folder / "x.spacy").write_bytes(FIXTURE.read_bytes()[:100])
    mapping = tmp_path / "map.json"
    mapping.write_text('{"GPE": "LOCATION"}', encoding="utf-8")
    target = tmp_path / "p.annotator"
    Project(target, create=True, codebook=SMALL_CODEBOOK).close()
    assert _main(["import", str(target), str(folder), "--label-map", str(mapping),
                  "--spans-key", "sc", "--coder", "li"]) == 1
    out, err = capsys.readouterr()
    assert "Imported spacy into li's layer: 5 new document(s)" in out and "3 entities" in out
    assert f"  refused {folder / 'x.spacy'}: is not a spaCy DocBin (it is cut short: truncated)" in err
    assert "  skipped good.spacy: line 5: PERSON 0-25 skipped: it overlaps PERSON 0-12" in out
