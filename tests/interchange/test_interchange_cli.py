"""`annotator import/export --format brat|doccano` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.main import run
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK
from tests.interchange.helpers import coded_project

FIXTURES = Path(__file__).parent / "fixtures"


def main(argv: list[str]) -> int:
    return run(argv, open_gui=lambda request: 0)


def test_import_finds_brat_by_extension_and_lists_unmapped_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "p.annotator"
    assert main(["import", str(target), str(FIXTURES / "brat")]) == 1
    out, err = capsys.readouterr()
    assert "Imported brat into imported's layer: 1 new document(s)" in out
    assert "labels not in the codebook: Organization" in out
    assert "refused news1.ann: line 3: label 'Organization'" in err
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"Organization": "ORGANISATION"}), encoding="utf-8")
    assert main(["import", str(target), str(FIXTURES / "brat"), "--coder", "ayesha",
                 "--label-map", str(mapping)]) == 0


def test_export_says_what_the_format_cannot_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with coded_project(tmp_path / "a.annotator", [("Imran Khan spoke.", [(0, 10, "PERSON")])], "c"):
        pass
    with Project(tmp_path / "a.annotator") as project, project.session() as session:
        from annotator.domain.model import Claim
        from annotator.storage.layer_writer import LayerWriter

        LayerWriter(session).add_claims(1, [Claim(1, 0, 17, "Imran Khan spoke.", {}, annotator="c")])
    assert main(["export", str(tmp_path / "a.annotator"), str(tmp_path / "out.jsonl"),
                 "--format", "doccano"]) == 0
    out = capsys.readouterr().out
    assert "as doccano to" in out and "1 document(s), 1 entities." in out
    assert "Not represented in doccano: 1 claims." in out
    line = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert line["entities"] == [{"id": 1, "label": "PERSON", "start_offset": 0, "end_offset": 10}]
    assert main(["export", str(tmp_path / "a.annotator"), str(tmp_path / "brat"),
                 "--format", "brat", "--coder", "c"]) == 0
    out = capsys.readouterr().out
    assert "Not represented in brat: 1 claims, 1 documents' titles and details." in out
    assert (tmp_path / "brat" / "annotation.conf").read_text().startswith("[entities]\nPERSON\n")


def test_several_coders_without_a_final_layer_are_counted_not_merged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.annotator"
    with coded_project(path, [("Imran Khan spoke.", [(0, 10, "PERSON")])], "c"):
        pass
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project:
        from annotator.services.interchange_import import import_annotated

        brat = tmp_path / "b"
        brat.mkdir()
        (brat / "x.txt").write_text("Imran Khan spoke.", encoding="utf-8")
        (brat / "x.ann").write_text("T1\tPERSON 0 5\tImran\n", encoding="utf-8")
        assert import_annotated(project, [brat], coder="d").merged == 1
    assert main(["export", str(path), str(tmp_path / "o.jsonl"), "--format", "doccano"]) == 0
    assert "1 documents coded by several coders with no final layer" in capsys.readouterr().out
