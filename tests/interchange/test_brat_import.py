"""brat standoff in: the fixture in the style of brat's examples, and bad .ann lines refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from annotator.services.interchange_import import detect_format, import_annotated
from annotator.services.project import Project
from tests.interchange.helpers import layers, spans_of

FIXTURES = Path(__file__).parent / "fixtures" / "brat"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "brat"
    shutil.copytree(FIXTURES, folder)
    return folder


def test_the_folder_is_found_to_be_brat(tmp_path: Path) -> None:
    assert detect_format([FIXTURES]) == "brat"
    assert detect_format([FIXTURES / "news1.ann"]) == "brat"
    assert detect_format([tmp_path]) is None


def test_a_brat_folder_lands_in_the_coders_layer_as_imported_accepted_entities(project: Project) -> None:
    report = import_annotated(project, [FIXTURES], coder="ayesha",
                              label_map={"Person": "PERSON", "Organization": "ORG"})
    assert report.refused == [] and report.added == 2
    text = (FIXTURES / "news1.txt").read_bytes().decode()
    assert "\r\n" in text  # offsets after the CRLF count it as two characters, as brat does
    got = layers(project)[text]
    assert got == [(0, 5, "PERSON", "ayesha"), (14, 20, "LOCATION", "ayesha"),
                   (33, 51, "ORG", "ayesha"), (68, 76, "LOCATION", "ayesha")]
    assert {(s.origin.value, s.status.value) for s in spans_of(project)} == {("imported", "accepted")}
    chinese = layers(project)[(FIXTURES / "news2.txt").read_text(encoding="utf-8")]
    assert [s[:3] for s in chinese] == [(0, 10, "PERSON"), (15, 18, "PERSON"), (22, 24, "LOCATION")]


def test_discontinuous_relations_events_and_stray_notes_are_reported(project: Project) -> None:
    report = import_annotated(project, [FIXTURES], label_map={"Organization": "ORG"})
    skipped = "\n".join(report.skipped)
    assert "news1.ann: line 3: T3 is discontinuous (33 36;46 51): kept as its outer extent 33-51" in skipped
    assert "line 5: relation R1 skipped" in skipped
    assert "line 6: event E1 skipped" in skipped
    assert "line 10: note on R1 skipped" in skipped


def test_notes_on_kept_spans_are_kept_in_the_documents_metadata(project: Project) -> None:
    report = import_annotated(project, [FIXTURES], label_map={"Organization": "ORG"})
    assert report.notes == 3
    with project.read_session() as session:
        from annotator.storage.repositories import DocumentRepository

        documents = DocumentRepository(session)
        notes = [documents.get(i).metadata.get("notes", "") for i in documents.ids()]
    kept = next(n for n in notes if n)
    assert "PERSON 0-5 'Obama': AnnotatorNotes: the 44th president" in kept
    assert "PERSON 0-5 'Obama': Reference Wikipedia:534366: Barack Obama" in kept
    assert "LOCATION 14-20 'Berlin': Negated" in kept


def test_an_unknown_label_refuses_its_document_and_is_listed_until_added(project: Project) -> None:
    report = import_annotated(project, [FIXTURES])
    assert report.unmapped == ["Organization"]
    assert report.refused == [
        "news1.ann: line 3: label 'Organization' is not in the project's codebook "
        "(map it with --label-map or add it with --add-labels)"
    ]
    assert report.added == 1  # news2 lands
    again = import_annotated(project, [FIXTURES], add_labels=True)
    assert again.added_labels == ["Organization"] and again.refused == []
    assert "Organization" in {label.name for label in project.codebook().labels}


def test_bad_lines_refuse_their_document_with_line_and_reason_and_leave_nothing(
    tmp_path: Path, project: Project
) -> None:
    folder = _copy(tmp_path)
    ann = folder / "news1.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    lines[1] = "T2\tLocation 14 20\tParis"  # text that is not at its offsets
    lines.append("T9\tPerson 70 900\tBrussels")  # past the end
    lines.append("T10 broken")
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_annotated(project, [folder], label_map={"Organization": "ORG"})
    assert report.refused == [
        "news1.ann: line 2: T2 says 'Paris' but the text at 14-20 is 'Berlin'",
        "news1.ann: line 11: T9 ends at 900, past the end of the text (78 characters)",
        "news1.ann: line 12: T10 broken is not a well-formed T line (type, offsets, tab, text)",
    ]
    assert report.added == 1
    assert len(layers(project)) == 1  # news1 is not there at all


def test_overlapping_spans_keep_the_first_and_report_the_other(tmp_path: Path, project: Project) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "a.txt").write_text("New York City", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tLOCATION 0 8\tNew York\nT2\tLOCATION 4 13\tYork City\n",
                                  encoding="utf-8")
    report = import_annotated(project, [folder])
    assert layers(project)["New York City"] == [(0, 8, "LOCATION", "imported")]
    assert report.skipped == ["a.ann: line 2: LOCATION 4-13 skipped: it overlaps LOCATION 0-8 "
                              "(one coder's entities do not overlap)"]
    again = import_annotated(project, [folder])  # imported again: nothing twice
    assert again.entities == 0 and again.merged == 1


def test_a_text_that_is_not_utf8_fails_with_its_name(tmp_path: Path, project: Project) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"caf\xe9")
    (folder / "a.ann").write_text("", encoding="utf-8")
    report = import_annotated(project, [folder])
    assert report.refused == [f"{folder / 'a.ann'}: cannot be read (not UTF-8 at byte 3)"]
    assert json.dumps(report.refused)  # plain values
