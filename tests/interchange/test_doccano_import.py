"""doccano JSONL in: both forms, in the style of doccano's docs, and bad lines refused."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.services.interchange_import import detect_format, import_annotated
from annotator.services.project import Project
from tests.interchange.helpers import layers

FIXTURES = Path(__file__).parent / "fixtures" / "doccano"
MAP = {"LOC": "LOCATION", "MISC": "LOCATION"}


def test_doccano_files_are_told_from_study_and_plain_jsonl(tmp_path: Path) -> None:
    assert detect_format([FIXTURES / "label_form.jsonl"]) == "doccano"
    assert detect_format([FIXTURES / "entities_form.jsonl"]) == "doccano"
    plain = tmp_path / "plain.jsonl"
    plain.write_text('{"text": "an article"}\n', encoding="utf-8")
    study = tmp_path / "study.jsonl"
    study.write_text('{"text": "a", "entities": [{"start": 0, "end": 1, "label": "X"}]}\n',
                     encoding="utf-8")
    assert detect_format([plain]) is None and detect_format([study]) is None


def test_both_forms_land_with_code_point_offsets(project: Project) -> None:
    report = import_annotated(project, [FIXTURES], coder="li", label_map=MAP)
    assert report.refused == [] and report.added == 3 and report.entities == 8
    got = layers(project)
    bbc = "Peter Blackburn reported from Brussels 🇧🇪 for the BBC."
    assert got[bbc] == [(0, 15, "PERSON", "li"), (30, 38, "LOCATION", "li"), (50, 53, "ORG", "li")]
    urdu = "عمران خان نے لاہور میں خطاب کیا۔"
    assert got[urdu] == [(0, 9, "PERSON", "li"), (13, 18, "LOCATION", "li")]
    assert report.skipped == ["entities_form.jsonl: line 1: 1 relation(s) skipped (the project "
                              "has no relations)"]


def test_bad_lines_are_refused_by_number_and_the_rest_lands(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "bad.jsonl"
    lines = [
        {"text": "Imran Khan spoke.", "label": [[0, 10, "PERSON"]]},
        {"text": "Too short.", "label": [[0, 99, "PERSON"]]},
        {"text": "Unknown label.", "label": [[0, 7, "PLANET"]]},
        {"text": "Backwards.", "label": [[5, 2, "PERSON"]]},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{not json\n", encoding="utf-8")
    report = import_annotated(project, [path], "doccano")
    assert report.refused[0] == ("bad.jsonl: line 2: span 1: ends at 99, past the end of the "
                                 "text (10 characters)")
    assert report.refused[1] == ("bad.jsonl: line 3: label 'PLANET' is not in the project's "
                                 "codebook (map it with --label-map or add it with --add-labels)")
    assert report.refused[2] == "bad.jsonl: line 4: span 1: 5-2 is not a span (start before end)"
    assert report.refused[3].startswith("bad.jsonl: line 5: is not JSON")
    assert len(report.refused) == 4
    assert list(layers(project)) == ["Imran Khan spoke."]
    assert report.unmapped == ["PLANET"]
