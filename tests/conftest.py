"""Shared fixtures. GUI tests run offscreen; nothing here touches the network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.domain.model import (
    CategoryValue,
    ClaimField,
    Codebook,
    FieldKind,
    Label,
)
from annotator.services.project import Project

SMALL_CODEBOOK = Codebook(
    labels=(
        Label("PERSON", "#0072B2", "1", spacy_labels=("PERSON",), position=0),
        Label("ORG", "#E69F00", "2", spacy_labels=("ORG",), position=1),
        Label("LOCATION", "#009E73", "3", spacy_labels=("GPE", "LOC", "FAC"), position=2),
    ),
    fields=(
        ClaimField("claimant", FieldKind.ENTITY, required=True, position=0,
                   entity_labels=("PERSON", "ORG")),
        ClaimField("form", FieldKind.SINGLE, required=True, position=1, values=(
            CategoryValue("statement", "Statement", "s"), CategoryValue("demand", "Demand", "d"),
        )),
        ClaimField("frames", FieldKind.MULTI, position=2, values=(
            CategoryValue("security"), CategoryValue("economy"), CategoryValue("rights"),
        )),
        ClaimField("note", FieldKind.TEXT, position=3),
        ClaimField("position", FieldKind.SCALE, required=True, position=4, minimum=-1, maximum=1),
        ClaimField("amount", FieldKind.NUMBER, position=5),
        ClaimField("anonymous", FieldKind.BOOLEAN, position=6),
        ClaimField("claim_date", FieldKind.DATE, position=7),
    ),
)


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "study.annotator"


@pytest.fixture
def project(project_path: Path):
    with Project(project_path, create=True, codebook=SMALL_CODEBOOK) as opened:
        yield opened
