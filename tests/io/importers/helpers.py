"""Helpers for the importer tests: the checked-in fixture files and error checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers import ImportOptions, read_articles

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture(name: str) -> Path:
    path = FIXTURES / name
    assert path.is_file(), f"missing fixture {name}: run tests/io/fixtures/make_fixtures.py"
    return path


def read_one(path: Path, options: ImportOptions = ImportOptions()) -> NewDocument:
    articles = read_articles(path, options)
    assert len(articles) == 1
    return articles[0]


def refused(path: Path, *reason_parts: str, options: ImportOptions = ImportOptions()) -> str:
    """Import ``path``, expect ImportFileError naming the file and every part of the reason."""
    with pytest.raises(ImportFileError) as caught:
        read_articles(path, options)
    message = str(caught.value)
    assert path.name in message
    assert caught.value.path == path
    for part in reason_parts:
        assert part in caught.value.reason, f"{part!r} not in {caught.value.reason!r}"
    return caught.value.reason
