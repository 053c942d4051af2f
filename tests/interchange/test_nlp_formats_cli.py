"""`annotator import/export` with Prodigy, Label Studio and CoNLL from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.main import run
from tests.interchange.helpers import coded_project

FIXTURES = Path(__file__).parent / "fixtures"


def main(argv: list[str]) -> int:
    return run(argv, open_gui=lambda request: 0)


def test_import_finds_each_format_by_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"PER": "PERSON", "LOC": "LOCATION", "GPE": "LOCATION",
                                   "ORG": "ORGANISATION"}), encoding="utf-8")
    target = str(tmp_path / "p.annotator")
    assert main(["import", target, str(FIXTURES / "prodigy" / "ner_manual.jsonl"),
                 "--coder", "alex", "--label-map", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert "Imported prodigy into alex's layer: 3 new document(s)" in out
    assert "skipped ner_manual.jsonl: line 4: answer 'ignore': the task is left out" in out
    assert main(["import", target, str(FIXTURES / "label_studio" / "two_annotators.json"),
                 "--label-map", str(mapping)]) == 0
    assert "Imported label-studio" in capsys.readouterr().out
    assert main(["import", target, str(FIXTURES / "conll" / "eng_excerpt.conll"),
                 "--label-map", str(mapping)]) == 1
    captured = capsys.readouterr()
    assert "Imported conll into imported's layer: 0 new document(s)" in captured.out
    assert "labels not in the codebook: MISC" in captured.out
    assert "refused eng_excerpt.conll: line 5: label 'MISC'" in captured.err


def test_export_in_each_format_says_what_it_cannot_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.annotator"
    with coded_project(path, [("Obama-led talks in Lahore.", [(0, 5, "PERSON"), (19, 25, "LOCATION")])], "c"):
        pass
    assert main(["export", str(path), str(tmp_path / "out.conll"), "--format", "conll"]) == 0
    out = capsys.readouterr().out
    assert "as conll to" in out and "1 document(s), 1 entities." in out
    assert ("Not represented in conll: 1 entities whose edges fall inside a word, 1 documents' "
            "titles and details.") in out
    assert main(["export", str(path), str(tmp_path / "out.jsonl"), "--format", "prodigy"]) == 0
    assert "Nothing was left out: prodigy holds all of it." in capsys.readouterr().out
    assert main(["export", str(path), str(tmp_path / "ls.json"), "--format", "label-studio"]) == 0
    assert (tmp_path / "ls.config.xml").read_text(encoding="utf-8").startswith("<View>")
    assert main(["export", str(path), str(tmp_path / "ls.txt"), "--format", "label-studio"]) == 2
    assert "a Label Studio export needs a file name ending in .json" in capsys.readouterr().err
