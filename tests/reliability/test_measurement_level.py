"""Number and scale variables carry a level of measurement: in the codebook, its JSON and storage."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.domain.codebook import validate_codebook
from annotator.domain.codebook_json import codebook_to_dict
from annotator.domain.errors import CodebookError
from annotator.domain.model import ClaimField, FieldKind, MeasurementLevel
from annotator.io.codebook_json import codebook_from_json
from annotator.services.project import Project
from tests.conftest import SMALL_CODEBOOK


def with_variable(**changes: object) -> dict:
    data = codebook_to_dict(SMALL_CODEBOOK)
    data["claim_variables"] = [{"name": "v", "kind": "number", **changes}]
    return data


def test_each_kind_has_its_default_level() -> None:
    levels = {f.name: f.measurement_level for f in SMALL_CODEBOOK.fields}
    assert levels == {
        "claimant": MeasurementLevel.NOMINAL, "form": MeasurementLevel.NOMINAL,
        "frames": MeasurementLevel.NOMINAL, "note": None, "position": MeasurementLevel.ORDINAL,
        "amount": MeasurementLevel.RATIO, "anonymous": MeasurementLevel.NOMINAL,
        "claim_date": MeasurementLevel.INTERVAL,
    }
    scale = ClaimField("s", FieldKind.SCALE, level=MeasurementLevel.INTERVAL)
    assert scale.measurement_level is MeasurementLevel.INTERVAL


def test_the_json_reads_and_writes_the_level() -> None:
    codebook = codebook_from_json(json.dumps(with_variable(level="interval")))
    assert codebook.field("v").level is MeasurementLevel.INTERVAL
    assert codebook_to_dict(codebook)["claim_variables"][0]["level"] == "interval"
    default = codebook_from_json(json.dumps(with_variable()))
    assert default.field("v").level is None
    assert "level" not in codebook_to_dict(default)["claim_variables"][0]  # older versions read it


def test_a_bad_level_is_one_clear_line() -> None:
    with pytest.raises(CodebookError) as caught:
        codebook_from_json(json.dumps(with_variable(level="metric")), source="team.json")
    message = str(caught.value)
    assert message.startswith("team.json: claim_variables[0].level must be")
    assert '"ordinal", "interval" or "ratio"' in message and "'metric'" in message


def test_a_level_on_a_kind_without_one_is_refused() -> None:
    data = with_variable(level="ordinal")
    data["claim_variables"][0]["kind"] = "single"
    data["claim_variables"][0]["values"] = [{"code": "a"}]
    with pytest.raises(CodebookError, match="only number and scale variables have a level"):
        codebook_from_json(json.dumps(data), source="team.json")
    field = ClaimField("x", FieldKind.DATE, level=MeasurementLevel.RATIO)
    with pytest.raises(CodebookError, match="x: only number and scale"):
        validate_codebook(replace(SMALL_CODEBOOK, fields=(field,)))
    nominal = ClaimField("n", FieldKind.NUMBER, level=MeasurementLevel.NOMINAL)
    with pytest.raises(CodebookError, match="ordinal, interval or ratio"):
        validate_codebook(replace(SMALL_CODEBOOK, fields=(nominal,)))


def test_the_project_stores_the_level(tmp_path: Path) -> None:
    fields = tuple(
        replace(f, level=MeasurementLevel.INTERVAL) if f.name == "position" else f
        for f in SMALL_CODEBOOK.fields
    )
    path = tmp_path / "levels.annotator"
    with Project(path, create=True, codebook=replace(SMALL_CODEBOOK, fields=fields)) as project:
        assert project.codebook().field("position").level is MeasurementLevel.INTERVAL
        assert project.codebook().field("amount").level is None
    with Project.open(path) as project:
        assert project.codebook().field("position").measurement_level is MeasurementLevel.INTERVAL


def test_a_project_from_before_0008_gets_default_levels(tmp_path: Path) -> None:
    path = tmp_path / "old.annotator"
    with Project(path, create=True, codebook=SMALL_CODEBOOK):
        pass
    connection = sqlite3.connect(path)
    connection.execute("ALTER TABLE model_runs DROP COLUMN uncertainty")  # 0010
    connection.execute("DROP TABLE codings")  # 0009
    connection.execute("DROP TABLE codes")
    connection.execute("ALTER TABLE claim_fields DROP COLUMN level")
    connection.execute("UPDATE alembic_version SET version_num = '0007'")
    connection.commit()
    connection.close()
    with Project.open(path) as project:
        codebook = project.codebook()
    assert [v.code for v in codebook.field("form").values] == ["statement", "demand"]
    assert codebook.field("position").level is None
    assert codebook.field("position").measurement_level is MeasurementLevel.ORDINAL
