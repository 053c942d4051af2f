"""`annotator import PROJECT X.qdpx` and `annotator export PROJECT OUT.qdpx --format qdpx`."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli.main import run
from tests.interchange.qdpx_helpers import package


def main(argv: list[str]) -> int:
    return run(argv, open_gui=lambda request: 0)


def test_a_qdpx_goes_in_and_out_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "p.annotator"
    assert main(["import", str(target), str(package("nvivo", tmp_path / "budget.qdpx"))]) == 0
    out = capsys.readouterr().out
    assert "Imported qdpx into imported's layer: 2 new document(s)" in out
    assert "6 coding(s) in the code layer" in out
    assert "skipped budget.qdpx: line 41: PictureSource 'Cartoon' skipped" in out
    assert main(["export", str(target), str(tmp_path / "out.qdpx"), "--format", "qdpx"]) == 0
    out = capsys.readouterr().out
    assert "Exported every coder's layer as qdpx" in out
    assert "and 6 coding(s), 0 claim(s)" in out
    assert "Nothing was left out" in out
    assert main(["export", str(target), str(tmp_path / "bilal.qdpx"), "--format", "qdpx",
                 "--coder", "Bilal"]) == 0
    assert "Not represented in qdpx: 3 codings of other coders." in capsys.readouterr().out


def test_a_broken_qdpx_is_refused_with_its_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"not a zip")
    assert main(["import", str(tmp_path / "p.annotator"), str(broken)]) == 1
    err = capsys.readouterr().err
    assert f"refused {broken}: is not a readable .qdpx (zip) file" in err
    assert not (tmp_path / "p.annotator").exists()  # nothing imported: no project made
