"""Where the files shipped in ``resources/`` are, and reading the ones services need.

An installed Annotator has them as the package ``annotator.resources`` (setup.py maps the
top-level folder into the wheel); a checkout run without installing finds the folder itself.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from annotator.domain.codebook_json import codebook_from_json
from annotator.domain.model import Codebook


def _resources_folder() -> Path:
    try:
        return Path(str(resources.files("annotator.resources")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "resources"


RESOURCES = _resources_folder()
DEFAULT_CODEBOOK = RESOURCES / "codebook" / "default.json"
DEMO_ARTICLES = RESOURCES / "demo"


def default_codebook() -> Codebook:
    return codebook_from_json(DEFAULT_CODEBOOK.read_text(encoding="utf-8"), str(DEFAULT_CODEBOOK))


def demo_articles() -> list[Path]:
    return sorted(DEMO_ARTICLES.glob("*.txt"))
