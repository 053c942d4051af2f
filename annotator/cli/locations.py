"""The PROJECT argument of every command: a project file, or a project on a PostgreSQL server."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.domain.location import LocationError, ServerLocation, parse_location

PROJECT_HELP = "project file (.annotator) or server URL postgresql://user@host:port/dbname"


def project_location(text: str) -> Path | ServerLocation:
    """argparse ``type``: a URL stays a URL (``Path`` would fold its ``//``), else a path."""
    try:
        return parse_location(text)
    except LocationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
