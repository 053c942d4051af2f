"""Where the files shipped in ``resources/`` are, and reading the ones services need."""

from __future__ import annotations

from pathlib import Path

from annotator.domain.codebook_json import codebook_from_json
from annotator.domain.model import Codebook

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
DEFAULT_CODEBOOK = RESOURCES / "codebook" / "default.json"
DEMO_ARTICLES = RESOURCES / "demo"


def default_codebook() -> Codebook:
    return codebook_from_json(DEFAULT_CODEBOOK.read_text(encoding="utf-8"), str(DEFAULT_CODEBOOK))


def demo_articles() -> list[Path]:
    return sorted(DEMO_ARTICLES.glob("*.txt"))
