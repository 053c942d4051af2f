"""Shared fixtures for the export writer tests."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def sheet_xml() -> Callable[[Path, int], str]:
    """Return a function giving the raw XML of worksheet ``number`` (1-based) in a workbook."""

    def read(path: Path, number: int = 1) -> str:
        with zipfile.ZipFile(path) as archive:
            return archive.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")

    return read


@pytest.fixture
def leftovers() -> Callable[[Path], list[str]]:
    """Return a function listing temporary files the writers may have left in a folder."""

    def find(folder: Path) -> list[str]:
        return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or ".part-" in p.name)

    return find
