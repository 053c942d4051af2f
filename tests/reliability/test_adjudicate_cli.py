"""`annotator adjudicate`: --auto fills the final layer once, and reports what is left."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.cli.main import run
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK
from tests.reliability.adjudication_study import two_coder_document


def adjudicate(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = run(["adjudicate", *args], open_gui=lambda _request: 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_auto_reports_what_is_left_and_a_second_run_changes_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "study.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project:
        doc = two_coder_document(project)

    code, out, _ = adjudicate(capsys, str(path))  # without --auto: a report, nothing written
    assert code == 0 and "Open disagreements: 3" in out

    code, out, _ = adjudicate(capsys, str(path), "--auto", "--json")
    first = json.loads(out)
    assert code == 0 and first["coders"] == ["alice", "bob"]
    assert first["added"] == {"entities": 3, "claims": 1}
    assert first["documents"] == [{"document_id": doc, "title": "t", "coders": ["alice", "bob"],
                                   "agreed": 3, "disagreements": 3, "open": 2}]
    assert first["open"] == 2

    code, out, _ = adjudicate(capsys, str(path), "--auto", "--coders", "alice,bob", "--json")
    second = json.loads(out)
    assert second["added"] == {"entities": 0, "claims": 0}
    assert second["documents"] == first["documents"]

    code, out, _ = adjudicate(capsys, str(path), "--auto")
    assert "Added to the final layer: 0 entities, 0 claims." in out and "Open disagreements: 2" in out


def test_an_unknown_coder_is_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "study.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project:
        two_coder_document(project)
    code, out, err = adjudicate(capsys, str(path), "--auto", "--coders", "alice,zoe")
    assert code != 0 and out == ""
    assert "there is no coder 'zoe'" in err and len(err.strip().splitlines()) == 1
