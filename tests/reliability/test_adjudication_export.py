"""The default export of an adjudicated study: the final layer where a document has one, else
the coders' own layers, and a `layer` column saying whose each row is."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from annotator.domain.model import DocumentStatus
from annotator.services.adjudication import Adjudication
from annotator.services.export import ExportOptions, export_project
from annotator.services.project import Project
from tests.reliability.adjudication_study import two_coder_document
from tests.reliability.study import add_claim, add_document, add_entities, set_status


def sheet(path: Path, name: str) -> list[dict[str, object]]:
    values = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def study(project: Project) -> dict[str, int]:
    adjudicated = two_coder_document(project)
    not_yet = two_coder_document(project, sample=False, title="twice")  # coded twice, no final
    alone = add_document(project, "Bhutto spoke in Karachi.", "alone")
    add_entities(project, alone, "alice", [(0, 6, "PERSON")])
    add_claim(project, alone, "alice", 0, 24, {"form": "statement"})
    set_status(project, alone, "alice", DocumentStatus.DONE)
    Adjudication(project).auto()
    return {"adjudicated": adjudicated, "not_yet": not_yet, "alone": alone}


def test_the_export_uses_the_final_layer_where_there_is_one(project: Project, tmp_path: Path) -> None:
    docs = study(project)
    out = tmp_path / "out.xlsx"
    export_project(project, out)

    entities = sheet(out, "Entities")
    layers = {doc: sorted({r["layer"] for r in entities if r["document_id"] == doc}) for doc in docs.values()}
    assert layers == {docs["adjudicated"]: ["final"], docs["not_yet"]: ["alice", "bob"],
                      docs["alone"]: ["alice"]}
    final = [(r["start"], r["label"]) for r in entities if r["document_id"] == docs["adjudicated"]]
    assert final == [(0, "PERSON"), (32, "LOCATION"), (40, "PERSON")]  # no coder's rows beside it
    assert all(r["coder"] == r["layer"] for r in entities)

    claims = sheet(out, "Claims")
    assert [(r["document_id"], r["layer"], r["form"]) for r in claims] == [
        (docs["adjudicated"], "final", "demand"),
        (docs["not_yet"], "alice", "statement"), (docs["not_yet"], "bob", "demand"),
        (docs["not_yet"], "alice", "demand"), (docs["not_yet"], "bob", "demand"),
        (docs["alone"], "alice", "statement"),
    ]
    documents = {r["document_id"]: r for r in sheet(out, "Documents")}
    assert documents[docs["adjudicated"]]["entities_accepted"] == 3  # the final layer's
    assert documents[docs["adjudicated"]]["claims_complete"] + \
        documents[docs["adjudicated"]]["claims_incomplete"] == 1  # type: ignore[operator]
    assert "status_final" not in documents[docs["alone"]]  # final is no coder with a status


def test_csv_has_the_layer_column_and_one_coders_export_is_unchanged(project: Project, tmp_path: Path) -> None:
    docs = study(project)
    export_project(project, tmp_path / "csv", ExportOptions(format="csv"))
    with open(next((tmp_path / "csv").glob("*laims*.csv")), newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [r["layer"] for r in rows if r["document_id"] == str(docs["adjudicated"])] == ["final"]

    export_project(project, tmp_path / "alice.xlsx", ExportOptions(coder="alice"))
    claims = sheet(tmp_path / "alice.xlsx", "Claims")
    assert "layer" not in claims[0] and {r["coder"] for r in claims} == {"alice"}
    assert len([r for r in claims if r["document_id"] == docs["adjudicated"]]) == 2  # her own

    export_project(project, tmp_path / "final.xlsx", ExportOptions(coder="final"))
    assert {r["coder"] for r in sheet(tmp_path / "final.xlsx", "Claims")} == {"final"}
