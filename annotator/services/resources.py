"""Where the files shipped in ``resources/`` are, and reading the ones services need.

An installed Annotator has them as the package ``annotator.resources`` (setup.py maps the
top-level folder into the wheel); a checkout run without installing finds the folder itself.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from annotator.domain.model import Codebook, Pattern
from annotator.io.codebook_json import codebook_from_json, patterns_from_json


def _resources_folder() -> Path:
    try:
        return Path(str(resources.files("annotator.resources")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "resources"


RESOURCES = _resources_folder()
DEFAULT_CODEBOOK = RESOURCES / "codebook" / "default.json"
DEMO_ARTICLES = RESOURCES / "demo"
#: Patterns that fit the demo articles only (one country's places, one operation's name).
DEMO_PATTERNS = RESOURCES / "codebook" / "demo-patterns.json"  # not in demo/: that folder is imported whole


def default_codebook() -> Codebook:
    return codebook_from_json(DEFAULT_CODEBOOK.read_bytes(), str(DEFAULT_CODEBOOK))


def demo_patterns() -> tuple[Pattern, ...]:
    return patterns_from_json(DEMO_PATTERNS.read_bytes(), str(DEMO_PATTERNS))


def demo_articles() -> list[Path]:
    return sorted(DEMO_ARTICLES.glob("*.txt"))
