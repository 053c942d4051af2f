"""`annotator agreement`: the readable table, the JSON object of issue 12.4, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.main import run
from annotator.domain.model import DocumentStatus
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK
from tests.reliability.study import add_claim, add_document, add_entities, set_status

TEXT = "Sharif said the army will leave Lahore. Khan demanded new elections in Karachi today."


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project:
        for n in range(3):
            doc = add_document(project, TEXT + f" {n}")
            add_entities(project, doc, "alice", [(0, 6, "PERSON"), (32, 38, "LOCATION")])
            add_entities(project, doc, "bob", [(0, 6, "PERSON"), (32, 38, "LOCATION" if n else "ORG")])
            add_claim(project, doc, "alice", 0, 38, {"form": "statement", "position": 1})
            add_claim(project, doc, "bob", 0, 38, {"form": "statement" if n else "demand", "position": 1 - n})
            add_claim(project, doc, "alice", 40, 85, {"form": "demand", "position": -1})
            add_claim(project, doc, "bob", 40, 85, {"form": "demand", "position": -1})
            for coder in ("alice", "bob"):
                set_status(project, doc, coder, DocumentStatus.DONE)
    return path


def agreement(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = run(["agreement", *args], open_gui=lambda _request: 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_shape_of_the_issue(study: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = agreement(capsys, str(study), "--json", "--seed", "5")
    assert code == 0
    data = json.loads(out)
    assert data["coders"] == ["alice", "bob"] and data["documents"] == 3
    assert data["bootstrap"] == {"draws": 1000, "seed": 5}
    overall = data["entities"]["overall"]
    assert {"f1_exact", "f1_overlap", "alpha_tokens", "units"} <= set(overall)
    assert overall["f1_exact"] == pytest.approx(2 * 5 / 12)
    assert set(data["entities"]["labels"]) == {"PERSON", "ORG", "LOCATION"}
    assert data["entities"]["labels"]["PERSON"]["f1_exact"] == 1.0
    claims = data["claims"]
    assert claims["units"] == 6 and claims["f1_units"] == 1.0
    form = claims["variables"]["form"]
    assert set(form) >= {"level", "alpha", "ci95", "p_below_0667", "p_below_0800", "percent_agreement",
                         "kappa", "kappa_kind", "units", "pairable_values"}
    assert form["level"] == "nominal" and form["kappa_kind"] == "cohen"
    assert form["units"] == 6 and form["pairable_values"] == 12
    assert form["percent_agreement"] == pytest.approx(5 / 6)
    assert len(form["ci95"]) == 2 and form["ci95"][0] <= form["alpha"] <= form["ci95"][1]
    assert claims["variables"]["position"]["level"] == "ordinal"
    # a variable nobody coded cannot be computed: null, with a note saying why
    amount = claims["variables"]["amount"]
    assert amount["alpha"] is None and amount["ci95"] is None and "no unit" in amount["note"]


def test_the_same_seed_gives_the_same_figures(study: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    first = agreement(capsys, str(study), "--json", "--seed", "3")[1]
    again = agreement(capsys, str(study), "--json", "--seed", "3")[1]
    other = agreement(capsys, str(study), "--json", "--seed", "4", "--draws", "2000")[1]
    assert first == again
    assert json.loads(other)["bootstrap"] == {"draws": 2000, "seed": 4}


def test_the_table_names_figures_and_thresholds(study: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = agreement(capsys, str(study))
    assert code == 0
    assert "Documents marked done by at least two of them: 3" in out
    assert "0.667" in out and "0.800" in out
    form_line = next(line for line in out.splitlines() if line.startswith("form "))
    assert "nominal" in form_line and "83.3%" in form_line
    assert next(line for line in out.splitlines() if line.startswith("PERSON"))


def test_unknown_coders_are_one_clear_line(study: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = agreement(capsys, str(study), "--coders", "alice,zoe")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "no coder 'zoe'" in err and str(study) in err


def test_too_few_draws_are_refused(study: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = agreement(capsys, str(study), "--draws", "50")
    assert code == 2 and "at least 1,000 draws" in err


def test_include_unfinished_widens_the_documents(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "open.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK) as project:
        doc = add_document(project, TEXT)
        for coder in ("alice", "bob"):
            add_claim(project, doc, coder, 0, 38, {"form": "statement"})
            set_status(project, doc, coder, DocumentStatus.IN_PROGRESS)
    assert json.loads(agreement(capsys, str(path), "--json")[1])["documents"] == 0
    data = json.loads(agreement(capsys, str(path), "--json", "--include-unfinished")[1])
    assert data["documents"] == 1 and data["include_unfinished"] is True
